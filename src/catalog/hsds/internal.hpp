#pragma once
// Internal to src/catalog/hsds/: the HSDS 3.0 tables, the small JSON helpers and the "dure"
// extension attributes that the record mapping, the API documents, import and export share.
// Not a public header: other modules use catalog/hsds.hpp.
#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "catalog/hsds.hpp"
#include "catalog/store.hpp"

namespace dure::catalog::hsds_detail {

namespace json = boost::json;

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

// The HSDS 3.0 tables (schema.cpp; generated from data/hsds-3.0/schema/*.json, hsds_test checks it).
const std::vector<KindSpec>& kinds();
const KindSpec* spec_of(std::string_view kind);
const LinkSpec* link_of(const KindSpec& k, std::string_view prop);
const FieldSpec* field_of(const KindSpec& k, std::string_view name);
bool is_main(std::string_view kind);
std::string single_fk(std::string_view prop);
std::string nest_fk(std::string_view kind, std::string_view parent_kind);
const std::vector<std::pair<std::string, std::string>>& parent_fks();
std::string kind_named(std::string_view s);

// Small JSON helpers (schema.cpp).
json::object parse_object(const std::string& text);
std::string str_of(const json::object& o, std::string_view key);
std::optional<double> num_of(const json::object& o, std::string_view key);
json::value number_value(double d);
void sync_str(json::object& o, std::string_view key, const std::string& v, bool keep = false);
void sync_num(json::object& o, std::string_view key, std::optional<double> v);
std::string derived_uuid(std::string_view name);
json::object scalars(const json::object& o);

// Korean extensions as "dure" attributes (schema.cpp).
inline constexpr const char* kDureUri = "https://dure.kr/hsds/taxonomy/dure";
inline constexpr const char* kDurePrefix = "dure:";
struct Extension {
    const char* code;
    const char* description;
};
const std::vector<Extension>& extensions();
std::string dure_taxonomy_id(long long district_id);
std::string dure_term_id(long long district_id, std::string_view code);
using Ext = std::vector<std::pair<std::string, std::string>>;  // (extension code, value)
void set_extensions(json::object& doc, const std::string& id, const char* entity, long long district_id,
                    const Ext& ext);
Ext extensions_of(const json::object& doc);
std::vector<std::string> values_of(const Ext& ext, std::string_view code);
std::string value_of(const Ext& ext, std::string_view code);
void add_all(Ext& ext, const char* code, const std::vector<std::string>& vs);
void add_one(Ext& ext, const char* code, const std::string& v);

// Lookups shared while assembling many documents (an export), so each is read once (documents.cpp).
struct Caches {
    std::map<std::string, json::value> terms;                  // term id -> document or null
    std::map<std::string, std::optional<json::object>> orgs;   // organization id -> with locations
    std::optional<std::vector<HsdsRecord>> records;
};
json::object service_with_relations(CatalogStore& st, const Service& s, bool with_organization, Caches& c);

}  // namespace dure::catalog::hsds_detail
