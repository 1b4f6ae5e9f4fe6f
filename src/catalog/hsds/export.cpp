// Export of a district's catalogue as an HSDS 3.0 CSV datapackage plus services.json.
#include "catalog/hsds/internal.hpp"
#include "catalog/hsds/importer.hpp"

#include <charconv>
#include <fstream>

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace hsds_detail;

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
