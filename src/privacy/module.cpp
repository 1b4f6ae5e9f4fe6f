// The privacy module: residents' rights requests, the retention table (data/privacy) and its
// daily purge (job privacy_purge); `dure privacy purge`.
#include "privacy/module.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "eligibility/model.hpp"
#include "privacy/api.hpp"
#include "privacy/retention.hpp"
#include "store/database.hpp"

namespace dure::privacy {
namespace {

struct Args {
    std::string now;
    bool dry = false;
};

int purge_command(store::Database& db, const Args& a) {
    long long now = store::now_unix();
    if (!a.now.empty()) {
        bool digits = a.now.find_first_not_of("0123456789") == std::string::npos;
        std::optional<long long> day;
        if (!digits)
            if (auto d = eligibility::parse_date(a.now)) day = *d;
        if (!digits && !day) {
            std::cerr << "dure: --now must be Unix seconds or a YYYY-MM-DD date, got '" << a.now << "'\n";
            return 2;
        }
        now = digits ? std::stoll(a.now) : static_cast<long long>(*day) * 86400 - 9 * 3600;  // midnight in Korea
    }
    for (const auto& c : purge(db, Retention::embedded(), now, a.dry)) {
        std::cout << c.kind << std::string(c.kind.size() < 20 ? 20 - c.kind.size() : 1, ' ');
        if (c.kept) std::cout << "kept (not purged by this job)\n";
        else std::cout << c.count << (a.dry ? " (dry run)" : "") << "\n";
    }
    return 0;
}

class PrivacyModule : public app::Module {
public:
    const char* name() const override { return "privacy"; }

    void routes(http::Router& router, app::Platform& p) override {
        Retention::embedded();  // a broken retention configuration stops the start
        register_routes(router, p.db, p.keys, *p.identity);
    }

    // Retention: purge what is past its period (data/privacy/retention.json), daily.
    std::vector<jobs::Job> jobs(app::Platform& p) override {
        return {{"privacy_purge", 86400, 60, [&p](long long now) {
                     long long purged = 0;
                     for (const auto& c : purge(p.db, Retention::embedded(), now, false)) purged += c.count;
                     if (purged) std::cerr << "dure: retention purge removed " << purged << " records" << std::endl;
                 }}};
    }

    std::vector<app::Command> commands() override {
        auto a = std::make_shared<Args>();
        std::vector<app::Command> out;
        out.push_back({"privacy", "Personal-data retention (docs/privacy.md)", {}, {}, {}});
        app::Command purge_cmd{
            "privacy purge",
            "Delete what is past its retention period (data/privacy/retention.json); print counts per kind",
            [a](CLI::App& c) {
                c.add_option("--now", a->now, "The clock: Unix seconds or YYYY-MM-DD (default: now)");
                c.add_flag("--dry-run", a->dry, "Count only; delete nothing");
            },
            {},
            {}};
        purge_cmd.run_db = [a](store::Database& db) { return purge_command(db, *a); };
        out.push_back(std::move(purge_cmd));
        return out;
    }
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<PrivacyModule>(); }

}  // namespace dure::privacy
