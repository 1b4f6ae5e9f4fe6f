#pragma once
// What `dure` does before any module runs: open the database (applying migrations), load the
// master key, and build the Platform the modules share. Used by main.cpp, serve and the CLI.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/module.hpp"

namespace CLI {
class App;
}
namespace dure::identity {
class Keyring;
}

namespace dure::app {

// The options every database command takes (--db, --key-file).
struct Common {
    std::string db = "sqlite:var/dure.db";
    std::string key_file = "var/dure.key";
};
void add_common(CLI::App* cmd, Common& c);

// Opens the database (creating the SQLite file's folder) and applies pending migrations.
std::unique_ptr<store::Database> open_database(const Common& c, int pool = 4);

// Loads the master key. A new key beside a database that already holds encrypted data would
// make all of it unreadable, so that case stops with an explanation instead.
identity::Keyring load_keys(const Common& c, store::Database& db);

// The platform on an opened database outside `dure serve` (demo, CLI commands): no identity
// service, the first district as the default (looked up when asked, so a demo seed that creates
// it is seen), DURE_PUBLIC_URL or http://127.0.0.1:8080 in links.
Platform offline_platform(const Common& c, store::Database& db, const identity::Keyring& keys,
                          identity::IdentityStore& ids);

// Adds every module's CLI subcommands (app::Module::commands) under `app`.
class Commands {
public:
    Commands(CLI::App& app, Common& common, std::vector<std::unique_ptr<Module>>& modules);
    // Runs the module command given on the command line: nullopt when none was.
    std::optional<int> run();

private:
    Common& common_;
    std::vector<std::unique_ptr<Module>>& modules_;
    std::vector<std::pair<CLI::App*, Command>> commands_;
};

// `dure demo`: starts every module, runs their seeds in order, writes the accounts JSON when
// `accounts_out` is set and prints the summary (its text is read by tests).
int run_demo(const Common& c, std::vector<std::unique_ptr<Module>>& modules, DemoOptions o,
             const std::string& accounts_out);

}  // namespace dure::app
