#pragma once
// HTTP routes of the community module (parse, authorize, call the stores, answer).
#include "http/router.hpp"

namespace dure::identity {
class IdentityService;
}

namespace dure::community {

class EventStore;

struct Api {
    EventStore& events;
    identity::IdentityService& ids;
    std::function<long long()> default_district;
};

void register_event_routes(http::Router& router, const Api& api);

}  // namespace dure::community
