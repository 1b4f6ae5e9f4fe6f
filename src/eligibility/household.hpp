#pragma once
// Reads a household from JSON (the simulation request, a saved profile, a rule test case) with a
// field-level error for every unknown member, wrong type or impossible value.
#include <boost/json/fwd.hpp>
#include <string>

#include "common/error.hpp"
#include "eligibility/model.hpp"
#include "eligibility/rules.hpp"

namespace dure::eligibility {

constexpr int kMaxMembers = 20;
constexpr long long kMaxMoney = 1'000'000'000'000LL;  // 10^12 KRW

// Parses `v` (the "household" object) as of `date`; errors are named from `prefix`
// (e.g. "household.members[1].age").
Household parse_household(const boost::json::value& v, const Rules& rules, Days date, FieldErrors& errors,
                          const std::string& prefix = "household");

// The household back as JSON (the same shape parse_household reads).
boost::json::object household_json(const Household& h, const Rules& rules);

}  // namespace dure::eligibility
