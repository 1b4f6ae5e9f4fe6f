// The check-ins module: assignments, check-ins, the passive-signal webhook (DURE_SIGNAL_SECRET)
// and the escalation ladder (job checkin_escalation, every DURE_ALERT_INTERVAL seconds). It
// notifies through the alerts module's channels.
#include "checkins/module.hpp"

#include <algorithm>
#include <iostream>

#include "checkins/api.hpp"
#include "checkins/checkins.hpp"
#include "alerts/alerts.hpp"

namespace dure::checkins {
namespace {

class CheckinsModule : public app::Module {
public:
    const char* name() const override { return "checkins"; }

    void start(app::Platform& p) override {
        store_ = std::make_unique<CheckinStore>(p.db, p.keys);
        store_->bind_legacy_notes();
        if (auto* alerts = p.services.find<eligibility::AlertService>())
            store_->set_notifications(p.public_url, alerts->email_configured(), alerts->sms_configured());
    }

    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, *store_, *p.identity, p.default_district, app::Platform::env("DURE_SIGNAL_SECRET"));
    }

    std::vector<jobs::Job> jobs(app::Platform& p) override {
        long long interval =
            std::max(1L, std::strtol(app::Platform::env("DURE_ALERT_INTERVAL", "30").c_str(), nullptr, 10));
        return {{"checkin_escalation", interval, 0,
                 [this](long long now) {
                     // Missed check-ins open escalations; open ones climb the ladder.
                     auto t = store_->tick(now);
                     if (t.opened || t.advanced)
                         std::cerr << "dure: check-ins: " << t.opened << " escalations opened, " << t.advanced
                                   << " advanced" << std::endl;
                 },
                 30}};
    }

private:
    std::unique_ptr<CheckinStore> store_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<CheckinsModule>(); }

}  // namespace dure::checkins
