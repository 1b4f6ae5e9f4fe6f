// Import of HSDS 3.0 JSON files and CSV datapackages: everything checked first, nothing written when a row is wrong.
#include "catalog/hsds/internal.hpp"
#include "catalog/hsds/importer.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/spreadsheet.hpp"

namespace dure::catalog {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace hsds_detail;

namespace {

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

}  // namespace dure::catalog
