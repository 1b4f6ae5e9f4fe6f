#pragma once
// Data-driven rule tests (tests/rules/*.json): each case a date, a household and the expected
// status and amount per program. Run by `dure eligibility test` and by the unit tests.
#include <ostream>
#include <string>

#include "eligibility/rules.hpp"

namespace dure::eligibility {

struct CaseReport {
    int files = 0, cases = 0, checks = 0, failures = 0;
};

// Runs every *.json case file under `dir` against `rules`, printing each failure to `out`.
CaseReport run_case_files(const Rules& rules, const std::string& dir, std::ostream& out);

}  // namespace dure::eligibility
