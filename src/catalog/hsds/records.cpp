// Catalogue records <-> HSDS 3.0 documents, one pair of functions per kind.
#include "catalog/hsds/internal.hpp"

#include <charconv>
#include <functional>

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace hsds_detail;

// --- records and documents -------------------------------------------------------------------

Taxonomy dure_taxonomy(long long district_id) {
    Taxonomy t;
    t.id = dure_taxonomy_id(district_id);
    t.district_id = district_id;
    t.name = "dure";
    t.description =
        "Korean extensions of the dure welfare catalogue: each term names one extension, an attribute's value holds "
        "the code";
    t.uri = kDureUri;
    t.version = "1";
    return t;
}

std::vector<TaxonomyTerm> dure_terms(long long district_id) {
    std::vector<TaxonomyTerm> out;
    for (const auto& e : extensions()) {
        TaxonomyTerm t;
        t.id = dure_term_id(district_id, e.code);
        t.district_id = district_id;
        t.taxonomy_id = dure_taxonomy_id(district_id);
        t.code = e.code;
        t.name = e.code;
        t.description = e.description;
        json::object doc{{"taxonomy", "dure"}};
        t.hsds_json = json::serialize(doc);
        out.push_back(std::move(t));
    }
    return out;
}

std::string service_document(const Service& s) {
    json::object d = parse_object(s.hsds_json);
    sync_str(d, "id", s.id, true);
    sync_str(d, "organization_id", s.organization_id);
    sync_str(d, "name", s.name, true);
    sync_str(d, "alternate_name", s.alternate_name);
    sync_str(d, "description", s.description);
    sync_str(d, "url", s.url);
    sync_str(d, "email", s.email);
    sync_str(d, "status", s.status, true);
    sync_str(d, "application_process", s.application_process);
    sync_str(d, "eligibility_description", s.eligibility_description);
    sync_str(d, "fees_description", s.fees_description);
    sync_num(d, "minimum_age", s.minimum_age ? std::optional<double>(*s.minimum_age) : std::nullopt);
    sync_num(d, "maximum_age", s.maximum_age ? std::optional<double>(*s.maximum_age) : std::nullopt);
    sync_str(d, "assured_date", s.last_verified);
    Ext ext;
    add_one(ext, "program_code", s.program_code);
    add_one(ext, "provider_level", s.provider_level);
    add_all(ext, "life_stage", s.life_stages);
    add_all(ext, "situation", s.situations);
    add_all(ext, "topic", s.topics);
    add_all(ext, "keyword", s.keywords);
    add_all(ext, "channel", s.channels);
    add_one(ext, "application_period", s.application_period);
    for (auto g : s.dong_ids) ext.emplace_back("dong", std::to_string(g));
    add_one(ext, "source", s.source);
    set_extensions(d, s.id, "service", s.district_id, ext);
    return json::serialize(d);
}

Service service_from_document(const json::object& d, long long district_id) {
    Service s;
    s.district_id = district_id;
    s.id = str_of(d, "id");
    s.organization_id = str_of(d, "organization_id");
    s.name = str_of(d, "name");
    s.alternate_name = str_of(d, "alternate_name");
    s.description = str_of(d, "description");
    s.url = str_of(d, "url");
    s.email = str_of(d, "email");
    s.status = str_of(d, "status");
    s.application_process = str_of(d, "application_process");
    s.eligibility_description = str_of(d, "eligibility_description");
    s.fees_description = str_of(d, "fees_description");
    if (auto v = num_of(d, "minimum_age")) s.minimum_age = static_cast<int>(*v);
    if (auto v = num_of(d, "maximum_age")) s.maximum_age = static_cast<int>(*v);
    s.last_verified = str_of(d, "assured_date").substr(0, 10);
    auto ext = extensions_of(d);
    s.program_code = value_of(ext, "program_code");
    s.provider_level = value_of(ext, "provider_level");
    s.life_stages = values_of(ext, "life_stage");
    s.situations = values_of(ext, "situation");
    s.topics = values_of(ext, "topic");
    s.keywords = values_of(ext, "keyword");
    s.channels = values_of(ext, "channel");
    s.application_period = value_of(ext, "application_period");
    for (const auto& g : values_of(ext, "dong")) {
        long long v = 0;
        auto r = std::from_chars(g.data(), g.data() + g.size(), v);
        if (r.ec == std::errc() && r.ptr == g.data() + g.size()) s.dong_ids.push_back(v);
    }
    s.source = value_of(ext, "source");
    s.hsds_json = json::serialize(d);
    return s;
}

std::string organization_document(const Organization& o) {
    json::object d = parse_object(o.hsds_json);
    sync_str(d, "id", o.id, true);
    sync_str(d, "name", o.name, true);
    sync_str(d, "alternate_name", o.alternate_name);
    sync_str(d, "description", o.description, true);
    sync_str(d, "email", o.email);
    sync_str(d, "website", o.website);
    return json::serialize(d);
}

Organization organization_from_document(const json::object& d, long long district_id) {
    Organization o;
    o.district_id = district_id;
    o.id = str_of(d, "id");
    o.name = str_of(d, "name");
    o.alternate_name = str_of(d, "alternate_name");
    o.description = str_of(d, "description");
    o.email = str_of(d, "email");
    o.website = str_of(d, "website");
    o.hsds_json = json::serialize(d);
    return o;
}

namespace {
// The first element of an array member, created (with `make`) when the array is missing or empty.
json::object* first_child(json::object& d, const char* prop, bool create, const std::function<json::object()>& make) {
    auto* a = d.if_contains(prop);
    if (a && a->is_array() && !a->as_array().empty() && a->as_array()[0].is_object())
        return &a->as_array()[0].as_object();
    if (!create) return nullptr;
    d[prop] = json::array{make()};
    return &d[prop].as_array()[0].as_object();
}
}  // namespace

std::string facility_document(const Facility& f) {
    json::object d = parse_object(f.hsds_json);
    sync_str(d, "id", f.id, true);
    if (!d.contains("location_type")) d["location_type"] = "physical";
    sync_str(d, "organization_id", f.organization_id);
    sync_str(d, "name", f.name);
    sync_str(d, "description", f.description);
    bool has_pos = f.latitude != 0 || f.longitude != 0;
    sync_num(d, "latitude", has_pos ? std::optional<double>(f.latitude) : std::nullopt);
    sync_num(d, "longitude", has_pos ? std::optional<double>(f.longitude) : std::nullopt);
    if (auto* a = first_child(d, "addresses", !f.address.empty(), [&] {
            return json::object{{"id", derived_uuid(f.id + "|address")},
                                {"location_id", f.id},
                                {"address_1", ""},
                                {"city", ""},
                                {"state_province", ""},
                                {"postal_code", ""},
                                {"country", "KR"},
                                {"address_type", "physical"}};
        }))
        sync_str(*a, "address_1", f.address, true);
    if (auto* p = first_child(d, "phones", !f.phone.empty(), [&] {
            return json::object{{"id", derived_uuid(f.id + "|phone")}, {"location_id", f.id}, {"number", ""}};
        }))
        sync_str(*p, "number", f.phone, true);
    Ext ext;
    add_one(ext, "facility_type", f.type);
    if (f.dong_id) ext.emplace_back("dong", std::to_string(f.dong_id));
    if (f.capacity) ext.emplace_back("capacity", std::to_string(f.capacity));
    add_all(ext, "accessibility", f.accessibility);
    add_one(ext, "hours", f.hours);
    set_extensions(d, f.id, "location", f.district_id, ext);
    return json::serialize(d);
}

Facility facility_from_document(const json::object& d, long long district_id) {
    Facility f;
    f.district_id = district_id;
    f.id = str_of(d, "id");
    f.organization_id = str_of(d, "organization_id");
    f.name = str_of(d, "name");
    f.description = str_of(d, "description");
    f.latitude = num_of(d, "latitude").value_or(0);
    f.longitude = num_of(d, "longitude").value_or(0);
    json::object copy = d;
    if (auto* a = first_child(copy, "addresses", false, {})) f.address = str_of(*a, "address_1");
    if (auto* p = first_child(copy, "phones", false, {})) f.phone = str_of(*p, "number");
    auto ext = extensions_of(d);
    f.type = value_of(ext, "facility_type");
    f.dong_id = std::atoll(value_of(ext, "dong").c_str());
    f.capacity = std::atoi(value_of(ext, "capacity").c_str());
    f.accessibility = values_of(ext, "accessibility");
    f.hours = value_of(ext, "hours");
    f.hsds_json = json::serialize(d);
    return f;
}

std::string service_at_location_document(const ServiceAtLocation& l) {
    json::object d = parse_object(l.hsds_json);
    sync_str(d, "id", l.id, true);
    sync_str(d, "service_id", l.service_id);
    sync_str(d, "location_id", l.location_id);
    sync_str(d, "description", l.description);
    return json::serialize(d);
}

ServiceAtLocation service_at_location_from_document(const json::object& d, long long district_id) {
    ServiceAtLocation l;
    l.district_id = district_id;
    l.id = str_of(d, "id");
    l.service_id = str_of(d, "service_id");
    l.location_id = str_of(d, "location_id");
    l.description = str_of(d, "description");
    l.hsds_json = json::serialize(d);
    return l;
}

std::string taxonomy_document(const Taxonomy& t) {
    json::object d = parse_object(t.hsds_json);
    sync_str(d, "id", t.id, true);
    sync_str(d, "name", t.name, true);
    sync_str(d, "description", t.description, true);
    sync_str(d, "uri", t.uri);
    sync_str(d, "version", t.version);
    return json::serialize(d);
}

Taxonomy taxonomy_from_document(const json::object& d, long long district_id) {
    Taxonomy t;
    t.district_id = district_id;
    t.id = str_of(d, "id");
    t.name = str_of(d, "name");
    t.description = str_of(d, "description");
    t.uri = str_of(d, "uri");
    t.version = str_of(d, "version");
    t.hsds_json = json::serialize(d);
    return t;
}

std::string taxonomy_term_document(const TaxonomyTerm& t) {
    json::object d = parse_object(t.hsds_json);
    sync_str(d, "id", t.id, true);
    sync_str(d, "taxonomy_id", t.taxonomy_id);
    sync_str(d, "parent_id", t.parent_id);
    sync_str(d, "code", t.code);
    sync_str(d, "name", t.name, true);
    sync_str(d, "description", t.description, true);
    return json::serialize(d);
}

TaxonomyTerm taxonomy_term_from_document(const json::object& d, long long district_id) {
    TaxonomyTerm t;
    t.district_id = district_id;
    t.id = str_of(d, "id");
    t.taxonomy_id = str_of(d, "taxonomy_id");
    t.parent_id = str_of(d, "parent_id");
    t.code = str_of(d, "code");
    t.name = str_of(d, "name");
    t.description = str_of(d, "description");
    t.hsds_json = json::serialize(d);
    return t;
}

}  // namespace dure::catalog
