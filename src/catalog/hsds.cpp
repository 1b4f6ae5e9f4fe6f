#include "catalog/hsds.hpp"

#include <sodium.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "catalog/store.hpp"
#include "common/error.hpp"
#include "common/spreadsheet.hpp"

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// --- The HSDS 3.0 tables ---------------------------------------------------------------------

struct FieldSpec {
    const char* name;
    char type;           // 's' string, 'n' number
    const char* format;  // "uuid", "uri", "email", "date-time" or ""
    const char* values;  // enum values joined by '|', or ""
    bool required;
};
struct LinkSpec {
    const char* prop;
    const char* kind;
    bool many;
};
struct KindSpec {
    const char* name;
    const char* path;
    int order;
    std::vector<FieldSpec> fields;
    std::vector<LinkSpec> links;
};

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
void sync_str(json::object& o, std::string_view key, const std::string& v, bool keep = false) {
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

const char* kDureUri = "https://dure.kr/hsds/taxonomy/dure";
const char* kDurePrefix = "dure:";

struct Extension {
    const char* code;
    const char* description;
};
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

using Ext = std::vector<std::pair<std::string, std::string>>;  // (extension code, value)

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

}  // namespace

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

// --- documents of the HSDS API ---------------------------------------------------------------

json::object api_info() {
    return {{"version", "3.0"},
            {"profile", "https://dure.kr/hsds/profile"},
            {"openapi_url", "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"}};
}

namespace {

constexpr long long kAll = 1000000;

// Lookups shared while assembling many documents (an export), so each is read once.
struct Caches {
    std::map<std::string, json::value> terms;                  // term id -> document or null
    std::map<std::string, std::optional<json::object>> orgs;   // organization id -> with locations
    std::optional<std::vector<HsdsRecord>> records;
};

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

}  // namespace

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

// --- CSV -------------------------------------------------------------------------------------

std::vector<CsvRow> parse_csv(std::string_view text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    std::vector<CsvRow> rows;
    CsvRow row;
    std::string cell;
    long long line = 1;
    row.line = 1;
    std::size_t i = 0, n = text.size();
    bool any = false;  // the current record has content (so a blank line is not a record)
    auto end_record = [&] {
        row.cells.push_back(unguard_cell(cell));
        cell.clear();
        if (any || row.cells.size() > 1) rows.push_back(std::move(row));
        row = CsvRow{};
        any = false;
    };
    while (i < n) {
        char c = text[i];
        if (c == '"' && cell.empty()) {
            any = true;
            long long start = line;
            ++i;
            while (true) {
                if (i >= n) throw std::runtime_error("line " + std::to_string(start) + ": a quoted field is not closed");
                if (text[i] == '"') {
                    if (i + 1 < n && text[i + 1] == '"') {
                        cell += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    break;
                }
                if (text[i] == '\n') ++line;
                cell += text[i++];
            }
            if (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                throw std::runtime_error("line " + std::to_string(line) + ": text after a closing quote");
            continue;
        }
        if (c == ',') {
            any = true;
            row.cells.push_back(unguard_cell(cell));
            cell.clear();
            ++i;
            continue;
        }
        if (c == '\r' || c == '\n') {
            if (c == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
            ++i;
            end_record();
            ++line;
            row.line = line;
            continue;
        }
        if (c == '"') throw std::runtime_error("line " + std::to_string(line) + ": a quote inside an unquoted field");
        any = true;
        cell += c;
        ++i;
    }
    if (any || !cell.empty() || !row.cells.empty()) end_record();
    return rows;
}

std::string csv_record(const std::vector<std::string>& cells) {
    std::string out;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) out += ',';
        const std::string c = guard_cell(cells[i]);  // no formula runs when the file is opened
        if (c.find_first_of(",\"\r\n") == std::string::npos) {
            out += c;
            continue;
        }
        out += '"';
        for (char ch : c) {
            if (ch == '"') out += '"';
            out += ch;
        }
        out += '"';
    }
    return out;
}

std::vector<std::string> hsds_tables() {
    std::vector<std::string> out;
    for (const auto& k : kinds()) out.push_back(k.name);
    return out;
}

std::vector<std::string> hsds_columns(const std::string& table) {
    std::vector<std::string> out;
    if (auto* k = spec_of(table))
        for (const auto& f : k->fields) out.push_back(f.name);
    return out;
}

std::string hsds_csv_path(const std::string& table) {
    auto* k = spec_of(table);
    return k ? k->path : std::string();
}

// --- import ----------------------------------------------------------------------------------

namespace {

constexpr std::size_t kMaxFileBytes = 256u << 20;
constexpr std::size_t kMaxErrors = 10000;

using Key = std::pair<std::string, std::string>;  // (kind, id)

struct Where {
    std::string file;
    long long line = 0;
    std::string pointer;
};

struct Rec {
    std::string kind, id;
    json::object fields;       // the record's own members (no nested records)
    std::vector<Key> parents;  // records it was nested in or that its *_id members name
    Where where;
    bool in_file = false;  // read from the import file (not only from the catalogue)
};

void add_unique(std::vector<Key>& v, Key k) {
    if (std::find(v.begin(), v.end(), k) == v.end()) v.push_back(std::move(k));
}

class Importer {
public:
    Importer(ImportReport& r, bool check) : report_(r), check_(check) {}

    void error(const Where& w, std::string field, std::string message) {
        if (!check_) return;
        if (report_.errors.size() == kMaxErrors)
            report_.errors.push_back({w.file, w.line, w.pointer, "", "too many errors; stopped listing them"});
        if (report_.errors.size() > kMaxErrors) return;
        report_.errors.push_back({w.file, w.line, w.pointer, std::move(field), std::move(message)});
    }
    void warning(const Where& w, std::string field, std::string message) {
        if (check_ && report_.warnings.size() < kMaxErrors)
            report_.warnings.push_back({w.file, w.line, w.pointer, std::move(field), std::move(message)});
    }

    // Checks a record's own members against the schema.
    void validate(const KindSpec& k, const json::object& o, const Where& w) {
        if (!check_) return;
        for (const auto& f : k.fields) {
            auto* v = o.if_contains(f.name);
            if (!v || v->is_null()) {
                if (f.required) error(w, f.name, std::string("required by HSDS ") + k.name);
                continue;
            }
            if (f.type == 'n') {
                if (!v->is_number()) error(w, f.name, "expected a number");
                continue;
            }
            if (!v->is_string()) {
                error(w, f.name, "expected a string");
                continue;
            }
            std::string s(v->as_string());
            std::string_view fmt = f.format;
            if (fmt == "uuid" && !is_uuid(s)) error(w, f.name, "expected a UUID (8-4-4-4-12 hexadecimal digits)");
            if (fmt == "email" && !looks_like_email(s)) error(w, f.name, "expected an e-mail address");
            if (fmt == "uri" && !looks_like_uri(s)) error(w, f.name, "expected a URI with a scheme (https://…)");
            if (fmt == "date-time" && !is_date_time(s)) error(w, f.name, "expected a date-time (ISO 8601)");
            if (is_date_field(f.name) && !(is_date(s) || (std::string_view(f.name) != "assured_date" && is_date_time(s))))
                error(w, f.name, "expected a date written YYYY-MM-DD");
            if (*f.values && !in_enum(f.values, s))
                error(w, f.name, std::string("expected one of: ") + enum_list(f.values));
            if (s.size() > 100000) error(w, f.name, "longer than 100,000 bytes");
        }
        if (std::string_view(k.name) == "service") {
            if (auto* n = o.if_contains("name"); n && n->is_string() && n->as_string().empty())
                error(w, "name", "a service needs a name");
            check_extensions(o, w);
        }
    }

    // Flattens a nested JSON record into `recs_`; returns its id ("" when it has none).
    std::string flatten(const KindSpec& k, const json::object& o, const Where& w, const Key* parent, int depth) {
        if (depth > 12) {
            error(w, "", "nested too deeply");
            return {};
        }
        validate(k, o, w);
        Rec r;
        r.kind = k.name;
        r.id = str_of(o, "id");
        r.where = w;
        r.in_file = check_;
        for (const auto& kv : o) {
            std::string key(kv.key());
            const LinkSpec* link = link_of(k, key);
            if (!link) {
                r.fields[key] = kv.value();
                continue;
            }
            const KindSpec* ck = spec_of(link->kind);
            Where cw = w;
            cw.pointer = w.pointer + "/" + escape(key);
            if (link->many) {
                if (!kv.value().is_array()) {
                    error(w, key, "expected an array");
                    continue;
                }
                const auto& arr = kv.value().as_array();
                if (arr.empty()) r.fields[key] = json::array();
                Key me{k.name, r.id};
                for (std::size_t i = 0; i < arr.size(); ++i) {
                    Where ew = cw;
                    ew.pointer += "/" + std::to_string(i);
                    if (!arr[i].is_object()) {
                        error(ew, "", "expected an object");
                        continue;
                    }
                    flatten(*ck, arr[i].as_object(), ew, r.id.empty() ? nullptr : &me, depth + 1);
                }
                continue;
            }
            if (kv.value().is_null()) continue;
            if (!kv.value().is_object()) {
                error(w, key, "expected an object");
                continue;
            }
            std::string child = flatten(*ck, kv.value().as_object(), cw, nullptr, depth + 1);
            std::string fk = single_fk(key);
            if (child.empty()) continue;
            auto given = str_of(o, fk);
            if (!given.empty() && given != child)
                error(w, fk, "names " + given + " but the nested " + key + " is " + child);
            else if (!r.fields.contains(fk))
                r.fields[fk] = child;
        }
        if (parent) {
            std::string fk = nest_fk(k.name, parent->first);
            if (!fk.empty()) {
                auto given = str_of(o, fk);
                if (!given.empty() && given != parent->second)
                    error(w, fk, "names " + given + " but the record is nested in " + parent->second);
                else if (!r.fields.contains(fk))
                    r.fields[fk] = parent->second;
            } else if (!is_main(k.name)) {
                r.parents.push_back(*parent);
            }
        }
        if (r.id.empty()) return {};
        put(std::move(r));
        return str_of(o, "id");
    }

    // Adds a record, merging with one of the same id: members already there are kept (the
    // import file is read before the catalogue's documents, so the file's values win).
    void put(Rec r) {
        Key key{r.kind, r.id};
        auto it = recs_.find(key);
        if (it == recs_.end()) {
            order_.push_back(key);
            recs_.emplace(key, std::move(r));
            return;
        }
        Rec& cur = it->second;
        for (const auto& kv : r.fields) {
            auto* mine = cur.fields.if_contains(kv.key());
            if (!mine) {
                cur.fields[kv.key()] = kv.value();
            } else if (*mine != kv.value() && r.in_file && cur.in_file && !mine->is_array()) {
                warning(r.where, std::string(kv.key()),
                        "differs from an earlier copy of " + r.kind + " " + r.id + "; kept the first value");
            }
        }
        for (auto& p : r.parents) add_unique(cur.parents, p);
        if (r.in_file && !cur.in_file) {
            cur.in_file = true;
            cur.where = r.where;
        }
    }

    // Adds parents named by the child records' *_id, link_id and resource_id members.
    void link_parents() {
        for (auto& [key, r] : recs_) {
            if (is_main(r.kind)) continue;
            const KindSpec* k = spec_of(r.kind);
            for (const auto& [fk, pk] : parent_fks()) {
                auto v = str_of(r.fields, fk);
                if (!v.empty() && field_of(*k, fk)) add_unique(r.parents, {pk, v});
            }
            auto by_entity = [&](const char* id_field, const char* entity_field) {
                auto id = str_of(r.fields, id_field);
                if (id.empty()) return;
                auto kind = kind_named(str_of(r.fields, entity_field));
                if (!kind.empty()) {
                    add_unique(r.parents, {kind, id});
                    return;
                }
                for (const auto& kk : kinds())
                    if (recs_.count({kk.name, id})) add_unique(r.parents, {kk.name, id});
            };
            if (r.kind == "attribute") by_entity("link_id", "link_entity");
            if (r.kind == "metadata") by_entity("resource_id", "resource_type");
        }
    }

    // True when one of the record's parents is present and holds records of its kind.
    bool attached(const Rec& r) const {
        for (const auto& p : r.parents) {
            if (!recs_.count(p)) continue;
            const KindSpec* pk = spec_of(p.first);
            for (const auto& l : pk->links)
                if (l.many && r.kind == l.kind) return true;
        }
        return false;
    }

    // The document of a record with its child records nested, as stored.
    json::object build(const Key& key, std::set<Key>& path) const {
        const Rec& r = recs_.at(key);
        json::object d = r.fields;
        if (!path.insert(key).second) return d;
        const KindSpec* k = spec_of(r.kind);
        for (const auto& l : k->links) {
            if (!l.many || is_main(l.kind)) continue;
            json::array arr;
            auto it = children_.find(key);
            if (it != children_.end())
                for (const auto& c : it->second)
                    if (c.first == l.kind) arr.push_back(build(c, path));
            if (!arr.empty()) d[l.prop] = std::move(arr);
        }
        path.erase(key);
        return d;
    }

    void index_children() {
        children_.clear();
        for (const auto& key : order_) {
            const Rec& r = recs_.at(key);
            for (const auto& p : r.parents)
                if (recs_.count(p)) children_[p].push_back(key);
        }
    }

    std::map<Key, Rec> recs_;
    std::vector<Key> order_;

private:
    static std::string escape(const std::string& s) {
        std::string out;
        for (char c : s) {
            if (c == '~') out += "~0";
            else if (c == '/') out += "~1";
            else out += c;
        }
        return out;
    }
    static bool in_enum(std::string_view values, std::string_view s) {
        std::size_t b = 0;
        while (b <= values.size()) {
            auto e = values.find('|', b);
            if (e == std::string_view::npos) e = values.size();
            if (values.substr(b, e - b) == s) return true;
            b = e + 1;
        }
        return false;
    }
    static std::string enum_list(std::string_view values) {
        std::string out(values);
        std::replace(out.begin(), out.end(), '|', ',');
        return out;
    }
    static bool is_date_field(std::string_view f) {
        return f == "assured_date" || f == "valid_from" || f == "valid_to" || f == "dtstart" || f == "until" ||
               f == "last_action_date";
    }
    static bool looks_like_email(std::string_view s) {
        auto at = s.find('@');
        return at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos &&
               s.find_first_of(" \t\r\n<>") == std::string_view::npos;
    }
    static bool looks_like_uri(std::string_view s) {
        auto colon = s.find(':');
        if (colon == std::string_view::npos || colon == 0) return false;
        if (!std::isalpha(static_cast<unsigned char>(s[0]))) return false;
        for (std::size_t i = 0; i < colon; ++i) {
            char c = s[i];
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
        }
        return s.find_first_of(" \t\r\n") == std::string_view::npos;
    }
    static bool is_date_time(std::string_view s) {
        if (s.size() < 19 || !is_date(s.substr(0, 10)) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return false;
        auto t = s.substr(11);
        if (t.size() < 8 || t[2] != ':' || t[5] != ':') return false;
        for (int i : {0, 1, 3, 4, 6, 7})
            if (!std::isdigit(static_cast<unsigned char>(t[i]))) return false;
        return true;
    }
    void check_extensions(const json::object& o, const Where& w) {
        for (const auto& [code, value] : extensions_of(o)) {
            if (code == "provider_level" &&
                std::none_of(std::begin(kProviderLevels), std::end(kProviderLevels),
                             [&](const char* p) { return value == p; }))
                error(w, "attributes", "dure:provider_level must be national, metropolitan, district or private");
            if (code == "dong" && (value.empty() || value.find_first_not_of("0123456789") != std::string::npos))
                error(w, "attributes", "dure:dong must be a dong id (digits)");
        }
    }

    ImportReport& report_;
    bool check_;
    std::map<Key, std::vector<Key>> children_;
};

std::string read_file(const fs::path& p) {
    std::error_code ec;
    auto size = fs::file_size(p, ec);
    if (ec) throw std::runtime_error("cannot read " + p.string() + ": " + ec.message());
    if (size > kMaxFileBytes) throw std::runtime_error(p.string() + " is larger than 256 MB");
    std::ifstream in(p, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) throw std::runtime_error("cannot read " + p.string());
    return text;
}

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || i + n >= s.size()) return false;
        for (int k = 1; k <= n; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += n + 1;
    }
    return true;
}

// The HSDS kind a JSON file holds, from its name ("service_full.json") or, failing that, the
// record's members.
std::string kind_of_json(const std::string& stem, const json::object& o) {
    for (const char* k : {"service_at_location", "taxonomy_term", "taxonomy", "organization", "location", "service"})
        if (stem.find(k) != std::string::npos) return k;
    if (o.contains("location_type")) return "location";
    if (o.contains("status")) return "service";
    if (o.contains("taxonomy_detail") || o.contains("term_uri") || o.contains("parent_id") || o.contains("code"))
        return "taxonomy_term";
    if ((o.contains("service_id") || o.contains("location_id") || o.contains("service") || o.contains("location")) &&
        !o.contains("name"))
        return "service_at_location";
    if (o.contains("version") && !o.contains("email") && !o.contains("website")) return "taxonomy";
    if (o.contains("name") && o.contains("description")) return "organization";
    return {};
}

void read_json(Importer& im, const fs::path& path, const std::string& name) {
    std::string text = read_file(path);
    boost::system::error_code ec;
    json::parse_options opts;
    opts.max_depth = 64;
    json::value v = json::parse(text, ec, {}, opts);
    if (ec) {
        im.error({name, 0, ""}, "", "not valid JSON: " + ec.message());
        return;
    }
    std::string stem = path.stem().string();
    auto one = [&](const json::value& x, const std::string& ptr) {
        Where w{name, 0, ptr};
        if (!x.is_object()) {
            im.error(w, "", "expected an HSDS record (a JSON object)");
            return;
        }
        auto kind = kind_of_json(stem, x.as_object());
        if (kind.empty()) {
            im.error(w, "", "cannot tell which HSDS record this is (name the file after it, e.g. services.json)");
            return;
        }
        im.flatten(*spec_of(kind), x.as_object(), w, nullptr, 0);
    };
    if (v.is_array()) {
        for (std::size_t i = 0; i < v.as_array().size(); ++i) one(v.as_array()[i], "/" + std::to_string(i));
        return;
    }
    if (!v.is_object()) {
        im.error({name, 0, ""}, "", "expected a JSON object or array");
        return;
    }
    auto& o = v.as_object();
    if (auto* c = o.if_contains("contents")) {
        if (!c->is_array()) {
            im.error({name, 0, "/contents"}, "contents", "expected an array");
            return;
        }
        for (std::size_t i = 0; i < c->as_array().size(); ++i)
            one(c->as_array()[i], "/contents/" + std::to_string(i));
        return;
    }
    bool tabular = !o.empty() && std::all_of(o.begin(), o.end(), [](const auto& kv) {
        return std::string_view(kv.key()).ends_with(".csv");
    });
    if (!tabular) {
        one(v, "");
        return;
    }
    for (const auto& kv : o) {
        auto kind = kind_named(std::string(kv.key()));
        Where w{name, 0, "/" + std::string(kv.key())};
        if (kind.empty()) {
            im.warning(w, "", "not an HSDS table; ignored");
            continue;
        }
        if (!kv.value().is_array()) {
            im.error(w, "", "expected an array of rows");
            continue;
        }
        const auto& rows = kv.value().as_array();
        for (std::size_t i = 0; i < rows.size(); ++i) {
            Where rw{name, 0, w.pointer + "/" + std::to_string(i)};
            if (!rows[i].is_object()) {
                im.error(rw, "", "expected an object");
                continue;
            }
            // The tabular form mirrors CSV text, so a number in a text column is that text.
            json::object row = rows[i].as_object();
            for (auto& kv : row) {
                const FieldSpec* f = field_of(*spec_of(kind), kv.key());
                if (!f || f->type != 's' || !kv.value().is_number()) continue;
                if (kv.value().is_double()) {
                    char buf[64];
                    auto r = std::to_chars(buf, buf + sizeof buf, kv.value().as_double());
                    kv.value() = std::string(buf, r.ptr);
                } else {
                    kv.value() = kv.value().is_int64() ? std::to_string(kv.value().as_int64())
                                                       : std::to_string(kv.value().as_uint64());
                }
            }
            im.flatten(*spec_of(kind), row, rw, nullptr, 0);
        }
    }
}

// Reads one CSV table of the datapackage.
void read_csv(Importer& im, const KindSpec& k, const fs::path& path, const std::string& name) {
    std::string text = read_file(path);
    std::vector<CsvRow> rows;
    try {
        rows = parse_csv(text);
    } catch (const std::exception& e) {
        std::string msg = e.what();
        long long line = std::atoll(msg.c_str() + (msg.starts_with("line ") ? 5 : 0));
        im.error({name, line, ""}, "", msg);
        return;
    }
    if (rows.empty()) return;
    const auto& header = rows[0].cells;
    std::set<std::string> seen_cols;
    for (const auto& h : header) {
        if (!seen_cols.insert(h).second) im.error({name, rows[0].line, ""}, h, "column named twice");
        if (!field_of(k, h)) im.warning({name, rows[0].line, ""}, h, std::string("not an HSDS column of ") + k.path + "; kept");
    }
    if (!seen_cols.count("id")) {
        im.error({name, rows[0].line, ""}, "id", "the table has no id column");
        return;
    }
    std::set<std::string> ids;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        Where w{name, row.line, ""};
        bool text_ok = true;
        for (const auto& c : row.cells)
            if (!valid_utf8(c)) text_ok = false;
        if (!text_ok) {
            im.error(w, "", "not valid UTF-8 text");
            continue;
        }
        if (row.cells.size() != header.size()) {
            im.error(w, "", "expected " + std::to_string(header.size()) + " fields, found " +
                                std::to_string(row.cells.size()));
            continue;
        }
        json::object o;
        for (std::size_t c = 0; c < header.size(); ++c) {
            const auto& cell = row.cells[c];
            const FieldSpec* f = field_of(k, header[c]);
            // CSV cannot tell an empty text from a missing one: a required text column that is
            // present counts as given (enums and ids still reject the empty value).
            if (cell.empty() && f && f->required && f->type == 's') o[header[c]] = "";
            if (cell.empty()) continue;
            if (f && f->type == 'n') {
                std::int64_t iv = 0;
                auto ri = std::from_chars(cell.data(), cell.data() + cell.size(), iv);
                if (ri.ec == std::errc() && ri.ptr == cell.data() + cell.size()) {
                    o[header[c]] = iv;
                    continue;
                }
                double dv = 0;
                auto rd = std::from_chars(cell.data(), cell.data() + cell.size(), dv);
                if (rd.ec == std::errc() && rd.ptr == cell.data() + cell.size() && std::isfinite(dv)) {
                    o[header[c]] = dv;
                    continue;
                }
                im.error(w, header[c], "expected a number, found \"" + cell.substr(0, 40) + "\"");
                continue;
            }
            o[header[c]] = cell;
        }
        auto id = str_of(o, "id");
        if (!id.empty() && !ids.insert(id).second) im.error(w, "id", "the id " + id + " appears twice in " + k.path);
        im.flatten(k, o, w, nullptr, 0);
    }
}

// The CSV tables of a datapackage: its resources when datapackage.json lists them, else the
// HSDS file names found in the folder.
std::vector<std::pair<const KindSpec*, fs::path>> tables_of(const fs::path& dir, Importer& im) {
    std::vector<std::pair<const KindSpec*, fs::path>> out;
    auto pkg = dir / "datapackage.json";
    if (fs::exists(pkg)) {
        boost::system::error_code ec;
        auto v = json::parse(read_file(pkg), ec);
        if (!ec && v.is_object())
            if (auto* res = v.as_object().if_contains("resources"); res && res->is_array()) {
                for (const auto& r : res->as_array()) {
                    if (!r.is_object()) continue;
                    auto path = str_of(r.as_object(), "path");
                    auto kind = kind_named(str_of(r.as_object(), "name"));
                    if (kind.empty()) kind = kind_named(path);
                    if (kind.empty() || path.empty() || path.find("..") != std::string::npos) {
                        im.warning({"datapackage.json", 0, ""}, "resources", "not an HSDS table: " + path);
                        continue;
                    }
                    out.emplace_back(spec_of(kind), dir / path);
                }
                return out;
            }
    }
    for (const auto& k : kinds())
        if (fs::exists(dir / k.path)) out.emplace_back(&k, dir / k.path);
    return out;
}

bool is_dure_vocabulary(const Rec& r) {
    if (r.kind == "taxonomy") return str_of(r.fields, "uri") == kDureUri;
    if (r.kind == "taxonomy_term") return str_of(r.fields, "taxonomy") == "dure";
    return false;
}

// The stored document of a catalogue record of this district, if there is one.
std::optional<json::object> stored_document(CatalogStore& st, const std::string& kind, const std::string& id,
                                            long long district_id, bool& other_district) {
    other_district = false;
    auto check = [&](long long d, const std::string& doc) -> std::optional<json::object> {
        if (d != district_id) {
            other_district = true;
            return std::nullopt;
        }
        return parse_object(doc);
    };
    if (kind == "organization")
        if (auto o = st.organization(id)) return check(o->district_id, organization_document(*o));
    if (kind == "service")
        if (auto s = st.service(id)) return check(s->district_id, service_document(*s));
    if (kind == "location")
        if (auto f = st.facility(id)) return check(f->district_id, facility_document(*f));
    if (kind == "service_at_location")
        if (auto l = st.service_at_location(id)) return check(l->district_id, service_at_location_document(*l));
    if (kind == "taxonomy")
        if (auto t = st.taxonomy(id)) return check(t->district_id, taxonomy_document(*t));
    if (kind == "taxonomy_term")
        if (auto t = st.taxonomy_term(id)) return check(t->district_id, taxonomy_term_document(*t));
    return std::nullopt;
}

}  // namespace

std::string describe(const ImportError& e) {
    std::string out = e.file;
    if (e.line > 0) out += ":" + std::to_string(e.line);
    if (!e.pointer.empty()) out += "#" + e.pointer;
    if (!e.field.empty()) out += ": " + e.field;
    return out + ": " + e.message;
}

ImportReport import_hsds(CatalogStore& st, long long district_id, const fs::path& path,
                         const std::string& changed_by) {
    ImportReport report;
    Importer im(report, true);
    std::string name = path.filename().string();
    try {
        fs::path dir;
        if (fs::is_directory(path)) dir = path;
        else if (path.filename() == "datapackage.json") dir = path.parent_path();
        if (!dir.empty()) {
            auto tables = tables_of(dir, im);
            if (tables.empty()) im.error({name, 0, ""}, "", "no HSDS CSV tables (services.csv, organizations.csv …) here");
            for (const auto& [k, p] : tables) {
                if (!fs::exists(p)) {
                    im.error({p.filename().string(), 0, ""}, "", "listed in datapackage.json but missing");
                    continue;
                }
                read_csv(im, *k, p, p.filename().string());
            }
        } else if (!fs::exists(path)) {
            im.error({name, 0, ""}, "", "no such file or folder");
        } else {
            read_json(im, path, name);
        }
    } catch (const std::exception& e) {
        im.error({name, 0, ""}, "", e.what());
    }
    // Checks against the catalogue run even after errors, so the report lists every problem.

    // Records already in the catalogue: merge their documents under the file's.
    std::vector<Key> in_file = im.order_;
    for (const auto& key : in_file) {
        if (!is_main(key.first)) continue;
        Importer quiet(report, false);
        bool other = false;
        auto doc = stored_document(st, key.first, key.second, district_id, other);
        if (other) im.error(im.recs_.at(key).where, "id", key.first + " " + key.second + " belongs to another district");
        if (!doc) continue;
        quiet.flatten(*spec_of(key.first), *doc, {}, nullptr, 0);
        for (auto& k : quiet.order_) {
            Rec r = quiet.recs_.at(k);
            r.in_file = false;
            im.put(std::move(r));
        }
    }
    im.link_parents();
    // Parents in the catalogue of child records in the file: load them so they gain the child.
    std::set<Key> wanted;
    for (const auto& key : in_file) {
        const Rec& r = im.recs_.at(key);
        for (const auto& p : r.parents)
            if (is_main(p.first) && !im.recs_.count(p)) wanted.insert(p);
    }
    for (const auto& p : wanted) {
        Importer quiet(report, false);
        bool other = false;
        auto doc = stored_document(st, p.first, p.second, district_id, other);
        if (!doc) continue;
        quiet.flatten(*spec_of(p.first), *doc, {}, nullptr, 0);
        for (auto& k : quiet.order_) {
            Rec r = quiet.recs_.at(k);
            r.in_file = false;
            im.put(std::move(r));
        }
    }
    im.link_parents();

    // References a record cannot be stored without.
    auto exists = [&](const std::string& kind, const std::string& id) {
        if (im.recs_.count({kind, id})) return true;
        bool other = false;
        return stored_document(st, kind, id, district_id, other).has_value();
    };
    for (const auto& key : in_file) {
        const Rec& r = im.recs_.at(key);
        auto need = [&](const char* field, const char* kind, bool required) {
            auto id = str_of(r.fields, field);
            if (id.empty()) {
                if (required) im.error(r.where, field, std::string("a ") + r.kind + " needs its " + field);
                return;
            }
            if (is_uuid(id) && !exists(kind, id))
                im.error(r.where, field, std::string("no ") + kind + " " + id + " in the file or the catalogue");
        };
        if (r.kind == "service") need("organization_id", "organization", false);
        if (r.kind == "service_at_location") {
            need("service_id", "service", true);
            need("location_id", "location", true);
        }
    }
    if (!report.ok()) return report;

    im.index_children();
    CatalogBatch batch;
    for (const auto& key : im.order_) {
        const Rec& r = im.recs_.at(key);
        if (r.in_file) ++report.counts[r.kind];
        if (is_dure_vocabulary(r)) continue;
        std::set<Key> path_guard;
        if (is_main(r.kind)) {
            auto doc = im.build(key, path_guard);
            if (r.kind == "organization") batch.organizations.push_back(organization_from_document(doc, district_id));
            if (r.kind == "service") batch.services.push_back(service_from_document(doc, district_id));
            if (r.kind == "location") batch.facilities.push_back(facility_from_document(doc, district_id));
            if (r.kind == "service_at_location")
                batch.service_at_locations.push_back(service_at_location_from_document(doc, district_id));
            if (r.kind == "taxonomy") batch.taxonomies.push_back(taxonomy_from_document(doc, district_id));
            if (r.kind == "taxonomy_term") batch.taxonomy_terms.push_back(taxonomy_term_from_document(doc, district_id));
        } else if (!im.attached(r)) {
            if (r.kind != "meta_table_description" && r.in_file)
                im.warning(r.where, "", r.kind + " " + r.id + " links to no record in the file or the catalogue; kept as is");
            batch.records.push_back({r.kind, r.id, district_id, json::serialize(im.build(key, path_guard))});
        }
    }
    try {
        st.apply(std::move(batch), changed_by, "import " + name);
    } catch (const Error& e) {
        report.errors.push_back({name, 0, "", e.fields().empty() ? "" : e.fields()[0].field, e.what()});
    } catch (const std::exception& e) {
        report.errors.push_back({name, 0, "", "", std::string("the database refused the import: ") + e.what()});
    }
    return report;
}

// --- export ----------------------------------------------------------------------------------

namespace {

std::string cell_of(const json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    if (v.is_double()) {
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v.as_double());
        return std::string(buf, r.ptr);
    }
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    if (v.is_null()) return {};
    return json::serialize(v);
}

// The id of the first parent of `kind`, for a child row's *_id column.
std::string parent_id(const Rec& r, const std::string& kind) {
    for (const auto& p : r.parents)
        if (p.first == kind) return p.second;
    return {};
}

json::object datapackage() {
    json::array resources;
    for (const auto& k : kinds()) {
        json::array fields;
        for (const auto& f : k.fields) {
            json::object fo{{"name", f.name}, {"type", f.type == 'n' ? "number" : "string"}};
            if (std::string_view(f.format) == "uuid" || std::string_view(f.format) == "uri" ||
                std::string_view(f.format) == "email")
                fo["format"] = f.format;
            json::object constraints;
            if (f.required) constraints["required"] = true;
            if (*f.values) {
                json::array vals;
                std::string_view all = f.values;
                std::size_t b = 0;
                while (b <= all.size()) {
                    auto e = all.find('|', b);
                    if (e == std::string_view::npos) e = all.size();
                    vals.emplace_back(all.substr(b, e - b));
                    b = e + 1;
                }
                constraints["enum"] = std::move(vals);
            }
            if (!constraints.empty()) fo["constraints"] = std::move(constraints);
            fields.push_back(std::move(fo));
        }
        resources.push_back(json::object{{"name", k.name},
                                         {"path", k.path},
                                         {"format", "csv"},
                                         {"mediatype", "text/csv"},
                                         {"encoding", "utf-8"},
                                         {"profile", "tabular-data-resource"},
                                         {"schema", json::object{{"fields", std::move(fields)}, {"primaryKey", "id"}}}});
    }
    return {{"name", "dure-hsds"},
            {"title", "dure welfare catalogue (Open Referral HSDS 3.0)"},
            {"profile", "tabular-data-package"},
            {"resources", std::move(resources)}};
}

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace

void export_hsds(CatalogStore& st, long long district_id, const fs::path& dir) {
    fs::create_directories(dir);
    ImportReport unused;
    Importer im(unused, false);
    auto add = [&](const char* kind, const std::string& doc) {
        im.flatten(*spec_of(kind), parse_object(doc), {}, nullptr, 0);
    };
    for (const auto& o : st.organizations(district_id, "", 0, 1LL << 40).items) add("organization", o.hsds_json);
    auto services = st.services(district_id);
    for (const auto& s : services) add("service", s.hsds_json);
    FacilityQuery fq;
    fq.limit = 1LL << 40;
    for (const auto& f : st.facilities(district_id, fq).items) add("location", f.hsds_json);
    for (const auto& l : st.service_at_locations(district_id, "", "", "", "", 0, 1LL << 40).items)
        add("service_at_location", l.hsds_json);
    for (const auto& t : st.taxonomies(district_id, "", 0, 1LL << 40).items) add("taxonomy", t.hsds_json);
    TermQuery tq;
    tq.limit = 1LL << 40;
    for (const auto& t : st.taxonomy_terms(district_id, tq).items) add("taxonomy_term", t.hsds_json);
    for (const auto& r : st.records(district_id))
        if (spec_of(r.kind)) add(r.kind.c_str(), r.hsds_json);
    im.link_parents();

    for (const auto& k : kinds()) {
        std::string text;
        std::vector<std::string> header;
        for (const auto& f : k.fields) header.push_back(f.name);
        text += csv_record(header) + "\r\n";
        for (const auto& key : im.order_) {
            if (key.first != k.name) continue;
            const Rec& r = im.recs_.at(key);
            std::vector<std::string> cells;
            for (const auto& col : header) {
                auto* v = r.fields.if_contains(col);
                std::string cell = v ? cell_of(*v) : std::string();
                if (cell.empty() && !is_main(r.kind)) {
                    for (const auto& [fk, pk] : parent_fks())
                        if (col == fk) cell = parent_id(r, pk);
                    bool attr = r.kind == "attribute", meta = r.kind == "metadata";
                    if (!r.parents.empty() && ((attr && col == "link_id") || (meta && col == "resource_id")))
                        cell = r.parents[0].second;
                    if (!r.parents.empty() && ((attr && col == "link_entity") || (meta && col == "resource_type")))
                        cell = r.parents[0].first;
                }
                cells.push_back(std::move(cell));
            }
            text += csv_record(cells) + "\r\n";
        }
        write_text(dir / k.path, text);
    }
    write_text(dir / "datapackage.json", json::serialize(datapackage()));
    json::array docs;
    Caches c;
    for (const auto& s : services) docs.push_back(service_with_relations(st, s, true, c));
    write_text(dir / "services.json", json::serialize(docs));
}

}  // namespace dure::catalog
