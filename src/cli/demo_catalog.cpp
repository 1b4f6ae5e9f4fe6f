#include "cli/demo_catalog.hpp"

#include <stdexcept>

#include "catalog/demo_data.hpp"
#include "common/embedded.hpp"

namespace dure::cli {

std::size_t load_demo_catalog(catalog::CatalogStore& cat, identity::IdentityStore& ids, const std::string& today) {
    auto district = ids.district_by_code("demo");
    if (!district) throw std::runtime_error("load the demo district first");
    auto existing = cat.list_services(district->id, {});
    if (existing.total > 0) return static_cast<std::size_t>(existing.total);

    catalog::DemoDistrict d;
    d.id = district->id;
    d.name = district->name_ko;
    for (const auto& g : district->dongs) d.dongs.push_back({g.id, g.name_ko});
    auto text = [](const char* path) {
        auto t = embedded::find(path);
        if (!t) throw std::runtime_error(std::string("missing embedded ") + path);
        return *t;
    };
    auto demo = catalog::generate_demo_catalog(d, text("data/catalog/programs.json"), text("data/catalog/generator.json"),
                                               text("data/catalog/taxonomy.json"), today);

    // The demo facility manager's organization runs the first 노인복지관, so that account can
    // edit exactly one facility.
    long long manager_org = ids.organization_by_name(d.id, "한빛노인종합복지관");
    catalog::CatalogBatch batch;
    for (auto& f : demo.facilities) {
        if (manager_org && f.type == "노인복지관") {
            catalog::Organization o;
            o.id = catalog::name_uuid("demo:" + std::to_string(d.id) + ":org:한빛노인종합복지관");
            o.district_id = d.id;
            o.name = "한빛노인종합복지관";
            demo.organizations.push_back(o);
            f.organization_id = o.id;
            f.name = o.name;
            ids.link_organization(manager_org, o.id);
            manager_org = 0;
        }
        for (const auto& sid : f.service_ids) {
            catalog::ServiceAtLocation l;
            l.id = catalog::name_uuid("sal:" + sid + ":" + f.id);
            l.district_id = d.id;
            l.service_id = sid;
            l.location_id = f.id;
            batch.service_at_locations.push_back(std::move(l));
        }
    }
    batch.organizations = std::move(demo.organizations);
    batch.services = std::move(demo.services);
    batch.facilities = std::move(demo.facilities);
    std::size_t n = batch.services.size();
    cat.apply(std::move(batch), "demo", "demo catalogue");
    return n;
}

}  // namespace dure::cli
