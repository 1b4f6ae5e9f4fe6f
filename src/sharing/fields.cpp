#include "sharing/fields.hpp"

#include <boost/json.hpp>
#include <set>
#include <stdexcept>

#include "common/embedded.hpp"

namespace dure::sharing {

namespace json = boost::json;

std::optional<Vetting> parse_vetting(std::string_view s) {
    if (s == "none") return Vetting::none;
    if (s == "identity") return Vetting::identity;
    if (s == "training") return Vetting::training;
    if (s == "criminal_record") return Vetting::criminal_record;
    return std::nullopt;
}

std::string_view to_string(Vetting v) {
    switch (v) {
        case Vetting::none: return "none";
        case Vetting::identity: return "identity";
        case Vetting::training: return "training";
        case Vetting::criminal_record: return "criminal_record";
    }
    return "none";
}

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
    throw std::runtime_error("data/sharing/fields.json: " + where + ": " + what);
}

std::string str(const json::object& o, std::string_view key, const std::string& where, bool required = true) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) {
        if (required) bad(where, std::string(key) + " is missing");
        return {};
    }
    if (!v->is_string()) bad(where, std::string(key) + " is not a string");
    std::string s(v->as_string());
    if (required && s.empty()) bad(where, std::string(key) + " is empty");
    return s;
}

}  // namespace

Taxonomy Taxonomy::parse(std::string_view text) {
    json::value root;
    try {
        root = json::parse(text);
    } catch (const std::exception& e) {
        bad("file", std::string("not JSON: ") + e.what());
    }
    if (!root.is_object()) bad("file", "not an object");
    const auto& o = root.as_object();
    Taxonomy t;
    t.version_ = str(o, "version", "file");
    auto* levels = o.if_contains("vetting_levels");
    if (!levels || !levels->is_array()) bad("file", "vetting_levels is missing");
    for (const auto& lv : levels->as_array()) {
        if (!lv.is_object()) bad("vetting_levels", "an entry is not an object");
        const auto& l = lv.as_object();
        auto code = str(l, "level", "vetting_levels");
        auto v = parse_vetting(code);
        if (!v) bad("vetting_levels." + code, "unknown level");
        t.levels_.push_back({*v, str(l, "label_ko", code), str(l, "label_en", code), str(l, "basis_ko", code),
                             str(l, "basis_en", code), str(l, "source", code)});
    }
    for (int i = 0; i <= 3; ++i)
        if (!t.level(static_cast<Vetting>(i))) bad("vetting_levels", "level " + std::string(to_string(static_cast<Vetting>(i))) + " is missing");
    auto* hr = o.if_contains("hour_rules");
    if (!hr || !hr->is_object()) bad("file", "hour_rules is missing");
    {
        const auto& h = hr->as_object();
        auto* max = h.if_contains("daily_max_hours");
        auto* win = h.if_contains("entry_window_days");
        if (!max || !max->is_int64() || max->as_int64() < 1 || max->as_int64() > 24) bad("hour_rules", "daily_max_hours 1-24");
        if (!win || !win->is_int64() || win->as_int64() < 1 || win->as_int64() > 366) bad("hour_rules", "entry_window_days 1-366");
        t.hours_.daily_max_minutes = static_cast<int>(max->as_int64()) * 60;
        t.hours_.entry_window_days = static_cast<int>(win->as_int64());
        t.hours_.basis_ko = str(h, "basis_ko", "hour_rules");
        t.hours_.basis_en = str(h, "basis_en", "hour_rules");
        t.hours_.source = str(h, "source", "hour_rules");
    }
    auto* fields = o.if_contains("fields");
    if (!fields || !fields->is_array()) bad("file", "fields is missing");
    std::set<std::string> codes;
    for (const auto& fv : fields->as_array()) {
        if (!fv.is_object()) bad("fields", "an entry is not an object");
        const auto& fo = fv.as_object();
        Field f{str(fo, "code", "fields"), {}, {}, {}};
        f.name_ko = str(fo, "name_ko", f.code);
        f.name_en = str(fo, "name_en", f.code);
        if (!codes.insert(f.code).second) bad(f.code, "duplicate code");
        auto* subs = fo.if_contains("subfields");
        if (!subs || !subs->is_array() || subs->as_array().empty()) bad(f.code, "subfields is missing or empty");
        for (const auto& sv : subs->as_array()) {
            if (!sv.is_object()) bad(f.code, "a sub-field is not an object");
            const auto& so = sv.as_object();
            SubField s;
            s.code = str(so, "code", f.code + ".subfields");
            s.field = f.code;
            if (!codes.insert(s.code).second) bad(s.code, "duplicate code");
            s.name_ko = str(so, "name_ko", s.code);
            s.name_en = str(so, "name_en", s.code);
            auto c1365 = str(so, "code_1365", s.code, false);
            auto* own = so.if_contains("dure_own");
            if (!own || !own->is_bool()) bad(s.code, "dure_own is missing");
            if (c1365.empty()) {
                if (!own->as_bool()) bad(s.code, "code_1365 is null, so dure_own must be true");
            } else {
                if (c1365.size() != 4 || c1365.find_first_not_of("0123456789") != std::string::npos)
                    bad(s.code, "code_1365 is not four digits");
                if (own->as_bool()) bad(s.code, "a sub-field with a 1365 code is not dure's own");
                s.code_1365 = c1365;
            }
            s.mode = str(so, "mode", s.code);
            if (s.mode != "in_person" && s.mode != "remote" && s.mode != "in_kind") bad(s.code, "mode is not in_person, remote or in_kind");
            auto v = parse_vetting(str(so, "vetting", s.code));
            if (!v) bad(s.code, "unknown vetting level");
            s.vetting = *v;
            s.vetting_rule = str(so, "vetting_rule", s.code, false);
            if (s.vetting == Vetting::criminal_record && s.vetting_rule != "children" && s.vetting_rule != "home_visit")
                bad(s.code, "a criminal-record check needs its vetting_rule (children or home_visit)");
            if (s.vetting != Vetting::criminal_record && !s.vetting_rule.empty()) bad(s.code, "vetting_rule only with criminal_record");
            f.subfields.push_back(s.code);
            t.subfields_.push_back(std::move(s));
        }
        t.fields_.push_back(std::move(f));
    }
    if (t.fields_.size() != 5) bad("fields", "there are " + std::to_string(t.fields_.size()) + " fields, not 5");
    return t;
}

const Taxonomy& Taxonomy::embedded() {
    static const Taxonomy t = [] {
        auto text = dure::embedded::find("data/sharing/fields.json");
        if (!text) throw std::runtime_error("data/sharing/fields.json is not compiled in");
        return parse(*text);
    }();
    return t;
}

const SubField* Taxonomy::find(std::string_view code) const {
    for (const auto& s : subfields_)
        if (s.code == code) return &s;
    return nullptr;
}

const VettingLevel* Taxonomy::level(Vetting v) const {
    for (const auto& l : levels_)
        if (l.level == v) return &l;
    return nullptr;
}

}  // namespace dure::sharing
