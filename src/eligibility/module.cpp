// The eligibility module: the rules (data/eligibility), the simulation routes and the member's
// saved household, and `dure eligibility check|test`. Publishes the rules and the ProfileStore.
#include "eligibility/module.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "identity/consent_store.hpp"
#include "catalog/store.hpp"
#include "common/rate_limit.hpp"
#include "eligibility/api.hpp"
#include "eligibility/casefile.hpp"
#include "eligibility/rules.hpp"
#include "eligibility/store.hpp"

namespace dure::eligibility {
namespace {

struct Args {
    std::string data, cases;
};

// `dure eligibility check` (validate the rules and their sources) or `test DIR` (run the cases).
int run_rules_command(Args a, bool check) {
    namespace fs = std::filesystem;
    if (a.data.empty() && !check) {
        auto guess = fs::path(a.cases) / ".." / ".." / "data" / "eligibility";
        if (fs::is_directory(guess)) a.data = guess.lexically_normal().string();
    }
    auto rules = a.data.empty() ? Rules::embedded() : Rules::from_directory(a.data);
    std::cout << "rules: " << (a.data.empty() ? std::string("embedded") : a.data) << ", " << rules->programs().size()
              << " programs, " << rules->parameters().size() << " parameters, dates "
              << format_date(rules->first_date()) << " to " << format_date(rules->last_date()) << "\n";
    if (check) {
        auto src = check_sources(*rules);
        std::cout << "sources: " << src.values << " values, " << src.checked << " with a checked date, "
                  << src.estimates << " estimates, " << src.unsourced << " without an official source\n";
        std::cout << "estimates read by each program:\n";
        for (const auto& [code, n] : src.estimates_by_program) std::cout << "  " << code << " " << n << "\n";
        for (const auto& v : src.unsourced_values)
            std::cout << "NO SOURCE " << v << " (cite an official source or mark it estimate: with the reason)\n";
        for (const auto& p : src.missing_newest_year)
            std::cout << "MISSING " << p << " has no value for " << src.newest_year
                      << " (renewed yearly; see docs/sources.md)\n";
        return src.ok() ? 0 : 1;
    }
    auto rep = run_case_files(*rules, a.cases, std::cout);
    std::cout << rep.files << " files, " << rep.cases << " cases, " << rep.checks << " checks, " << rep.failures
              << " failures\n";
    return rep.failures == 0 && rep.cases > 0 ? 0 : 1;
}

class EligibilityModule : public app::Module {
public:
    const char* name() const override { return "eligibility"; }

    void start(app::Platform& p) override {
        rules_ = Rules::embedded();
        profiles_ = std::make_unique<ProfileStore>(p.db, p.keys);
        // Withdrawing the alerts consent on My page stops the alerts in the same transaction.
        identity::ConsentStore::on_withdraw("eligibility_alerts", &ProfileStore::withdraw_alerts_in);
        p.services.provide(rules_);
        p.services.provide(*profiles_);
    }

    void routes(http::Router& router, app::Platform& p) override {
        auto& catalog = p.services.need<catalog::CatalogStore>();
        register_routes(
            router, rules_, *p.identity, *profiles_,
            [&catalog](long long district) {
                std::vector<CatalogProgram> out;
                for (const auto& s : catalog.services(district))
                    if (!s.program_code.empty() && s.status == "active") out.push_back({s.program_code, s.id, s.name});
                return out;
            },
            p.default_district, p.limits ? p.limits->simulations : PublicLimits{}.simulations);
    }

    std::vector<app::Command> commands() override {
        auto check = std::make_shared<Args>(), test = std::make_shared<Args>();
        std::vector<app::Command> out;
        out.push_back({"eligibility", "Eligibility rules (data/eligibility)", {}, {}, {}});
        out.push_back({"eligibility check", "Load and validate the rules; print what they cover",
                       [check](CLI::App& c) {
                           c.add_option("--data", check->data,
                                        "A folder laid out like data/eligibility (default: the embedded rules)");
                       },
                       {}, [check] { return run_rules_command(*check, true); }});
        out.push_back({"eligibility test", "Run the rule test cases (tests/rules/*.json)",
                       [test](CLI::App& c) {
                           c.add_option("DIR", test->cases, "Folder of case files")->required();
                           c.add_option("--data", test->data,
                                        "A folder laid out like data/eligibility (default: DIR/../../data/eligibility if "
                                        "it exists, else the embedded rules)");
                       },
                       {}, [test] { return run_rules_command(*test, false); }});
        return out;
    }

private:
    std::shared_ptr<const Rules> rules_;
    std::unique_ptr<ProfileStore> profiles_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<EligibilityModule>(); }

}  // namespace dure::eligibility
