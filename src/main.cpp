// dure — integrated community-welfare platform. Wiring only: parse the command line and hand it
// to the modules (src/app/modules.cpp lists them; src/app/serve.cpp runs the server).
#include <CLI/CLI.hpp>
#include <iostream>

#include "app/module.hpp"
#include "app/platform.hpp"
#include "app/serve.hpp"
#include "common/error.hpp"

namespace {
constexpr const char* kVersion = "0.1.0";
}

int main(int argc, char** argv) {
    CLI::App app{"dure (두레) — integrated community-welfare platform"};
    app.require_subcommand(1);
    app.set_version_flag("--version", kVersion);

    dure::app::ServeCommand serve(app);
    auto& common = serve.cfg.common;

    auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations");
    dure::app::add_common(migrate_cmd, common);

    auto* demo_cmd = app.add_subcommand("demo", "Create (or refresh) the demo district and its accounts");
    dure::app::add_common(demo_cmd, common);
    std::string accounts_out;
    dure::app::DemoOptions demo;
    demo_cmd->add_option("--accounts-out", accounts_out, "Also write the demo accounts (role, login, password, scope) as JSON");
    demo_cmd->add_flag("--no-outreach", demo.no_outreach,
                       "Leave out the demo gatekeepers and reports (tests that count from an empty queue)");
    demo_cmd->add_flag("--second-district", demo.second_district,
                       "Also create a second district (누리구) with its own dongs, staff and persons");

    // The modules (src/app/modules.cpp), and their own subcommands (app::Module::commands).
    auto modules = dure::app::all_modules();
    dure::app::Commands commands(app, common, modules);

    CLI11_PARSE(app, argc, argv);
    try {
        if (*serve.cmd) return serve.run(modules, kVersion);
        if (*migrate_cmd) {
            dure::app::open_database(common);
            std::cout << "migrations are up to date\n";
            return 0;
        }
        if (*demo_cmd) return dure::app::run_demo(common, modules, demo, accounts_out);
        if (auto status = commands.run()) return *status;
    } catch (const dure::Error& e) {
        std::cerr << "dure: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "dure: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
