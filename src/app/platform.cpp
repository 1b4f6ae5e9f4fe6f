// Opening the database and the key, the offline platform, module commands and `dure demo`.
#include "app/platform.hpp"

#include <CLI/CLI.hpp>
#include <soci/soci.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "app/demo.hpp"
#include "common/dates.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::app {

void add_common(CLI::App* cmd, Common& c) {
    cmd->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://…")->envname("DURE_DB")->capture_default_str();
    cmd->add_option("--key-file", c.key_file, "Master key file (created with mode 0600 if missing)")
        ->envname("DURE_KEY_FILE")
        ->capture_default_str();
}

std::unique_ptr<store::Database> open_database(const Common& c, int pool) {
    if (c.db.starts_with("sqlite:")) {
        std::filesystem::path p = c.db.substr(7);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    }
    auto db = store::Database::open(c.db, pool);
    int n = store::migrate(*db);
    if (n > 0) std::cerr << "dure: applied " << n << " migration(s) to " << db->describe() << "\n";
    return db;
}

identity::Keyring load_keys(const Common& c, store::Database& db) {
    bool created = false;
    auto keys = identity::Keyring::load_or_create(c.key_file, &created);
    if (created) {
        long long accounts = 0;
        db.read([&](soci::session& s) { s << "SELECT COUNT(*) FROM accounts", soci::into(accounts); });
        if (accounts > 0) {
            std::filesystem::remove(c.key_file);
            throw std::runtime_error("the key file " + c.key_file + " is missing but " + db.describe() +
                                     " holds encrypted data; restore the key file from backup "
                                     "(see docs/operations.md)");
        }
        std::cerr << "dure: created a new master key in " << c.key_file << " (back it up)\n";
    }
    // A different key beside an existing database: refuse before writing anything with it.
    identity::IdentityStore ids(db, keys);
    ids.check_master_key(c.key_file);
    // Person fields written before they were bound to their row are rewritten once (review #19).
    if (long long n = ids.bind_person_rows(); n > 0)
        std::cerr << "dure: bound the fields of " << n << " person record(s) to their rows\n";
    return keys;
}

Platform offline_platform(const Common& c, store::Database& db, const identity::Keyring& keys,
                          identity::IdentityStore& ids) {
    Platform p{db, keys, ids, nullptr, [&ids] {
                   auto ds = ids.districts();
                   return ds.empty() ? 0LL : ds.front().id;
               },
               Platform::env("DURE_PUBLIC_URL", "http://127.0.0.1:8080"), nullptr, {}};
    p.key_file = c.key_file;
    return p;
}

Commands::Commands(CLI::App& app, Common& common, std::vector<std::unique_ptr<Module>>& modules)
    : common_(common), modules_(modules) {
    for (auto& m : modules)
        for (auto& c : m->commands()) {
            CLI::App* parent = &app;
            std::istringstream words(c.path);
            std::vector<std::string> ws{std::istream_iterator<std::string>(words), {}};
            bool group = !c.run && !c.run_offline && !c.run_db;
            for (std::size_t i = 0; i < ws.size(); ++i) {
                bool last = i + 1 == ws.size();
                CLI::App* sub = nullptr;
                for (auto* existing : parent->get_subcommands([](CLI::App*) { return true; }))
                    if (existing->get_name() == ws[i]) sub = existing;
                if (!sub) {
                    sub = parent->add_subcommand(ws[i], last ? c.help : std::string());
                    if (!last || group) sub->require_subcommand(1);
                } else if (last && sub->get_description().empty()) {
                    sub->description(c.help);
                }
                parent = sub;
            }
            if (group) continue;
            if (!c.run_offline) add_common(parent, common);
            if (c.options) c.options(*parent);
            commands_.emplace_back(parent, std::move(c));
        }
}

std::optional<int> Commands::run() {
    for (auto& [sub, cmd] : commands_) {
        if (!*sub) continue;
        if (cmd.run_offline) return cmd.run_offline();
        auto db = open_database(common_);
        if (cmd.run_db) return cmd.run_db(*db);
        auto keys = load_keys(common_, *db);
        identity::IdentityStore ids(*db, keys);
        auto platform = offline_platform(common_, *db, keys, ids);
        for (auto& m : modules_) m->start(platform);
        return cmd.run(platform);
    }
    return std::nullopt;
}

int run_demo(const Common& c, std::vector<std::unique_ptr<Module>>& modules, DemoOptions o,
             const std::string& accounts_out) {
    auto db = open_database(c);
    auto keys = load_keys(c, *db);
    identity::IdentityStore ids(*db, keys);
    auto platform = offline_platform(c, *db, keys, ids);
    DemoSummary summary;
    platform.services.provide(summary);
    o.now = store::now_unix();
    o.today = today_seoul();
    for (auto& m : modules) m->start(platform);
    std::vector<std::string> lines;
    for (auto& m : modules)
        if (auto line = m->demo(platform, o); !line.empty()) lines.push_back(line);
    if (!accounts_out.empty()) {
        auto old = ::umask(077);
        std::ofstream out(accounts_out, std::ios::trunc);
        ::umask(old);
        out << cli::demo_accounts_json(summary.accounts) << "\n";
        if (!out) throw std::runtime_error("cannot write " + accounts_out);
    }
    std::cout << "Demo district 한빛구 (Hanbit-gu) is ready with " << summary.services << " services in its catalogue"
              << (summary.reports ? ", " + std::to_string(summary.reports) + " reports in its triage queue"
                                  : std::string())
              << ". Demo accounts:\n";
    for (const auto& a : summary.accounts)
        std::cout << "  " << a.role << std::string(18 - std::min<std::size_t>(17, a.role.size()), ' ') << a.login << "  "
                  << a.password << "\n";
    for (const auto& l : lines) std::cout << l << "\n";
    return 0;
}

}  // namespace dure::app
