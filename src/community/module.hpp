#pragma once
// The community module (src/community, docs/community.md): events with capacity and waitlists,
// fair verifiable draws, meeting spaces. Listed once in src/app/modules.cpp.
#include <memory>

#include "app/module.hpp"

namespace dure::community {

std::unique_ptr<app::Module> make_module();

}  // namespace dure::community
