#include "identity/consents.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "common/embedded.hpp"
#include "identity/crypto.hpp"

namespace dure::identity {

namespace json = boost::json;

namespace {

std::string str(const json::object& o, const char* key, const std::string& where) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_string() || it->value().as_string().empty())
        throw std::runtime_error("consents.json: " + where + ": " + key + " must be a non-empty string");
    return std::string(it->value().as_string());
}

std::vector<std::string> lines(const json::object& o, const char* key, const std::string& where) {
    auto it = o.find(key);
    if (it == o.end() || !it->value().is_array() || it->value().as_array().empty())
        throw std::runtime_error("consents.json: " + where + ": " + key + " must be a non-empty list");
    std::vector<std::string> out;
    for (const auto& v : it->value().as_array()) {
        if (!v.is_string() || v.as_string().empty())
            throw std::runtime_error("consents.json: " + where + ": " + key + " holds a non-string");
        out.emplace_back(v.as_string());
    }
    return out;
}

}  // namespace

ConsentCatalog ConsentCatalog::parse(std::string_view text) {
    ConsentCatalog c;
    auto root = json::parse(text);
    if (!root.is_object()) throw std::runtime_error("consents.json: not an object");
    c.source_ = str(root.as_object(), "source", "root");
    auto it = root.as_object().find("consents");
    if (it == root.as_object().end() || !it->value().is_array()) throw std::runtime_error("consents.json: no consents list");
    bool any_required = false;
    for (const auto& v : it->value().as_array()) {
        if (!v.is_object()) throw std::runtime_error("consents.json: a consent is not an object");
        const auto& o = v.as_object();
        ConsentText t;
        t.kind = str(o, "kind", "a consent");
        t.version = str(o, "version", t.kind);
        auto req = o.find("required");
        if (req == o.end() || !req->value().is_bool()) throw std::runtime_error("consents.json: " + t.kind + ": required must be true or false");
        t.required = req->value().as_bool();
        t.title_ko = str(o, "title_ko", t.kind);
        t.title_en = str(o, "title_en", t.kind);
        t.items_ko = lines(o, "items_ko", t.kind);
        t.items_en = lines(o, "items_en", t.kind);
        t.withdraw = str(o, "withdraw", t.kind);
        if (t.withdraw != "account_deletion" && t.withdraw != "any_time")
            throw std::runtime_error("consents.json: " + t.kind + ": withdraw must be account_deletion or any_time");
        if (!t.required && t.withdraw != "any_time")
            throw std::runtime_error("consents.json: " + t.kind + ": an optional consent is withdrawn at any time");
        if (c.find(t.kind)) throw std::runtime_error("consents.json: " + t.kind + " twice");
        std::string shown = t.kind + "\n" + t.version + "\n" + t.title_ko + "\n" + t.title_en;
        for (const auto& l : t.items_ko) shown += "\n" + l;
        for (const auto& l : t.items_en) shown += "\n" + l;
        t.sha256 = token_hash(shown);
        any_required = any_required || t.required;
        c.texts_.push_back(std::move(t));
    }
    if (!any_required) throw std::runtime_error("consents.json: no required consent");
    return c;
}

const ConsentCatalog& ConsentCatalog::embedded() {
    static const ConsentCatalog c = [] {
        auto text = embedded::find("data/privacy/consents.json");
        if (!text) throw std::runtime_error("missing embedded data/privacy/consents.json");
        return parse(*text);
    }();
    return c;
}

const ConsentText* ConsentCatalog::find(std::string_view kind) const {
    for (const auto& t : texts_)
        if (t.kind == kind) return &t;
    return nullptr;
}

void check_signup_consents(const ConsentCatalog& cat, const std::vector<ConsentGiven>& given, FieldErrors& errors) {
    std::vector<std::string> seen;
    for (const auto& g : given) {
        const auto* t = cat.find(g.kind);
        if (!t) {
            errors.add("consents", "unknown_consent", "no consent of kind " + g.kind.substr(0, 40));
            continue;
        }
        if (std::find(seen.begin(), seen.end(), g.kind) != seen.end()) {
            errors.add("consents", "repeated", g.kind + " is given twice");
            continue;
        }
        seen.push_back(g.kind);
        if (g.version != t->version)
            errors.add("consents", "outdated_version", g.kind + ": the text changed (now version " + t->version + "); reload the page");
    }
    for (const auto& t : cat.all())
        if (t.required && std::find(seen.begin(), seen.end(), t.kind) == seen.end())
            errors.add("consents", "required_consent", "the " + t.kind + " consent is required to sign up");
}

}  // namespace dure::identity
