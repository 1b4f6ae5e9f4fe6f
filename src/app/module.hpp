#pragma once
// One entry point per module (docs/decisions/0090-module-entry-point.md).
//
// A module is a folder under src/ with one class derived from `app::Module` that declares what
// the module brings to the platform: its routes (with their OpenAPI metadata, on the Route), its
// scheduled jobs (run once per cluster by src/jobs), its demo seed, and its CLI subcommands. Its
// migrations live in migrations/ and its data in data/<module>/, both embedded by CMake.
// src/app/modules.cpp lists every module once, in start order; adding a module is a new folder
// plus one line there. Compare userver's component list, Decidim's component manifest.
//
// Modules reach each other only through public headers: a module that others use publishes a
// service object in `Platform::services` during start(); a later module looks it up by type.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <typeindex>
#include <unordered_map>
#include <vector>

#include "http/router.hpp"
#include "jobs/scheduler.hpp"

namespace CLI {
class App;
}
namespace dure {
struct PublicLimits;
}
namespace dure::store {
class Database;
class ChangeFeed;
}
namespace dure::identity {
class Keyring;
class IdentityStore;
class IdentityService;
}  // namespace dure::identity

namespace dure::app {

// Typed lookup of the services modules publish to each other (one object per type).
class Services {
public:
    template <class T>
    void provide(T& service) {
        items_[std::type_index(typeid(T))] = &service;
    }
    template <class T>
    T* find() const {
        auto it = items_.find(std::type_index(typeid(T)));
        return it == items_.end() ? nullptr : static_cast<T*>(it->second);
    }
    // Throws when no module published a T (a module listed after the one that needs it).
    template <class T>
    T& need() const {
        if (auto* p = find<T>()) return *p;
        throw std::logic_error(std::string("no module provides ") + typeid(T).name());
    }

private:
    std::unordered_map<std::type_index, void*> items_;
};

// What the platform gives every module. `identity` is null outside `dure serve` (demo, CLI).
struct Platform {
    store::Database& db;
    const identity::Keyring& keys;
    identity::IdentityStore& ids;
    identity::IdentityService* identity = nullptr;
    // The district a request without one means (the first district).
    std::function<long long()> default_district;
    // The public address used in links (DURE_PUBLIC_URL).
    std::string public_url;
    const PublicLimits* limits = nullptr;
    Services services;
    // The master key file (the access-log checkpoints go beside it unless configured).
    std::string key_file;
    // The change feed (serve only, else null): subscribe in start() to follow other processes.
    store::ChangeFeed* changes = nullptr;
    // Configuration from the environment: the value of `name`, or `dflt` when unset or empty.
    static std::string env(const char* name, const std::string& dflt = {});
};

// Options of `dure demo` every module's seed sees.
struct DemoOptions {
    long long now = 0;         // Unix seconds
    std::string today;         // YYYY-MM-DD in Seoul
    bool second_district = false;
    bool no_outreach = false;  // tests that count from an empty queue
    unsigned seed = 20261207;  // deterministic demo data
};

// A CLI subcommand a module adds under `dure`. `run` gets a platform on the opened database.
struct Command {
    std::string path;  // e.g. "lottery verify" (words are nested subcommands)
    std::string help;
    // Adds the subcommand's own options and arguments.
    std::function<void(CLI::App&)> options;
    // Runs it on the opened database (after every module's start); returns the exit status.
    std::function<int(Platform&)> run;
    // Or, for a command that needs no database (e.g. verifying a published file): set this
    // instead of `run`; no --db/--key-file options are added.
    std::function<int()> run_offline;
    // Or, for a command that opens the database (--db, migrations applied) but needs no master
    // key (--key-file is accepted and unused).
    std::function<int(store::Database&)> run_db;
    // A command with none of the three names a group (e.g. "import") and gives its help text.
};

class Module {
public:
    virtual ~Module() = default;
    // The folder name, e.g. "sharing".
    virtual const char* name() const = 0;
    // Builds the module's stores and services; publishes what other modules use.
    virtual void start(Platform& p) {}
    // Declares the module's routes (serve only; p.identity is set).
    virtual void routes(http::Router& router, Platform& p) {}
    // Declares the module's scheduled jobs (serve only); each runs once per cluster.
    virtual std::vector<jobs::Job> jobs(Platform& p) { return {}; }
    // Seeds the demo district (after start); returns a line for the demo summary or "".
    virtual std::string demo(Platform& p, const DemoOptions& o) { return {}; }
    // The module's CLI subcommands.
    virtual std::vector<Command> commands() { return {}; }
    // Called once the server has stopped and its jobs have ended (serve only).
    virtual void stop(Platform& p) {}
};

// Every module, in start order (src/app/modules.cpp).
std::vector<std::unique_ptr<Module>> all_modules();

}  // namespace dure::app
