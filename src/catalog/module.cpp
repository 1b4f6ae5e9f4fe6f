// The catalog module: services, facilities, taxonomy and search, HSDS import/export, and (until
// they have folders of their own) facility disclosures, news, job listings and the welfare
// status map. Publishes CatalogStore and Catalog for the modules that read the catalogue.
#include "catalog/module.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>

#include "app/demo.hpp"
#include "catalog/api.hpp"
#include "catalog/catalog.hpp"
#include "disclosures/disclosure_api.hpp"
#include "catalog/hsds.hpp"
#include "catalog/hsds_api.hpp"
#include "atlas/stats_api.hpp"
#include "catalog/store.hpp"
#include "cli/demo_catalog.hpp"
#include "cli/demo_disclosures.hpp"
#include "cli/demo_stats.hpp"
#include "common/embedded.hpp"
#include "identity/store.hpp"
#include "store/change_feed.hpp"

namespace dure::catalog {
namespace {

std::string_view embedded_text(const char* path) {
    auto t = embedded::find(path);
    if (!t) throw std::runtime_error(std::string("missing embedded file ") + path);
    return *t;
}

// The district of `code` (empty: the first one); 0 when there is none.
long long district_of(identity::IdentityStore& ids, const std::string& code) {
    for (const auto& d : ids.districts())
        if (code.empty() || d.code == code) return d.id;
    return 0;
}

class CatalogModule : public app::Module {
public:
    const char* name() const override { return "catalog"; }

    void start(app::Platform& p) override {
        store_ = std::make_unique<CatalogStore>(p.db);
        catalog_ = std::make_unique<Catalog>(*store_, Synonyms::parse(std::string(embedded_text("data/catalog/synonyms.txt")) + "\n" +
                                                                    std::string(embedded_text("data/catalog/situations.txt"))),
                                             Vocabulary::parse(embedded_text("data/catalog/taxonomy.json")));
        p.services.provide(*store_);
        p.services.provide(*catalog_);
        // A catalogue edit by any process (or `dure import hsds`) rebuilds this process's indexes;
        // the answer cache is keyed by their generation, so it follows.
        if (p.changes)
            p.changes->subscribe("catalog", [this, &p] {
                auto t0 = std::chrono::steady_clock::now();
                for (const auto& d : p.ids.districts()) catalog_->refresh(d.id);
                auto ms =
                    std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
                std::cerr << "dure: catalogue changed: search index refreshed in " << ms << " ms" << std::endl;
            });
    }

    void routes(http::Router& router, app::Platform& p) override {
        for (const auto& d : p.ids.districts()) catalog_->load(d.id);
        register_routes(router, *catalog_, *p.identity, p.default_district);
        register_hsds_routes(router, *store_, p.default_district());
        register_disclosure_routes(router, p.db, *store_, *p.identity, p.default_district);
        register_stats_routes(router, p.db, *p.identity, p.default_district);
    }

    std::string demo(app::Platform& p, const app::DemoOptions& o) override {
        auto services = cli::load_demo_catalog(*store_, p.ids, o.today);
        cli::load_demo_disclosures(p.db, p.ids);
        cli::load_demo_stats(p.db, p.ids);
        if (auto* s = p.services.find<app::DemoSummary>()) s->services = services;
        return {};
    }

    std::vector<app::Command> commands() override {
        struct Args {
            std::string path, district;
        };
        auto hsds = std::make_shared<Args>(), jobs = std::make_shared<Args>(), out = std::make_shared<Args>();
        auto district_option = [](CLI::App& c, std::string& v) {
            c.add_option("--district", v, "District code (default: the first district)");
        };
        std::vector<app::Command> cmds;
        cmds.push_back({"import", "Import data", {}, {}, {}});
        cmds.push_back({"import hsds", "Import Open Referral HSDS 3.0 (JSON file or CSV datapackage); all or nothing per file",
                        [hsds, district_option](CLI::App& c) {
                            c.add_option("PATH", hsds->path, "JSON file, datapackage.json or its folder")->required();
                            district_option(c, hsds->district);
                        },
                        [this, hsds](app::Platform& p) {
                            long long district_id = district_of(p.ids, hsds->district);
                            if (!district_id) {
                                std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
                                return 2;
                            }
                            auto rep = import_hsds(*store_, district_id, hsds->path);
                            for (const auto& w : rep.warnings) std::cerr << "warning: " << describe(w) << "\n";
                            if (!rep.ok()) {
                                std::cerr << "import refused, nothing was written (" << rep.errors.size()
                                          << " problems):\n";
                                for (const auto& e : rep.errors) std::cerr << "  " << describe(e) << "\n";
                                return 1;
                            }
                            std::cout << "imported:";
                            for (const auto& [table, n] : rep.counts) std::cout << " " << table << "=" << n;
                            std::cout << "\n";
                            return 0;
                        },
                        {}});
        cmds.push_back({"import jobs", "Import the jobs list (CSV or JSON); all or nothing",
                        [jobs, district_option](CLI::App& c) {
                            c.add_option("PATH", jobs->path, "CSV file with a header row, or JSON")->required();
                            district_option(c, jobs->district);
                        },
                        [jobs](app::Platform& p) { return cli::import_jobs(p.db, p.ids, jobs->path, jobs->district); },
                        {}});
        cmds.push_back({"export", "Export data", {}, {}, {}});
        cmds.push_back({"export hsds", "Export the catalogue as an HSDS 3.0 CSV datapackage",
                        [out, district_option](CLI::App& c) {
                            c.add_option("DIR", out->path, "Folder to write (created if missing)")->required();
                            district_option(c, out->district);
                        },
                        [this, out](app::Platform& p) {
                            long long district_id = district_of(p.ids, out->district);
                            if (!district_id) {
                                std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
                                return 2;
                            }
                            export_hsds(*store_, district_id, out->path);
                            std::cout << "exported the catalogue of district " << district_id << " to " << out->path
                                      << "\n";
                            return 0;
                        },
                        {}});
        return cmds;
    }

private:
    std::unique_ptr<CatalogStore> store_;
    std::unique_ptr<Catalog> catalog_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<CatalogModule>(); }

}  // namespace dure::catalog
