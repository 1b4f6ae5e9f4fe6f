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

// The current month in Korea and the month `back` months earlier, as YYYY-MM.
std::string month_of_today(int back = 0);

}  // namespace dure::screening
