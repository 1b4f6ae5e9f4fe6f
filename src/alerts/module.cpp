// The alerts module: membership alerts (re-screening members and notifying the ones with news),
// the inbox and outbox delivery, and recommendations (alerts.*, alerts_api.*, recommend.*; the
// namespace is still dure::eligibility). Jobs outbox_delivery and rescreen; `dure alerts
// rescreen|deliver`. Publishes the AlertService (check-ins send through its channels).
#include "alerts/module.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "catalog/store.hpp"
#include "common/dates.hpp"
#include "alerts/alerts.hpp"
#include "alerts/alerts_api.hpp"
#include "alerts/recommend.hpp"
#include "eligibility/rules.hpp"
#include "eligibility/store.hpp"
#include "notify/channels.hpp"
#include "store/database.hpp"

namespace dure::alerts {
namespace {

using eligibility::AlertService;
using eligibility::Rules;

eligibility::Days today_days(const Rules& rules) {
    auto d = eligibility::parse_date(today_seoul()).value_or(rules.first_date());
    return std::clamp(d, rules.first_date(), rules.last_date());
}

class AlertsModule : public app::Module {
public:
    const char* name() const override { return "alerts"; }

    // Channels from the environment: DURE_SMTP_URL, DURE_SMTP_FROM, DURE_SMTP_USER,
    // DURE_SMTP_PASSWORD; DURE_ALERT_WEBHOOK_URL, DURE_ALERT_WEBHOOK_SECRET.
    void start(app::Platform& p) override {
        using app::Platform;
        rules_ = p.services.need<std::shared_ptr<const Rules>>();
        auto& profiles = p.services.need<eligibility::ProfileStore>();
        alerts_ = std::make_unique<AlertService>(p.db, p.keys, p.ids, profiles, rules_, p.public_url);
        if (auto url = Platform::env("DURE_SMTP_URL"); !url.empty())
            alerts_->set_email(std::make_unique<notify::SmtpSender>(url, Platform::env("DURE_SMTP_FROM", "no-reply@dure.kr"),
                                                                    Platform::env("DURE_SMTP_USER"),
                                                                    Platform::env("DURE_SMTP_PASSWORD")));
        if (auto url = Platform::env("DURE_ALERT_WEBHOOK_URL"); !url.empty())
            alerts_->set_webhook(
                std::make_unique<notify::HttpWebhookSender>(url, Platform::env("DURE_ALERT_WEBHOOK_SECRET")));
        recs_ = std::make_unique<eligibility::RecommendationStore>(p.db);
        p.services.provide(*alerts_);
    }

    void routes(http::Router& router, app::Platform& p) override {
        auto& catalog = p.services.need<catalog::CatalogStore>();
        eligibility::register_alert_routes(
            router, rules_, *p.identity, *alerts_, p.services.need<eligibility::ProfileStore>(), *recs_,
            [&catalog](long long district) {
                std::vector<eligibility::ServiceInfo> out;
                for (const auto& s : catalog.services(district))
                    if (s.status == "active")
                        out.push_back({s.id, s.name, s.program_code, s.provider_level, s.life_stages, s.situations, s.topics});
                return out;
            },
            p.default_district);
    }

    // Outbox delivery runs every DURE_ALERT_INTERVAL seconds (default 30) on a thread of its own,
    // so no delivery problem holds up the check-in escalation; re-screening once a day.
    std::vector<jobs::Job> jobs(app::Platform& p) override {
        long long interval =
            std::max(1L, std::strtol(app::Platform::env("DURE_ALERT_INTERVAL", "30").c_str(), nullptr, 10));
        std::vector<jobs::Job> out;
        out.push_back({"outbox_delivery", interval, 0, [this](long long now) { alerts_->deliver(now); }, 120});
        out.push_back({"rescreen", 86400, 60, [this](long long now) {
                           auto st = alerts_->rescreen(today_days(*rules_), now);
                           std::cerr << "dure: re-screened " << st.members << " members, notified " << st.notified
                                     << std::endl;
                       }});
        return out;
    }

    std::vector<app::Command> commands() override {
        auto date = std::make_shared<std::string>();
        std::vector<app::Command> out;
        out.push_back({"alerts", "Membership alerts", {}, {}, {}});
        out.push_back({"alerts rescreen", "Re-screen every consenting member; notify the ones with news",
                       [date](CLI::App& c) { c.add_option("--date", *date, "Simulation date (default: today in Korea)"); },
                       [this, date](app::Platform&) {
                           auto d = date->empty() ? today_days(*rules_) : eligibility::parse_date(*date).value_or(-1);
                           if (d < rules_->first_date() || d > rules_->last_date()) {
                               std::cerr << "dure: --date must be a YYYY-MM-DD date from "
                                         << eligibility::format_date(rules_->first_date()) << " to "
                                         << eligibility::format_date(rules_->last_date()) << "\n";
                               return 2;
                           }
                           auto st = alerts_->rescreen(d, store::now_unix());
                           std::cout << "re-screened " << st.members << " members (" << st.skipped
                                     << " skipped): " << st.notified << " notified of " << st.changes << " changes\n";
                           return 0;
                       },
                       {}});
        out.push_back({"alerts deliver", "Deliver the due outbox messages once", {},
                       [this](app::Platform&) {
                           auto st = alerts_->deliver(store::now_unix());
                           std::cout << "delivered " << st.sent << ", retrying " << st.retried
                                     << ", deferred (quiet hours) " << st.deferred << ", given up " << st.dead << "\n";
                           return 0;
                       },
                       {}});
        return out;
    }

private:
    std::shared_ptr<const Rules> rules_;
    std::unique_ptr<AlertService> alerts_;
    std::unique_ptr<eligibility::RecommendationStore> recs_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<AlertsModule>(); }

}  // namespace dure::alerts
