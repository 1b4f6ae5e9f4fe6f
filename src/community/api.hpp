#pragma once
// HTTP routes of the community module (parse, authorize, call the stores, answer).
#include <ostream>

#include "http/router.hpp"

namespace dure::identity {
class IdentityService;
class Keyring;
}

namespace dure::community {

class EventStore;
class DrawStore;
class SpaceStore;
class CourseStore;
class MarketStore;

struct Api {
    EventStore& events;
    DrawStore& draws;
    SpaceStore& spaces;
    CourseStore& courses;
    MarketStore& market;
    identity::IdentityService& ids;
    std::function<long long()> default_district;
    const identity::Keyring* keys = nullptr;  // for the in-kind gift written through giving's store
};

void register_event_routes(http::Router& router, const Api& api);
void register_draw_routes(http::Router& router, const Api& api);
void register_space_routes(http::Router& router, const Api& api);
// The academy: courses, enrolment, attendance per session, completion certificates (api_academy.cpp).
void register_course_routes(http::Router& router, const Api& api);
// The sharing market (api_market.cpp).
void register_market_routes(http::Router& router, const Api& api);
// What an event gives away, as an in-kind gift in the giving ledger (api_gifts.cpp).
void register_event_gift_routes(http::Router& router, const Api& api);

// The published document of a draw that `dure lottery verify FILE SEED` checks (JSON text).
std::string published_draw(DrawStore& draws, long long draw_id);
// `dure lottery verify`: recomputes the list hash and the winners from a published document (or
// a text file of entry codes, one a line, with `winners`); prints them; 0 when all match.
int verify_draw_file(const std::string& path, const std::string& seed, long long winners, std::ostream& out);

}  // namespace dure::community
