#pragma once
// Internal to src/catalog/hsds/: the record set an import reads into (flattened records with
// their parents, checked against the HSDS 3.0 schema); export uses it to lay documents out as rows.
#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

#include "catalog/hsds/internal.hpp"

namespace dure::catalog::hsds_detail {

inline constexpr std::size_t kMaxFileBytes = 256u << 20;
inline constexpr std::size_t kMaxErrors = 10000;

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

inline void add_unique(std::vector<Key>& v, Key k) {
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

}  // namespace dure::catalog::hsds_detail
