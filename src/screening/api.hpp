#pragma once
// HTTP routes of risk screening: the indicator list, institutions' CSV uploads, screening rounds
// ranked per dong with reasons, outcomes, the round report (precision) and recalibration.
#include <functional>

#include "http/router.hpp"
#include "identity/service.hpp"
#include "screening/store.hpp"

namespace dure::screening {

void register_routes(http::Router& router, ScreeningStore& store, identity::IdentityService& ids,
                     std::function<long long()> default_district);

// Rounds are run bimonthly: a district whose newest round is older than this (or that has none)
// and has indicators in the last six months gets a round with the defaults (30 per dong, score
// ≥ 0.5), by "schedule". Returns the rounds run. Called daily by the server.
inline constexpr long long kRoundEverySeconds = 61LL * 86400;
std::vector<Round> run_due_rounds(ScreeningStore& store, const std::vector<long long>& districts, long long now);

// The current month in Korea and the month `back` months earlier, as YYYY-MM.
std::string month_of_today(int back = 0);

}  // namespace dure::screening
