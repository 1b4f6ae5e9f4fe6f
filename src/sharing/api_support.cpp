#include "sharing/api_support.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/service.hpp"
#include "notify/outbox.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

namespace dure::sharing::api {

using http::Request;
using http::Response;
using identity::Action;

const char* const kDays[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

json::array days_json(int bits) {
    json::array a;
    for (int i = 0; i < 7; ++i)
        if (bits & (1 << i)) a.push_back(json::string(kDays[i]));
    return a;
}

json::array strings_json(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.push_back(json::string(s));
    return a;
}

// A list of short codes: each a string of 1-`max_len` characters [a-zA-Z0-9_-].
std::vector<std::string> code_list(const json::object& body, const char* key, bool required, FieldErrors& errors,
                                   std::size_t max_items, std::size_t max_len) {
    std::vector<std::string> out;
    auto* v = body.if_contains(key);
    if (!v) {
        if (required) errors.add(key, "required", "required");
        return out;
    }
    if (!v->is_array() || v->as_array().empty() || v->as_array().size() > max_items) {
        errors.add(key, "not_a_list", "a list of 1 to " + std::to_string(max_items) + " codes");
        return out;
    }
    for (const auto& x : v->as_array()) {
        if (!x.is_string() || x.as_string().empty() || x.as_string().size() > max_len ||
            std::string_view(x.as_string()).find_first_not_of(
                "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string_view::npos) {
            errors.add(key, "not_a_code", "each item a short code");
            return {};
        }
        std::string s(x.as_string());
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
}

int day_bits(const std::vector<std::string>& days, FieldErrors& errors) {
    int bits = 0;
    for (const auto& d : days) {
        int i = 0;
        while (i < 7 && d != kDays[i]) ++i;
        if (i == 7) {
            errors.add("days", "unknown_code", "mon, tue, wed, thu, fri, sat or sun");
            return 0;
        }
        bits |= 1 << i;
    }
    return bits;
}

std::string day_of(long long t) {
    // Seoul date of a Unix time.
    long long days = (t + 9 * 3600) / 86400;
    long long z = days + 719468, era = z / 146097, doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld", y, m, d);
    return buf;
}


identity::Principal login(Ctx& c, const Request& req) {
    auto p = identity::principal_of(c.ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
    return p;
}

identity::Target target(long long district, long long dong) {
    identity::Target t;
    t.district_id = district;
    t.dong_id = dong;
    return t;
}

bool manages(const identity::Principal& p, long long district, long long dong) {
    return identity::authorize(p, Action::manage_sharing, target(district, dong)).allowed;
}

std::string dong_name(Ctx& c, long long district, long long dong) {
    for (const auto& d : c.ids.store().districts())
        if (d.id == district)
            for (const auto& g : d.dongs)
                if (g.id == dong) return g.name_ko;
    return "";
}

bool dong_in(Ctx& c, long long district, long long dong) { return !dong_name(c, district, dong).empty(); }

// Where the words for a side go: its account, or (for a person entered on their behalf) the
// staff member who entered it, who passes them on.
long long inbox_of(const Side& s, long long entered_by) { return s.account_id ? s.account_id : entered_by; }

void tell(Ctx& c, soci::session& s, long long account, const std::string& kind, const std::string& title,
          const std::string& body, long long now) {
    sharing::tell(s, c.keys, c.channels, account, kind, title, body, now);
}

Response answer(const store::StoredAnswer& a) {
    Response r;
    r.status = a.status;
    r.body = a.body;
    r.set_header("Content-Type", "application/json");
    r.set_header("Cache-Control", "no-store");
    if (a.replayed) r.set_header("Idempotent-Replayed", "true");
    return r;
}

// Runs a write under the request's Idempotency-Key; a unique violation (a second live
// connection for a need) becomes 409 naming `conflict_field`.
Response idempotent(Ctx& c, const Request& req, const identity::Principal& p,
                    const std::function<std::pair<int, std::string>(soci::session&)>& write,
                    const char* conflict_field) {
    auto key = identity::idempotency_key(req, "account:" + std::to_string(p.account_id));
    try {
        return answer(store::run_idempotent(c.store.db(), key, identity::request_hash(req), write));
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (!store::is_unique_violation(e)) throw;
        if (conflict_field)
            throw Error(ErrorKind::conflict, "this need already has a connection under way",
                        {{conflict_field, "need_already_served", "the need is already being served"}});
        throw Error(ErrorKind::conflict, "another change was written at the same moment; try again");
    }
}

// The optional on-behalf block: {person_id, consent_method: in_person|phone|paper}. Returns the
// side and the consent method ("self" when absent); checks the caller manages the dong.
Behalf read_behalf(Ctx& c, const identity::Principal& p, const json::object& body, long long district, long long dong,
                   FieldErrors& errors) {
    Behalf b;
    auto* v = body.if_contains("on_behalf");
    if (!v || v->is_null()) {
        b.who.account_id = p.account_id;
        return b;
    }
    if (!v->is_object()) {
        errors.add("on_behalf", "not_an_object", "{person_id, consent_method}");
        return b;
    }
    http::BodyReader r(v->as_object(), errors);
    r.allow_only({"person_id", "consent_method"});
    auto person = r.integer("person_id", true, 1, 1LL << 53);
    auto method = r.string("consent_method", true, 20);
    if (method && *method != "in_person" && *method != "phone" && *method != "paper")
        errors.add("consent_method", "unknown_code", "in_person, phone or paper");
    if (!errors.empty()) return b;
    if (dong) identity::require(p, Action::manage_sharing, target(district, dong));
    auto rec = c.ids.store().person(*person);
    if (!rec || rec->district_id != district) {
        errors.add("person_id", "unknown_person", "no such person in this district");
        return b;
    }
    b.who.person_id = rec->id;
    b.consent = *method;
    return b;
}

json::object offer_json(const Offer& o, bool own) {
    json::object j{{"id", o.id}, {"dong_id", o.dong_id}, {"subfields", strings_json(o.subfields)},
                   {"days", days_json(o.when.days)}, {"hour_from", o.when.hour_from}, {"hour_to", o.when.hour_to},
                   {"mode", o.mode}, {"languages", strings_json(o.languages)}, {"status", o.status},
                   {"vetted_level", o.vetted_level}, {"created_at", o.created_at}, {"completed", o.completed},
                   {"live", o.live}};
    if (own) {
        j["note"] = o.note;
        j["refusal_reason"] = o.refusal_reason;
        j["consent_method"] = o.consent_method;
    }
    return j;
}

// What anyone may see of a need: no person, no free text.
json::object need_summary(Ctx& c, const Need& n, long long now) {
    const auto* sf = c.tax.find(n.subfield);
    return {{"id", n.id},
            {"subfield", n.subfield},
            {"subfield_ko", sf ? sf->name_ko : ""},
            {"field", sf ? sf->field : ""},
            {"dong_id", n.dong_id},
            {"dong_ko", dong_name(c, n.district_id, n.dong_id)},
            {"window_from", n.window_from},
            {"window_to", n.window_to},
            {"days", days_json(n.when.days)},
            {"hour_from", n.when.hour_from},
            {"hour_to", n.when.hour_to},
            {"urgency", n.urgency},
            {"waiting_days", n.created_at ? (now - n.created_at) / 86400 : 0}};
}

json::object need_own(Ctx& c, const Need& n, long long now) {
    auto j = need_summary(c, n, now);
    j["status"] = n.status;
    j["detail"] = n.detail;
    j["refusal_reason"] = n.refusal_reason;
    j["languages"] = strings_json(n.languages);
    return j;
}

std::string required_level(Ctx& c, const std::vector<std::string>& subs) {
    int lvl = 0;
    for (const auto& s : subs)
        if (const auto* sf = c.tax.find(s)) lvl = std::max(lvl, static_cast<int>(sf->vetting));
    return std::string(to_string(static_cast<Vetting>(lvl)));
}

OfferView view_of(const Offer& o) {
    OfferView v;
    v.id = o.id;
    v.dong_id = o.dong_id;
    v.subfields = o.subfields;
    v.mode = o.mode;
    v.when = o.when;
    v.languages = o.languages;
    v.vetted_level = static_cast<int>(parse_vetting(o.vetted_level).value_or(Vetting::none));
    v.live_connections = static_cast<int>(o.live);
    v.completed = static_cast<int>(o.completed);
    v.helper_account = o.who.account_id;
    v.helper_person = o.who.person_id;
    return v;
}
NeedView view_of(const Need& n) {
    NeedView v;
    v.id = n.id;
    v.dong_id = n.dong_id;
    v.subfield = n.subfield;
    v.when = n.when;
    v.languages = n.languages;
    v.created_at = n.created_at;
    v.recipient_account = n.who.account_id;
    v.recipient_person = n.who.person_id;
    return v;
}

json::array suggestions_json(const std::vector<Suggestion>& list) {
    json::array a;
    for (const auto& s : list) {
        json::array reasons;
        for (const auto& r : s.reasons)
            reasons.push_back(json::object{{"code", r.code}, {"ko", r.ko}, {"en", r.en}, {"points", r.points}});
        a.push_back(json::object{{"offer_id", s.offer_id}, {"score", s.score}, {"reasons", std::move(reasons)}});
    }
    return a;
}

// The name and contact of a side (account or person record).
json::object contact_of(Ctx& c, const Side& s) {
    if (s.account_id) {
        auto a = c.ids.store().account(s.account_id);
        return {{"name", a ? a->name : ""}, {"phone", a ? a->phone : ""}, {"email", a ? a->email : ""}};
    }
    auto p = c.ids.store().person(s.person_id);
    return {{"name", p ? p->name : ""}, {"phone", p ? p->phone : ""}, {"email", ""}};
}

void log_side(Ctx& c, const identity::Principal& p, const Request& req, long long district, const Side& s,
              const std::string& fields, const std::string& why) {
    identity::log_access(c.ids, p, req, district, s.account_id ? "account" : "person",
                         s.account_id ? s.account_id : s.person_id, "read", fields, why);
}

std::string who_am_i(const identity::Principal& p, const Connection& k) {
    if (k.helper.account_id && k.helper.account_id == p.account_id) return "helper";
    if (k.recipient.account_id && k.recipient.account_id == p.account_id) return "recipient";
    return "";
}

json::object connection_json(Ctx& c, const Connection& k, const std::string& role) {
    return {{"id", k.id},
            {"need_id", k.need_id},
            {"offer_id", k.offer_id},
            {"status", k.status},
            {"role", role},
            {"subfield", k.subfield},
            {"dong_ko", dong_name(c, k.district_id, k.dong_id)},
            {"helper_accepted", k.helper_accepted_at > 0},
            {"recipient_accepted", k.recipient_accepted_at > 0},
            {"proposed_at", k.proposed_at},
            {"ended_at", k.ended_at},
            {"cancel_reason", k.cancel_reason}};
}

long long dong_param(const Request& req) {
    auto d = req.query_param("dong");
    if (!d || d->empty()) return 0;
    if (d->size() > 15 || d->find_first_not_of("0123456789") != std::string::npos) {
        FieldErrors e;
        e.add("dong", "not_an_integer", "a dong id");
        e.throw_if_any();
    }
    return std::stoll(*d);
}
}  // namespace dure::sharing::api
