#include "applications/rules.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <stdexcept>

#include "common/dates.hpp"
#include "common/embedded.hpp"

namespace dure::applications {

namespace json = boost::json;

namespace {

std::string str(const json::object& o, std::string_view key, bool required, const std::string& where) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null()) {
        if (required) throw std::runtime_error(where + ": missing \"" + std::string(key) + "\"");
        return {};
    }
    if (!v->is_string()) throw std::runtime_error(where + ": \"" + std::string(key) + "\" is not a string");
    return std::string(v->as_string());
}

bool flag(const json::object& o, std::string_view key, bool dflt) {
    auto* v = o.if_contains(key);
    return v && v->is_bool() ? v->as_bool() : dflt;
}

long long num(const json::object& o, std::string_view key, long long dflt) {
    auto* v = o.if_contains(key);
    return v && v->is_int64() ? v->as_int64() : dflt;
}

std::vector<std::string> strings(const json::object& o, std::string_view key) {
    std::vector<std::string> out;
    if (auto* v = o.if_contains(key); v && v->is_array())
        for (const auto& x : v->as_array()) out.emplace_back(x.as_string());
    return out;
}

std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool valid_phone(std::string_view s) {
    std::size_t digits = 0;
    for (char c : s) {
        if (c >= '0' && c <= '9') ++digits;
        else if (c != '-') return false;
    }
    return digits >= 9 && digits <= 11;
}

const char* kTypes[] = {"text", "textarea", "number", "choice", "date", "phone", "yes_no"};

}  // namespace

const Field* Form::field(std::string_view c) const {
    for (const auto& f : fields)
        if (f.code == c) return &f;
    return nullptr;
}

const Document* Form::document(std::string_view c) const {
    for (const auto& d : documents)
        if (d.code == c) return &d;
    return nullptr;
}

Form parse_form(std::string_view text) {
    auto root = json::parse(text).as_object();
    Form f;
    f.code = str(root, "code", true, "form");
    const std::string where = "form " + f.code;
    f.version = str(root, "version", true, where);
    f.title_ko = str(root, "title_ko", true, where);
    f.title_en = str(root, "title_en", true, where);
    f.summary_ko = str(root, "summary_ko", true, where);
    f.source = str(root, "source", true, where);
    auto provider = root.at("provider").as_object();
    f.provider_kind = str(provider, "kind", true, where + " provider");
    f.provider_ko = str(provider, "name_ko", true, where + " provider");
    if (f.provider_kind != "district" && f.provider_kind != "partner")
        throw std::runtime_error(where + ": provider.kind must be district or partner");
    f.service_names = strings(root, "service_names");
    f.program_codes = strings(root, "program_codes");
    for (const auto& v : root.at("fields").as_array()) {
        auto o = v.as_object();
        Field x;
        x.code = str(o, "code", true, where + " field");
        x.type = str(o, "type", true, where + " field " + x.code);
        x.label_ko = str(o, "label_ko", true, where + " field " + x.code);
        x.label_en = str(o, "label_en", true, where + " field " + x.code);
        x.help_ko = str(o, "help_ko", false, where);
        x.required = flag(o, "required", false);
        x.min = num(o, "min", 0);
        x.max = num(o, "max", x.type == "number" ? 1000000000 : x.type == "textarea" ? 1000 : 100);
        x.choices = strings(o, "choices");
        bool known = false;
        for (auto* t : kTypes) known = known || x.type == t;
        if (!known) throw std::runtime_error(where + " field " + x.code + ": unknown type " + x.type);
        if (x.type == "choice" && x.choices.empty()) throw std::runtime_error(where + " field " + x.code + ": no choices");
        if (f.field(x.code)) throw std::runtime_error(where + ": field " + x.code + " twice");
        f.fields.push_back(std::move(x));
    }
    if (auto* docs = root.if_contains("documents"))
        for (const auto& v : docs->as_array()) {
            auto o = v.as_object();
            Document d{str(o, "code", true, where + " document"), str(o, "label_ko", true, where),
                       str(o, "label_en", true, where), flag(o, "required", false)};
            if (f.document(d.code)) throw std::runtime_error(where + ": document " + d.code + " twice");
            f.documents.push_back(std::move(d));
        }
    for (const auto& v : root.at("consents").as_array()) {
        auto o = v.as_object();
        Consent c;
        c.code = str(o, "code", true, where + " consent");
        c.purpose_ko = str(o, "purpose_ko", true, where + " consent " + c.code);
        c.items_ko = str(o, "items_ko", true, where + " consent " + c.code);
        c.retention_ko = str(o, "retention_ko", true, where + " consent " + c.code);
        c.basis = str(o, "basis", true, where + " consent " + c.code);
        c.required = flag(o, "required", true);
        f.consents.push_back(std::move(c));
    }
    if (f.consents.empty()) throw std::runtime_error(where + ": a form collects personal data, so it needs a consent");
    return f;
}

const std::vector<Form>& embedded_forms() {
    static const std::vector<Form> forms = [] {
        std::vector<Form> out;
        for (const auto& file : embedded::files())
            if (file.path.starts_with("data/applications/forms/") && file.path.ends_with(".json"))
                out.push_back(parse_form(file.text));
        return out;
    }();
    return forms;
}

const Form* find_form(std::string_view code) {
    for (const auto& f : embedded_forms())
        if (f.code == code) return &f;
    return nullptr;
}

const std::vector<Handover>& embedded_handovers() {
    static const std::vector<Handover> list = [] {
        std::vector<Handover> out;
        auto text = embedded::find("data/applications/handover.json");
        if (!text) return out;
        auto root = json::parse(*text).as_object();
        for (const auto& v : root.at("programs").as_array()) {
            auto o = v.as_object();
            Handover h;
            h.program_code = str(o, "program_code", true, "handover");
            const std::string where = "handover " + h.program_code;
            h.name_ko = str(o, "name_ko", true, where);
            h.portal_name = str(o, "portal_name", true, where);
            h.portal_url = str(o, "portal_url", true, where);
            h.legal_basis = str(o, "legal_basis", true, where);
            h.source = str(o, "source", true, where);
            h.checklist = strings(o, "checklist");
            if (h.portal_url.rfind("https://", 0) != 0) throw std::runtime_error(where + ": portal_url must be https");
            out.push_back(std::move(h));
        }
        return out;
    }();
    return list;
}

const Handover* find_handover(std::string_view program_code) {
    for (const auto& h : embedded_handovers())
        if (h.program_code == program_code) return &h;
    return nullptr;
}

void validate_answers(const Form& form, const json::object& answers, bool complete, FieldErrors& errors) {
    for (const auto& [k, v] : answers)
        if (!form.field(k)) errors.add("answers." + std::string(k), "unknown_field", "this form has no such question");
    for (const auto& f : form.fields) {
        const std::string name = "answers." + f.code;
        auto* v = answers.if_contains(f.code);
        bool empty = !v || v->is_null() || (v->is_string() && v->as_string().empty());
        if (empty) {
            if (complete && f.required) errors.add(name, "required", "answer this question");
            continue;
        }
        if (f.type == "number") {
            if (!v->is_int64()) {
                errors.add(name, "not_an_integer", "a whole number");
            } else if (v->as_int64() < f.min || v->as_int64() > f.max) {
                errors.add(name, "out_of_range",
                           "a number from " + std::to_string(f.min) + " to " + std::to_string(f.max));
            }
            continue;
        }
        if (f.type == "yes_no") {
            if (!v->is_bool()) errors.add(name, "not_a_boolean", "true or false");
            continue;
        }
        if (!v->is_string()) {
            errors.add(name, "not_a_string", "a text answer");
            continue;
        }
        std::string s(v->as_string());
        if (f.type == "choice") {
            bool ok = false;
            for (const auto& c : f.choices) ok = ok || c == s;
            if (!ok) errors.add(name, "unknown_choice", "one of the form's choices");
        } else if (f.type == "date") {
            if (!valid_date(s)) errors.add(name, "invalid_date", "a date as YYYY-MM-DD");
        } else if (f.type == "phone") {
            if (!valid_phone(s)) errors.add(name, "invalid_phone", "digits (and dashes) only, e.g. 010-1234-5678");
        } else {
            if (code_points(s) > static_cast<std::size_t>(f.max))
                errors.add(name, "too_long", "at most " + std::to_string(f.max) + " characters");
            for (unsigned char c : s)
                if (c < 0x20 && !(f.type == "textarea" && (c == '\n' || c == '\r' || c == '\t'))) {
                    errors.add(name, "control_character", "no control characters");
                    break;
                }
        }
    }
}

void validate_consents(const Form& form, const json::object& consents, bool complete, FieldErrors& errors) {
    for (const auto& [k, v] : consents) {
        bool known = false;
        for (const auto& c : form.consents) known = known || c.code == k;
        if (!known) errors.add("consents." + std::string(k), "unknown_field", "this form asks no such consent");
        else if (!v.is_bool()) errors.add("consents." + std::string(k), "not_a_boolean", "true or false");
    }
    if (!complete) return;
    for (const auto& c : form.consents) {
        auto* v = consents.if_contains(c.code);
        if (c.required && !(v && v->is_bool() && v->as_bool()))
            errors.add("consents." + c.code, "consent_required", "this consent is needed to process the application");
    }
}

void validate_documents(const Form& form, const std::vector<std::string>& uploaded, FieldErrors& errors) {
    for (const auto& d : form.documents) {
        if (!d.required) continue;
        bool have = false;
        for (const auto& u : uploaded) have = have || u == d.code;
        if (!have) errors.add("documents." + d.code, "required", "upload this document");
    }
}

std::optional<std::string> sniff_type(std::string_view b) {
    if (b.size() >= 5 && b.substr(0, 5) == "%PDF-") return "application/pdf";
    if (b.size() >= 3 && static_cast<unsigned char>(b[0]) == 0xFF && static_cast<unsigned char>(b[1]) == 0xD8 &&
        static_cast<unsigned char>(b[2]) == 0xFF)
        return "image/jpeg";
    static constexpr unsigned char png[] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (b.size() >= 8) {
        bool ok = true;
        for (int i = 0; i < 8; ++i) ok = ok && static_cast<unsigned char>(b[i]) == png[i];
        if (ok) return "image/png";
    }
    return std::nullopt;
}

bool allowed(std::string_view status, Step step) {
    switch (step) {
        case Step::submit: return status == "draft" || status == "more_documents";
        case Step::review: return status == "received";
        case Step::request_documents: return status == "received" || status == "under_review";
        case Step::decide: return status == "received" || status == "under_review" || status == "more_documents";
    }
    return false;
}

std::string next_status(Step step) {
    switch (step) {
        case Step::submit: return "received";
        case Step::review: return "under_review";
        case Step::request_documents: return "more_documents";
        case Step::decide: return "decided";
    }
    return "";
}

std::string status_ko(std::string_view s) {
    if (s == "draft") return "작성 중";
    if (s == "received") return "접수됨";
    if (s == "under_review") return "검토 중";
    if (s == "more_documents") return "서류 보완 요청";
    if (s == "decided") return "결정됨";
    return std::string(s);
}

std::string receipt_number(int year, long long id) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%06lld", year, id);
    return buf;
}

}  // namespace dure::applications
