// The HSDS 3.0 tables, small JSON helpers and the "dure" extension attributes.
#include "catalog/hsds/internal.hpp"

#include <sodium.h>

#include <cmath>

namespace dure::catalog::hsds_detail {

// Generated from data/hsds-3.0/schema/*.json (HSDS 3.0, CC BY-SA 4.0); hsds_test checks it.
const std::vector<KindSpec>& kinds() {
    static const std::vector<KindSpec> k = {
        {"organization", "organizations.csv", 1,
         {{"id", 's', "uuid", "", true}, {"name", 's', "", "", true}, {"alternate_name", 's', "", "", false}, {"description", 's', "", "", true}, {"email", 's', "email", "", false}, {"website", 's', "uri", "", false}, {"tax_status", 's', "", "", false}, {"tax_id", 's', "", "", false}, {"year_incorporated", 'n', "", "", false}, {"legal_status", 's', "", "", false}, {"logo", 's', "", "", false}, {"uri", 's', "uri", "", false}, {"parent_organization_id", 's', "uuid", "", false}},
         {{"funding", "funding", true}, {"contacts", "contact", true}, {"phones", "phone", true}, {"locations", "location", true}, {"programs", "program", true}, {"organization_identifiers", "organization_identifier", true}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"program", "programs.csv", 2,
         {{"id", 's', "uuid", "", true}, {"organization_id", 's', "uuid", "", false}, {"name", 's', "", "", true}, {"alternate_name", 's', "", "", false}, {"description", 's', "", "", true}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"service", "services.csv", 3,
         {{"id", 's', "uuid", "", true}, {"organization_id", 's', "uuid", "", false}, {"program_id", 's', "uuid", "", false}, {"name", 's', "", "", true}, {"alternate_name", 's', "", "", false}, {"description", 's', "", "", false}, {"url", 's', "uri", "", false}, {"email", 's', "email", "", false}, {"status", 's', "", "active|inactive|defunct|temporarily closed", true}, {"interpretation_services", 's', "", "", false}, {"application_process", 's', "", "", false}, {"fees_description", 's', "", "", false}, {"wait_time", 's', "", "", false}, {"fees", 's', "", "", false}, {"accreditations", 's', "", "", false}, {"eligibility_description", 's', "", "", false}, {"minimum_age", 'n', "", "", false}, {"maximum_age", 'n', "", "", false}, {"assured_date", 's', "", "", false}, {"assurer_email", 's', "email", "", false}, {"licenses", 's', "", "", false}, {"alert", 's', "", "", false}, {"last_modified", 's', "date-time", "", false}},
         {{"phones", "phone", true}, {"schedules", "schedule", true}, {"service_areas", "service_area", true}, {"service_at_locations", "service_at_location", true}, {"languages", "language", true}, {"organization", "organization", false}, {"funding", "funding", true}, {"cost_options", "cost_option", true}, {"program", "program", false}, {"required_documents", "required_document", true}, {"contacts", "contact", true}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"attribute", "attributes.csv", 4,
         {{"id", 's', "uuid", "", true}, {"link_id", 's', "uuid", "", false}, {"taxonomy_term_id", 's', "uuid", "", false}, {"link_type", 's', "", "", false}, {"link_entity", 's', "", "", false}, {"value", 's', "", "", false}},
         {{"taxonomy_term", "taxonomy_term", false}, {"metadata", "metadata", true}}},
        {"service_at_location", "service_at_location.csv", 5,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"location_id", 's', "uuid", "", false}, {"description", 's', "", "", false}},
         {{"contacts", "contact", true}, {"phones", "phone", true}, {"schedules", "schedule", true}, {"location", "location", false}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"location", "locations.csv", 6,
         {{"id", 's', "uuid", "", true}, {"location_type", 's', "", "physical|postal|virtual", true}, {"url", 's', "uri", "", false}, {"organization_id", 's', "uuid", "", false}, {"name", 's', "", "", false}, {"alternate_name", 's', "", "", false}, {"description", 's', "", "", false}, {"transportation", 's', "", "", false}, {"latitude", 'n', "", "", false}, {"longitude", 'n', "", "", false}, {"external_identifier", 's', "", "", false}, {"external_identifier_type", 's', "", "", false}},
         {{"languages", "language", true}, {"addresses", "address", true}, {"contacts", "contact", true}, {"accessibility", "accessibility", true}, {"phones", "phone", true}, {"schedules", "schedule", true}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"phone", "phones.csv", 7,
         {{"id", 's', "uuid", "", true}, {"location_id", 's', "uuid", "", false}, {"service_id", 's', "uuid", "", false}, {"organization_id", 's', "uuid", "", false}, {"contact_id", 's', "uuid", "", false}, {"service_at_location_id", 's', "uuid", "", false}, {"number", 's', "", "", true}, {"extension", 'n', "", "", false}, {"type", 's', "", "", false}, {"description", 's', "", "", false}},
         {{"languages", "language", true}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"contact", "contacts.csv", 8,
         {{"id", 's', "uuid", "", true}, {"organization_id", 's', "uuid", "", false}, {"service_id", 's', "uuid", "", false}, {"service_at_location_id", 's', "uuid", "", false}, {"location_id", 's', "uuid", "", false}, {"name", 's', "", "", false}, {"title", 's', "", "", false}, {"department", 's', "", "", false}, {"email", 's', "email", "", false}},
         {{"phones", "phone", true}, {"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"address", "addresses.csv", 9,
         {{"id", 's', "uuid", "", true}, {"location_id", 's', "uuid", "", false}, {"attention", 's', "", "", false}, {"address_1", 's', "", "", true}, {"address_2", 's', "", "", false}, {"city", 's', "", "", true}, {"region", 's', "", "", false}, {"state_province", 's', "", "", true}, {"postal_code", 's', "", "", true}, {"country", 's', "", "", true}, {"address_type", 's', "", "physical|postal|virtual", true}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"schedule", "schedules.csv", 10,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"location_id", 's', "uuid", "", false}, {"service_at_location_id", 's', "uuid", "", false}, {"valid_from", 's', "", "", false}, {"valid_to", 's', "", "", false}, {"dtstart", 's', "", "", false}, {"timezone", 'n', "", "", false}, {"until", 's', "", "", false}, {"count", 'n', "", "", false}, {"wkst", 's', "", "MO|TU|WE|TH|FR|SA|SU", false}, {"freq", 's', "", "WEEKLY|MONTHLY", false}, {"interval", 'n', "", "", false}, {"byday", 's', "", "", false}, {"byweekno", 's', "", "", false}, {"bymonthday", 's', "", "", false}, {"byyearday", 's', "", "", false}, {"description", 's', "", "", false}, {"opens_at", 's', "", "", false}, {"closes_at", 's', "", "", false}, {"schedule_link", 's', "uri", "", false}, {"attending_type", 's', "", "", false}, {"notes", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"funding", "funding.csv", 11,
         {{"id", 's', "uuid", "", true}, {"organization_id", 's', "uuid", "", false}, {"service_id", 's', "uuid", "", false}, {"source", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"service_area", "service_areas.csv", 12,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"name", 's', "", "", false}, {"description", 's', "", "", false}, {"extent", 's', "", "", false}, {"extent_type", 's', "", "", false}, {"uri", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"required_document", "required_documents.csv", 13,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"document", 's', "", "", false}, {"uri", 's', "uri", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"language", "languages.csv", 14,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"location_id", 's', "uuid", "", false}, {"phone_id", 's', "uuid", "", false}, {"name", 's', "", "", false}, {"code", 's', "", "", false}, {"note", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"accessibility", "accessibility.csv", 15,
         {{"id", 's', "uuid", "", true}, {"location_id", 's', "uuid", "", false}, {"description", 's', "", "", false}, {"details", 's', "", "", false}, {"url", 's', "uri", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"taxonomy_term", "taxonomy_terms.csv", 16,
         {{"id", 's', "uuid", "", true}, {"code", 's', "", "", false}, {"name", 's', "", "", true}, {"description", 's', "", "", true}, {"parent_id", 's', "uuid", "", false}, {"taxonomy", 's', "", "", false}, {"language", 's', "", "", false}, {"taxonomy_id", 's', "uuid", "", false}, {"term_uri", 's', "uri", "", false}},
         {{"taxonomy_detail", "taxonomy", false}, {"metadata", "metadata", true}}},
        {"metadata", "metadata.csv", 17,
         {{"id", 's', "uuid", "", true}, {"resource_id", 's', "uuid", "", false}, {"resource_type", 's', "", "", false}, {"last_action_date", 's', "", "", true}, {"last_action_type", 's', "", "", true}, {"field_name", 's', "", "", true}, {"previous_value", 's', "", "", true}, {"replacement_value", 's', "", "", true}, {"updated_by", 's', "", "", true}},
         {}},
        {"meta_table_description", "meta_table_descriptions.csv", 18,
         {{"id", 's', "uuid", "", true}, {"name", 's', "", "", false}, {"language", 's', "", "", false}, {"character_set", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"cost_option", "cost_options.csv", 19,
         {{"id", 's', "uuid", "", true}, {"service_id", 's', "uuid", "", false}, {"valid_from", 's', "", "", false}, {"valid_to", 's', "", "", false}, {"option", 's', "", "", false}, {"currency", 's', "", "", false}, {"amount", 'n', "", "", false}, {"amount_description", 's', "", "", false}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"organization_identifier", "organization_identifiers.csv", 20,
         {{"id", 's', "uuid", "", true}, {"organization_id", 's', "uuid", "", false}, {"identifier_scheme", 's', "", "", false}, {"identifier_type", 's', "", "", true}, {"identifier", 's', "", "", true}},
         {{"attributes", "attribute", true}, {"metadata", "metadata", true}}},
        {"taxonomy", "taxonomies.csv", 21,
         {{"id", 's', "uuid", "", true}, {"name", 's', "", "", true}, {"description", 's', "", "", true}, {"uri", 's', "uri", "", false}, {"version", 's', "", "", false}},
         {{"metadata", "metadata", true}}},
    };
    return k;
}

const KindSpec* spec_of(std::string_view kind) {
    for (const auto& k : kinds())
        if (kind == k.name) return &k;
    return nullptr;
}

// Relations the API documents nest beyond the schema files: an organization's services and a
// service_at_location's service.
const LinkSpec* link_of(const KindSpec& k, std::string_view prop) {
    static const LinkSpec kOrgServices{"services", "service", true};
    static const LinkSpec kSalService{"service", "service", false};
    for (const auto& l : k.links)
        if (prop == l.prop) return &l;
    if (std::string_view(k.name) == "organization" && prop == "services") return &kOrgServices;
    if (std::string_view(k.name) == "service_at_location" && prop == "service") return &kSalService;
    return nullptr;
}

const FieldSpec* field_of(const KindSpec& k, std::string_view name) {
    for (const auto& f : k.fields)
        if (name == f.name) return &f;
    return nullptr;
}

// Records with a table of their own; the other kinds live inside their parents' documents.
bool is_main(std::string_view kind) {
    return kind == "organization" || kind == "service" || kind == "location" || kind == "service_at_location" ||
           kind == "taxonomy" || kind == "taxonomy_term";
}

// The member naming the record a singular nested object stands for.
std::string single_fk(std::string_view prop) {
    if (prop == "taxonomy_detail") return "taxonomy_id";
    return std::string(prop) + "_id";
}

// The member of a main record nested in a parent's array that names the parent.
std::string nest_fk(std::string_view kind, std::string_view parent_kind) {
    if ((kind == "location" || kind == "service") && parent_kind == "organization") return "organization_id";
    if (kind == "service_at_location" && parent_kind == "service") return "service_id";
    return {};
}

// Members of child records that name a parent record.
const std::vector<std::pair<std::string, std::string>>& parent_fks() {
    static const std::vector<std::pair<std::string, std::string>> v = {
        {"organization_id", "organization"}, {"service_id", "service"},
        {"location_id", "location"},         {"contact_id", "contact"},
        {"service_at_location_id", "service_at_location"}, {"phone_id", "phone"}};
    return v;
}

// "services" or "service" -> "service"; empty when it names no HSDS table.
std::string kind_named(std::string_view s) {
    for (const auto& k : kinds()) {
        std::string path = k.path;
        if (s == k.name || std::string(s) + ".csv" == path || s == path) return k.name;
    }
    if (s == "service_at_locations") return "service_at_location";
    return {};
}

// --- small helpers ---------------------------------------------------------------------------

json::object parse_object(const std::string& text) {
    if (text.empty()) return {};
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

std::string str_of(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<double> num_of(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return static_cast<double>(v->as_int64());
    if (v->is_uint64()) return static_cast<double>(v->as_uint64());
    if (v->is_double()) return v->as_double();
    return std::nullopt;
}

json::value number_value(double d) {
    if (std::floor(d) == d && std::fabs(d) < 9e15) return json::value(static_cast<std::int64_t>(d));
    return json::value(d);
}

// Writes `v` into `o[key]` unless the document already says the same; an empty `v` removes
// a string member. `keep` forces the member to exist (HSDS required fields).
void sync_str(json::object& o, std::string_view key, const std::string& v, bool keep) {
    auto* cur = o.if_contains(key);
    if (cur && cur->is_string() && cur->as_string() == v) return;
    if (v.empty() && !keep) {
        if (cur && cur->is_string()) o.erase(key);
        return;
    }
    o[key] = v;
}

void sync_num(json::object& o, std::string_view key, std::optional<double> v) {
    auto cur = num_of(o, key);
    if (cur == v) return;
    if (!v) {
        if (cur) o.erase(key);
        return;
    }
    o[key] = number_value(*v);
}

// A UUID derived from a name (BLAKE2b; version nibble 8, "custom", RFC 9562), so generated
// records keep their ids from one save to the next.
std::string derived_uuid(std::string_view name) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(name.data()), name.size(), nullptr, 0);
    h[6] = static_cast<unsigned char>((h[6] & 0x0F) | 0x80);
    h[8] = static_cast<unsigned char>((h[8] & 0x3F) | 0x80);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += hex[h[i] >> 4];
        out += hex[h[i] & 15];
    }
    return out;
}

// One-to-one members only (no arrays or objects).
json::object scalars(const json::object& o) {
    json::object out;
    for (const auto& kv : o)
        if (!kv.value().is_array() && !kv.value().is_object()) out[kv.key()] = kv.value();
    return out;
}

// --- Korean extensions as "dure" attributes --------------------------------------------------


const std::vector<Extension>& extensions() {
    static const std::vector<Extension> v = {
        {"program_code", "Stable code of a welfare program (e.g. basic_pension)"},
        {"provider_level", "Who provides the service: national, metropolitan, district or private"},
        {"life_stage", "Life stage the service is for (data/catalog/taxonomy.json life_stage)"},
        {"situation", "Household situation the service is for (taxonomy.json situation)"},
        {"topic", "Interest topic (taxonomy.json topic)"},
        {"keyword", "Extra search word, as people type it"},
        {"channel", "Application channel: online, visit, phone, mail"},
        {"application_period", "When to apply, free text (e.g. 연중)"},
        {"dong", "Neighbourhood (dong) id where the service or facility is"},
        {"source", "Where the information comes from (URL or law)"},
        {"facility_type", "Facility type (taxonomy.json facility_type)"},
        {"capacity", "Facility capacity (people)"},
        {"accessibility", "Accessibility feature code (e.g. wheelchair)"},
        {"hours", "Opening hours, free text"},
    };
    return v;
}

std::string dure_taxonomy_id(long long district_id) {
    return derived_uuid("dure-taxonomy|" + std::to_string(district_id));
}
std::string dure_term_id(long long district_id, std::string_view code) {
    return derived_uuid("dure-term|" + std::to_string(district_id) + "|" + std::string(code));
}


// Replaces the record's dure attributes by `ext`, keeping every other attribute.
void set_extensions(json::object& doc, const std::string& id, const char* entity, long long district_id,
                    const Ext& ext) {
    json::array kept;
    bool had = doc.contains("attributes");
    if (auto* a = doc.if_contains("attributes"); a && a->is_array())
        for (const auto& x : a->as_array())
            if (!x.is_object() || !str_of(x.as_object(), "link_type").starts_with(kDurePrefix)) kept.push_back(x);
    for (const auto& [code, value] : ext) {
        kept.push_back(json::object{{"id", derived_uuid(id + "|" + code + "|" + value)},
                                    {"link_id", id},
                                    {"link_type", std::string(kDurePrefix) + code},
                                    {"link_entity", entity},
                                    {"taxonomy_term_id", dure_term_id(district_id, code)},
                                    {"value", value}});
    }
    if (!kept.empty() || had) doc["attributes"] = std::move(kept);
}

Ext extensions_of(const json::object& doc) {
    Ext out;
    if (auto* a = doc.if_contains("attributes"); a && a->is_array())
        for (const auto& x : a->as_array()) {
            if (!x.is_object()) continue;
            auto type = str_of(x.as_object(), "link_type");
            if (type.starts_with(kDurePrefix)) out.emplace_back(type.substr(5), str_of(x.as_object(), "value"));
        }
    return out;
}

std::vector<std::string> values_of(const Ext& ext, std::string_view code) {
    std::vector<std::string> out;
    for (const auto& [c, v] : ext)
        if (c == code) out.push_back(v);
    return out;
}
std::string value_of(const Ext& ext, std::string_view code) {
    auto v = values_of(ext, code);
    return v.empty() ? std::string() : v[0];
}

void add_all(Ext& ext, const char* code, const std::vector<std::string>& vs) {
    for (const auto& v : vs)
        if (!v.empty()) ext.emplace_back(code, v);
}
void add_one(Ext& ext, const char* code, const std::string& v) {
    if (!v.empty()) ext.emplace_back(code, v);
}

}  // namespace dure::catalog::hsds_detail
