#include "cli/demo_stats.hpp"

#include <stdexcept>

#include "catalog/demo_data.hpp"
#include "atlas/stats.hpp"
#include "atlas/stats_store.hpp"
#include "common/embedded.hpp"

namespace dure::cli {

std::size_t load_demo_stats(store::Database& db, identity::IdentityStore& ids) {
    auto district = ids.district_by_code("demo");
    if (!district) throw std::runtime_error("load the demo district first");
    catalog::StatsStore st(db);
    std::vector<catalog::StatDong> dongs;
    catalog::DemoDistrict d;
    d.id = district->id;
    d.name = district->name_ko;
    for (const auto& g : district->dongs) {
        dongs.push_back({g.id, g.code, g.name_ko, g.name_en});
        d.dongs.push_back({g.id, g.name_ko});
    }
    long long now = store::now_unix();
    if (st.boundaries(d.id).empty()) {
        auto b = catalog::read_dong_boundaries(catalog::demo_dong_geojson(d), dongs);
        if (!b.errors.empty())
            throw std::runtime_error("demo boundaries: " + b.errors.front().field + ": " + b.errors.front().message);
        st.replace_boundaries(d.id, b.boundaries, "demo generator (fictional district)", now);
    }
    if (st.count(d.id) > 0) return static_cast<std::size_t>(st.count(d.id));
    auto text = embedded::find("data/catalog/demo-statistics.csv");
    if (!text) throw std::runtime_error("missing embedded data/catalog/demo-statistics.csv");
    auto up = catalog::read_statistics_csv(*text, st.indicators(), dongs, d.id);
    if (!up.errors.empty())
        throw std::runtime_error("demo-statistics.csv: " + up.errors.front().field + ": " + up.errors.front().message);
    for (auto& v : up.values) {
        v.uploaded_by = "demo";
        v.uploaded_at = now;
    }
    st.save(up.values);
    return up.values.size();
}

}  // namespace dure::cli
