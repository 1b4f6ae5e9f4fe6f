#pragma once
// HTTP routes of the eligibility simulation: simulate (anonymous or member), the programs and
// parameters behind it (with sources), the questions, and the member's saved household and results.
#include <functional>
#include <memory>
#include <vector>

#include "common/rate_limit.hpp"
#include "eligibility/report.hpp"
#include "eligibility/rules.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::eligibility {

class ProfileStore;

// `catalog_programs(district)` lists the catalogue services that carry a program code;
// `simulations` throttles POST /simulations per client address (per account when logged in).
void register_routes(http::Router& router, std::shared_ptr<const Rules> rules, identity::IdentityService& ids,
                     ProfileStore& profiles, std::function<std::vector<CatalogProgram>(long long)> catalog_programs,
                     std::function<long long()> default_district, RateLimit simulations = PublicLimits{}.simulations);

}  // namespace dure::eligibility
