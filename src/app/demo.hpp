#pragma once
// What `dure demo` prints in its first lines, filled by the seeds of the modules that own it
// (identity: the accounts; catalog: the services; outreach: the reports). run_demo publishes one
// in Platform::services; a seed that finds none (a test calling it) skips its part.
#include <cstddef>
#include <vector>

#include "cli/demo.hpp"

namespace dure::app {

struct DemoSummary {
    std::vector<cli::DemoAccount> accounts;
    std::size_t services = 0;
    int reports = 0;
};

}  // namespace dure::app
