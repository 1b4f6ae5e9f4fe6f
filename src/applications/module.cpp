// The applications module's entry point (app::Module): its store and routes.
#include "applications/module.hpp"

#include <algorithm>
#include <cstdlib>

#include "applications/api.hpp"
#include "applications/rules.hpp"
#include "applications/store.hpp"

namespace dure::applications {

namespace {

class Applications : public app::Module {
public:
    const char* name() const override { return "applications"; }

    void start(app::Platform& p) override {
        (void)embedded_forms();  // the shipped forms are checked at start: a broken file stops the server
        (void)embedded_handovers();
        store_ = std::make_unique<ApplicationStore>(p.db, p.keys);
    }

    void routes(http::Router& router, app::Platform& p) override {
        long long max = std::atoll(app::Platform::env("DURE_APPLICATION_FILE_MAX", std::to_string(kDefaultFileMax)).c_str());
        Api api{*store_, *p.identity, p.ids, std::max(1LL, max)};
        register_routes(router, api);
    }

private:
    std::unique_ptr<ApplicationStore> store_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<Applications>(); }

}  // namespace dure::applications
