// The community module's entry point (app::Module): its stores, routes, jobs, demo and commands.
#include "community/module.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include "community/api.hpp"
#include "community/events.hpp"

namespace dure::community {

namespace {

class Community : public app::Module {
public:
    const char* name() const override { return "community"; }

    void start(app::Platform& p) override { events_ = std::make_unique<EventStore>(p.db, p.keys); }

    void routes(http::Router& router, app::Platform& p) override {
        register_event_routes(router, Api{*events_, *p.identity, p.default_district});
    }

    std::vector<jobs::Job> jobs(app::Platform&) override {
        // Offers of freed places that were not taken in time pass to the next on the waitlist.
        long long every = std::max(1LL, std::atoll(app::Platform::env("DURE_COMMUNITY_OFFER_INTERVAL", "60").c_str()));
        return {{"community_offer_expiry", every, 0, [this](long long now) {
                     auto t = events_->expire_offers(now);
                     if (t.lapsed)
                         std::cerr << "dure: community: " << t.lapsed << " offers lapsed, " << t.offered << " passed on"
                                   << std::endl;
                 }}};
    }

private:
    std::unique_ptr<EventStore> events_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<Community>(); }

}  // namespace dure::community
