#pragma once
// HTTP routes of check-ins: assignments, a caregiver's own residents, recording check-ins, the
// escalations of a dong, and the signed webhook for passive signals (smart plugs, door sensors).
#include <functional>
#include <string>

#include "checkins/checkins.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::checkins {

// `signal_secret`: the shared secret of the passive-signal webhook (DURE_SIGNAL_SECRET); empty
// turns the webhook off.
void register_routes(http::Router& router, CheckinStore& store, identity::IdentityService& ids,
                     std::function<long long()> default_district, std::string signal_secret);

}  // namespace dure::checkins
