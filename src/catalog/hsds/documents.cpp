// The nested documents of the HSDS API (/hsds/): services with their organization, locations and taxonomy terms, read from the store.
#include "catalog/hsds/internal.hpp"

#include <map>

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace hsds_detail;

// --- documents of the HSDS API ---------------------------------------------------------------

json::object api_info() {
    return {{"version", "3.0"},
            {"profile", "https://dure.kr/hsds/profile"},
            {"openapi_url", "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"}};
}

namespace {

constexpr long long kAll = 1000000;

// Adds `taxonomy_term` (with its taxonomy_detail) to every attribute in the document.
void add_terms(CatalogStore& st, json::value& v, std::map<std::string, json::value>& cache) {
    if (v.is_array()) {
        for (auto& x : v.as_array()) add_terms(st, x, cache);
        return;
    }
    if (!v.is_object()) return;
    auto& o = v.as_object();
    if (auto* attrs = o.if_contains("attributes"); attrs && attrs->is_array()) {
        for (auto& a : attrs->as_array()) {
            if (!a.is_object()) continue;
            auto& ao = a.as_object();
            auto term_id = str_of(ao, "taxonomy_term_id");
            if (term_id.empty() || ao.contains("taxonomy_term")) continue;
            auto it = cache.find(term_id);
            if (it == cache.end()) {
                auto t = st.taxonomy_term(term_id);
                it = cache.emplace(term_id, t ? json::value(taxonomy_term_json(st, *t)) : json::value(nullptr)).first;
            }
            if (!it->second.is_null()) ao["taxonomy_term"] = it->second;
        }
    }
    for (auto& kv : o)
        if (kv.key() != "attributes" && kv.key() != "taxonomy_term") add_terms(st, kv.value(), cache);
}

json::object location_doc(const Facility& f) {
    return parse_object(f.hsds_json.empty() ? facility_document(f) : f.hsds_json);
}

json::object service_doc(const Service& s) {
    return parse_object(s.hsds_json.empty() ? service_document(s) : s.hsds_json);
}

json::object org_doc(const Organization& o) {
    return parse_object(o.hsds_json.empty() ? organization_document(o) : o.hsds_json);
}

// The organization's document with its locations.
json::object org_with_locations(CatalogStore& st, const Organization& o) {
    auto d = org_doc(o);
    FacilityQuery q;
    q.organization_id = o.id;
    q.limit = kAll;
    json::array locs;
    for (const auto& f : st.facilities(o.district_id, q).items) locs.push_back(location_doc(f));
    if (!locs.empty() || d.contains("locations")) d["locations"] = std::move(locs);
    return d;
}

// The program a service belongs to: in its organization's document or kept on its own.
std::optional<json::object> program_of(CatalogStore& st, const json::object& org, const std::string& id,
                                       long long district_id, Caches& c) {
    if (id.empty()) return std::nullopt;
    if (auto* ps = org.if_contains("programs"); ps && ps->is_array())
        for (const auto& p : ps->as_array())
            if (p.is_object() && str_of(p.as_object(), "id") == id) return p.as_object();
    if (!c.records) c.records = st.records(district_id);
    for (const auto& r : *c.records)
        if (r.kind == "program" && r.id == id) return parse_object(r.hsds_json);
    return std::nullopt;
}

}  // namespace

namespace hsds_detail {

json::object service_with_relations(CatalogStore& st, const Service& s, bool with_organization, Caches& c) {
    auto d = service_doc(s);
    json::object org;
    if (!s.organization_id.empty()) {
        auto it = c.orgs.find(s.organization_id);
        if (it == c.orgs.end()) {
            std::optional<json::object> doc;
            if (auto o = st.organization(s.organization_id)) doc = org_with_locations(st, *o);
            it = c.orgs.emplace(s.organization_id, std::move(doc)).first;
        }
        if (it->second) {
            org = *it->second;
            if (with_organization) d["organization"] = org;
        }
    }
    if (auto p = program_of(st, org, str_of(d, "program_id"), s.district_id, c)) d["program"] = *p;
    json::array sals;
    for (const auto& l : st.service_at_locations(s.district_id, s.id, "", "", "", 0, kAll).items) {
        auto ld = parse_object(l.hsds_json.empty() ? service_at_location_document(l) : l.hsds_json);
        if (auto f = st.facility(l.location_id)) ld["location"] = location_doc(*f);
        sals.push_back(std::move(ld));
    }
    if (!sals.empty() || d.contains("service_at_locations")) d["service_at_locations"] = std::move(sals);
    json::value v = std::move(d);
    add_terms(st, v, c.terms);
    return std::move(v.as_object());
}


}  // namespace hsds_detail

json::object full_service(CatalogStore& st, const Service& s) {
    Caches c;
    return service_with_relations(st, s, true, c);
}

json::object list_service(CatalogStore& st, const Service& s) {
    auto full = service_doc(s);
    auto d = scalars(full);
    json::object org_full;
    if (!s.organization_id.empty())
        if (auto o = st.organization(s.organization_id)) {
            org_full = org_doc(*o);
            d["organization"] = scalars(org_full);
        }
    Caches c;
    if (auto p = program_of(st, org_full, str_of(full, "program_id"), s.district_id, c)) d["program"] = scalars(*p);
    return d;
}

json::object full_organization(CatalogStore& st, const Organization& o, bool full_services) {
    auto d = org_with_locations(st, o);
    ServiceQuery q;
    q.organization_id = o.id;
    q.limit = kAll;
    json::array services;
    Caches c;
    for (const auto& s : st.list_services(o.district_id, q).items)
        services.push_back(full_services ? service_with_relations(st, s, false, c) : scalars(service_doc(s)));
    if (!services.empty() || d.contains("services")) d["services"] = std::move(services);
    json::value v = std::move(d);
    std::map<std::string, json::value> cache;
    add_terms(st, v, cache);
    return std::move(v.as_object());
}

json::object list_organization(const Organization& o) {
    return scalars(org_doc(o));
}

json::object full_service_at_location(CatalogStore& st, const ServiceAtLocation& l) {
    auto d = parse_object(l.hsds_json.empty() ? service_at_location_document(l) : l.hsds_json);
    if (auto f = st.facility(l.location_id)) d["location"] = location_doc(*f);
    if (auto s = st.service(l.service_id)) d["service"] = full_service(st, *s);
    json::value v = std::move(d);
    std::map<std::string, json::value> cache;
    add_terms(st, v, cache);
    return std::move(v.as_object());
}

json::object list_service_at_location(CatalogStore& st, const ServiceAtLocation& l) {
    auto d = scalars(parse_object(l.hsds_json.empty() ? service_at_location_document(l) : l.hsds_json));
    if (auto f = st.facility(l.location_id)) d["location"] = scalars(location_doc(*f));
    if (auto s = st.service(l.service_id)) d["service"] = list_service(st, *s);
    return d;
}

json::object taxonomy_json(const Taxonomy& t) {
    return parse_object(t.hsds_json.empty() ? taxonomy_document(t) : t.hsds_json);
}

json::object taxonomy_term_json(CatalogStore& st, const TaxonomyTerm& t) {
    auto d = parse_object(t.hsds_json.empty() ? taxonomy_term_document(t) : t.hsds_json);
    if (!t.taxonomy_id.empty())
        if (auto tax = st.taxonomy(t.taxonomy_id)) d["taxonomy_detail"] = taxonomy_json(*tax);
    return d;
}

}  // namespace dure::catalog
