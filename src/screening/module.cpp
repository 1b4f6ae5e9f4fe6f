// The screening module: crisis-indicator files from institutions, the risk model and the
// bimonthly screening rounds (job screening_rounds); `dure import indicators`.
#include "screening/module.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "identity/store.hpp"
#include "screening/api.hpp"
#include "screening/model.hpp"
#include "screening/store.hpp"

namespace dure::screening {
namespace {

struct Args {
    std::string path, district;
};

int import_indicators(app::Platform& p, ScreeningStore& store, const Args& a) {
    auto districts = p.ids.districts();
    const identity::District* district = nullptr;
    for (const auto& d : districts)
        if (a.district.empty() || d.code == a.district) {
            district = &d;
            break;
        }
    if (!district) {
        std::cerr << "dure: no such district\n";
        return 2;
    }
    std::map<std::string, long long> dong_ids;
    for (const auto& g : district->dongs) dong_ids[g.code] = g.id;
    std::ifstream in(a.path, std::ios::binary);
    if (!in) {
        std::cerr << "dure: cannot read " << a.path << "\n";
        return 2;
    }
    const auto& cat = IndicatorCatalog::embedded();
    auto t0 = std::chrono::steady_clock::now();
    auto rep = parse_indicator_csv(
        in, cat, [&](const std::string& c) { return dong_ids.count(c) > 0; },
        [](long long lines) { std::cerr << "  read " << lines << " lines\r" << std::flush; });
    std::cerr << "  read " << rep.lines << " lines\n";
    if (rep.error_count) {
        std::cerr << a.path << ": " << rep.error_count << " errors; nothing was imported\n";
        for (const auto& e : rep.errors)
            std::cerr << "  line " << e.line << (e.field.empty() ? "" : " (" + e.field + ")") << ": " << e.message << "\n";
        return 1;
    }
    auto res = store.import(district->id, rep.rows, dong_ids, cat,
                            "file:" + std::filesystem::path(a.path).filename().string());
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char figures[96];
    std::snprintf(figures, sizeof figures, "%.2f s, %.0f rows/s", secs, secs > 0 ? res.rows / secs : 0.0);
    std::cout << "imported " << res.rows << " rows for " << res.households << " households in " << figures << "\n";
    return 0;
}

class ScreeningModule : public app::Module {
public:
    const char* name() const override { return "screening"; }

    void start(app::Platform& p) override { store_ = std::make_unique<ScreeningStore>(p.db, p.keys); }

    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, *store_, *p.identity, p.default_district);
    }

    // Risk screening every two months per district (on demand too, over the API).
    std::vector<jobs::Job> jobs(app::Platform& p) override {
        return {{"screening_rounds", 86400, 60, [this, &p](long long now) {
                     std::vector<long long> ids;
                     for (const auto& d : p.ids.districts()) ids.push_back(d.id);
                     for (const auto& r : run_due_rounds(*store_, ids, now))
                         std::cerr << "dure: screening round " << r.id << " of district " << r.district_id << ": "
                                   << r.listed << " of " << r.households << " households listed" << std::endl;
                 }}};
    }

    std::vector<app::Command> commands() override {
        auto a = std::make_shared<Args>();
        return {{"import indicators",
                 "Import an institution's crisis-indicator file (CSV household_key,dong,indicator,value,period); all or "
                 "nothing",
                 [a](CLI::App& c) {
                     c.add_option("PATH", a->path, "CSV file (UTF-8)")->required();
                     c.add_option("--district", a->district, "District code (default: the first district)");
                 },
                 [this, a](app::Platform& p) { return import_indicators(p, *store_, *a); },
                 {}}};
    }

private:
    std::unique_ptr<ScreeningStore> store_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<ScreeningModule>(); }

}  // namespace dure::screening
