// The community module's entry point (app::Module): its stores, routes, jobs, demo and commands.
#include "community/module.hpp"

#include <algorithm>
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "community/api.hpp"
#include "community/courses.hpp"
#include "community/market.hpp"
#include "community/demo.hpp"
#include "community/draws.hpp"
#include "community/spaces.hpp"
#include "community/events.hpp"

namespace dure::community {

namespace {

class Community : public app::Module {
public:
    const char* name() const override { return "community"; }

    void start(app::Platform& p) override {
        events_ = std::make_unique<EventStore>(p.db, p.keys);
        draws_ = std::make_unique<DrawStore>(p.db);
        spaces_ = std::make_unique<SpaceStore>(p.db);
        courses_ = std::make_unique<CourseStore>(p.db, p.keys);
        market_ = std::make_unique<MarketStore>(p.db, p.keys);
    }

    void routes(http::Router& router, app::Platform& p) override {
        Api api{*events_, *draws_, *spaces_, *courses_, *market_, *p.identity, p.default_district, &p.keys};
        register_event_routes(router, api);
        register_draw_routes(router, api);
        register_space_routes(router, api);
        register_course_routes(router, api);
        register_market_routes(router, api);
        register_event_gift_routes(router, api);
    }

    std::string demo(app::Platform& p, const app::DemoOptions& o) override {
        return seed_demo(p, o, *events_, *draws_, *spaces_);
    }

    std::vector<app::Command> commands() override {
        struct Args {
            std::string file, seed;
            long long winners = 0;
        };
        auto a = std::make_shared<Args>();
        app::Command verify;
        verify.path = "lottery verify";
        verify.help = "Reproduce a public draw from its published document (or a list of entry codes) and the seed";
        verify.options = [a](CLI::App& c) {
            c.add_option("FILE", a->file, "The draw's published document (GET /api/v1/community/draws/{id}/published) or "
                                          "a text file of entry codes, one a line")
                ->required();
            c.add_option("SEED", a->seed, "The seed made public at the draw")->required();
            c.add_option("--winners", a->winners, "Number of winners (a text file needs it)");
        };
        verify.run_offline = [a] { return verify_draw_file(a->file, a->seed, a->winners, std::cout); };
        return {verify};
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
    std::unique_ptr<DrawStore> draws_;
    std::unique_ptr<SpaceStore> spaces_;
    std::unique_ptr<CourseStore> courses_;
    std::unique_ptr<MarketStore> market_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<Community>(); }

}  // namespace dure::community
