#include "sharing/api.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <map>
#include <tuple>
#include <set>

#include "common/error.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/service.hpp"
#include "notify/outbox.hpp"
#include "sharing/fields.hpp"
#include "sharing/rules.hpp"
#include "sharing/store.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

namespace dure::sharing {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

const char* kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

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
                                   std::size_t max_items = 20, std::size_t max_len = 10) {
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

struct Ctx {
    SharingStore& store;
    identity::IdentityService& ids;
    const identity::Keyring& keys;
    std::function<long long()> default_district;
    const Taxonomy& tax = Taxonomy::embedded();
    int escalate_days = 7;
};

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
    if (account) notify::enqueue(s, c.keys, account, kind, title, body, {}, now);
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
                    const char* conflict_field = nullptr) {
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
struct Behalf {
    Side who;
    std::string consent = "self";
};
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

}  // namespace

void register_routes(http::Router& router, SharingStore& store, identity::IdentityService& ids,
                     const identity::Keyring& keys, std::function<long long()> default_district) {
    auto ctx = std::make_shared<Ctx>(Ctx{store, ids, keys, std::move(default_district)});
    if (auto v = std::getenv("DURE_SHARING_ESCALATE_DAYS"); v && *v) ctx->escalate_days = std::max(1, std::atoi(v));

    router.add({"GET", "/api/v1/sharing/fields",
                [ctx](Request&) {
                    auto& t = ctx->tax;
                    json::array fields;
                    for (const auto& f : t.fields()) {
                        json::array subs;
                        for (const auto& code : f.subfields) {
                            const auto* s = t.find(code);
                            subs.push_back(json::object{
                                {"code", s->code}, {"name_ko", s->name_ko}, {"name_en", s->name_en},
                                {"code_1365", s->code_1365 ? json::value(*s->code_1365) : json::value(nullptr)},
                                {"mode", s->mode}, {"vetting", to_string(s->vetting)}, {"vetting_rule", s->vetting_rule}});
                        }
                        fields.push_back(json::object{{"code", f.code}, {"name_ko", f.name_ko}, {"name_en", f.name_en},
                                                      {"subfields", std::move(subs)}});
                    }
                    json::array levels;
                    for (const auto& l : t.vetting_levels())
                        levels.push_back(json::object{{"level", to_string(l.level)}, {"label_ko", l.label_ko},
                                                      {"label_en", l.label_en}, {"basis_ko", l.basis_ko},
                                                      {"basis_en", l.basis_en}, {"source", l.source}});
                    const auto& h = t.hour_rules();
                    return http::json_response(
                        200, json::object{{"version", t.version()}, {"fields", std::move(fields)}, {"vetting_levels", std::move(levels)},
                                          {"hour_rules", json::object{{"daily_max_hours", h.daily_max_minutes / 60},
                                                                      {"entry_window_days", h.entry_window_days},
                                                                      {"basis_ko", h.basis_ko}, {"basis_en", h.basis_en},
                                                                      {"source", h.source}}}});
                },
                "The five fields and 73 sub-fields of help matching, vetting levels with their rules, hour rules",
                "sharing"});

    router.add({"GET", "/api/v1/sharing/needs",
                [ctx](Request& req) {
                    long long district = ctx->default_district();
                    auto sub = req.query_param("subfield");
                    long long now = store::now_unix();
                    json::array items;
                    for (const auto& n : ctx->store.needs(district, "open")) {
                        if (sub && !sub->empty() && n.subfield != *sub) continue;
                        items.push_back(need_summary(*ctx, n, now));
                    }
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Open needs, de-identified: sub-field, dong, window and urgency only (anyone)", "sharing"});

    router.add({"POST", "/api/v1/sharing/offers",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"subfields", "dong_id", "days", "hour_from", "hour_to", "mode", "languages", "note", "on_behalf"});
                    auto subs = code_list(body, "subfields", true, errors);
                    for (const auto& s : subs)
                        if (!ctx->tax.find(s)) {
                            errors.add("subfields", "unknown_subfield", "unknown sub-field " + s);
                            break;
                        }
                    auto dong = r.integer("dong_id", true, 1, 1LL << 53);
                    if (dong && !dong_in(*ctx, p.district_id, *dong)) errors.add("dong_id", "unknown_dong", "a dong of your district");
                    int days = day_bits(code_list(body, "days", true, errors, 7, 3), errors);
                    auto hf = r.integer("hour_from", true, 0, 23);
                    auto ht = r.integer("hour_to", true, 1, 24);
                    if (hf && ht && *hf >= *ht) errors.add("hour_to", "before_start", "hour_to must be after hour_from");
                    auto mode = r.string("mode", true, 20);
                    if (mode && *mode != "in_person" && *mode != "remote" && *mode != "in_kind")
                        errors.add("mode", "unknown_code", "in_person, remote or in_kind");
                    auto langs = body.contains("languages") ? code_list(body, "languages", false, errors, 5, 5)
                                                            : std::vector<std::string>{"ko"};
                    auto note = r.string("note", false, 500).value_or("");
                    errors.throw_if_any();
                    auto behalf = read_behalf(*ctx, p, body, p.district_id, *dong, errors);
                    errors.throw_if_any();
                    Offer o;
                    o.district_id = p.district_id;
                    o.dong_id = *dong;
                    o.who = behalf.who;
                    o.subfields = subs;
                    o.when = {days, static_cast<int>(*hf), static_cast<int>(*ht)};
                    o.mode = *mode;
                    o.languages = langs;
                    o.note = note;
                    o.entered_by = p.account_id;
                    o.consent_method = behalf.consent;
                    o.consent_at = o.created_at = store::now_unix();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        o.id = ctx->store.insert_offer(s, o);
                        return std::pair{201, json::serialize(json::object{
                                                  {"id", o.id}, {"status", "pending"},
                                                  {"required_level", required_level(*ctx, o.subfields)}})};
                    });
                },
                "Offer help (도와주고 싶어요): sub-fields, dong, days and hours, mode, languages; staff may enter it on a "
                "resident's behalf with their consent (on_behalf). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["subfields","dong_id","days","hour_from",)"
                R"("hour_to","mode"],"properties":{"subfields":{"type":"array","minItems":1,"maxItems":20,)"
                R"("description":"sub-field codes of /api/v1/sharing/fields","items":{"type":"string",)"
                R"("pattern":"^[A-Za-z0-9_-]{1,10}$"}},"dong_id":{"type":"integer","minimum":1,)"
                R"("maximum":9007199254740992},"days":{"type":"array","minItems":1,"maxItems":7,)"
                R"("items":{"type":"string","enum":["mon","tue","wed","thu","fri","sat","sun"]}},)"
                R"("hour_from":{"type":"integer","minimum":0,"maximum":23},"hour_to":{"type":"integer","minimum":1,)"
                R"("maximum":24,"description":"after hour_from"},"mode":{"type":"string","enum":["in_person","remote",)"
                R"("in_kind"]},"languages":{"type":"array","minItems":1,"maxItems":5,)"
                R"("description":"language codes; ko when absent","items":{"type":"string",)"
                R"("pattern":"^[A-Za-z0-9_-]{1,5}$"}},"note":{"type":"string","maxLength":500},)"
                R"("on_behalf":{"type":["object","null"],"additionalProperties":false,"required":["person_id",)"
                R"("consent_method"],)"
                R"("description":"staff entering it for a person of the district, with their consent",)"
                R"("properties":{"person_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("consent_method":{"type":"string","enum":["in_person","phone","paper"]}}}}})",
                201});

    router.add({"POST", "/api/v1/sharing/needs",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"subfield", "dong_id", "window_from", "window_to", "days", "hour_from", "hour_to", "languages",
                                  "urgency", "detail", "on_behalf"});
                    auto sub = r.string("subfield", true, 10);
                    if (sub && !ctx->tax.find(*sub)) errors.add("subfield", "unknown_subfield", "a sub-field code of /api/v1/sharing/fields");
                    auto dong = r.integer("dong_id", true, 1, 1LL << 53);
                    if (dong && !dong_in(*ctx, p.district_id, *dong)) errors.add("dong_id", "unknown_dong", "a dong of your district");
                    auto wf = r.string("window_from", true, 10);
                    auto wt = r.string("window_to", true, 10);
                    long long today = day_number(day_of(store::now_unix()));
                    if (wf && day_number(*wf) < 0) errors.add("window_from", "not_a_date", "YYYY-MM-DD");
                    if (wt && day_number(*wt) < 0) errors.add("window_to", "not_a_date", "YYYY-MM-DD");
                    if (wf && wt && day_number(*wf) >= 0 && day_number(*wt) >= 0) {
                        if (day_number(*wt) < day_number(*wf)) errors.add("window_to", "before_start", "on or after window_from");
                        else if (day_number(*wt) < today) errors.add("window_to", "in_the_past", "today or later");
                    }
                    int days = day_bits(code_list(body, "days", true, errors, 7, 3), errors);
                    auto hf = r.integer("hour_from", true, 0, 23);
                    auto ht = r.integer("hour_to", true, 1, 24);
                    if (hf && ht && *hf >= *ht) errors.add("hour_to", "before_start", "hour_to must be after hour_from");
                    auto langs = body.contains("languages") ? code_list(body, "languages", false, errors, 5, 5)
                                                            : std::vector<std::string>{"ko"};
                    auto urgency = r.string("urgency", false, 10).value_or("normal");
                    if (urgency != "normal" && urgency != "urgent") errors.add("urgency", "unknown_code", "normal or urgent");
                    auto detail = r.string("detail", false, 1000).value_or("");
                    errors.throw_if_any();
                    auto behalf = read_behalf(*ctx, p, body, p.district_id, *dong, errors);
                    errors.throw_if_any();
                    Need n;
                    n.district_id = p.district_id;
                    n.dong_id = *dong;
                    n.who = behalf.who;
                    n.subfield = *sub;
                    n.window_from = *wf;
                    n.window_to = *wt;
                    n.when = {days, static_cast<int>(*hf), static_cast<int>(*ht)};
                    n.languages = langs;
                    n.urgency = urgency;
                    n.detail = detail;
                    n.entered_by = p.account_id;
                    n.consent_method = behalf.consent;
                    n.consent_at = n.created_at = store::now_unix();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        n.id = ctx->store.insert_need(s, n);
                        return std::pair{201, json::serialize(json::object{{"id", n.id}, {"status", "pending"}})};
                    });
                },
                "Ask for help (도움받고 싶어요): sub-field, dong, window, days and hours, what exactly (encrypted); staff may "
                "enter it on a resident's behalf with their consent (on_behalf). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["subfield","dong_id","window_from",)"
                R"("window_to","days","hour_from","hour_to"],"properties":{"subfield":{"type":"string","minLength":1,)"
                R"("maxLength":10,"description":"a sub-field code of /api/v1/sharing/fields"},)"
                R"("dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992},"window_from":{"type":"string",)"
                R"("format":"date","maxLength":10},"window_to":{"type":"string","format":"date","maxLength":10,)"
                R"("description":"on or after window_from, today or later"},"days":{"type":"array","minItems":1,)"
                R"("maxItems":7,"items":{"type":"string","enum":["mon","tue","wed","thu","fri","sat","sun"]}},)"
                R"("hour_from":{"type":"integer","minimum":0,"maximum":23},"hour_to":{"type":"integer","minimum":1,)"
                R"("maximum":24,"description":"after hour_from"},"languages":{"type":"array","minItems":1,"maxItems":5,)"
                R"("description":"language codes; ko when absent","items":{"type":"string",)"
                R"("pattern":"^[A-Za-z0-9_-]{1,5}$"}},"urgency":{"type":"string","enum":["normal","urgent"],)"
                R"("default":"normal"},"detail":{"type":"string","maxLength":1000},"on_behalf":{"type":["object",)"
                R"("null"],"additionalProperties":false,"required":["person_id","consent_method"],)"
                R"("description":"staff entering it for a person of the district, with their consent",)"
                R"("properties":{"person_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("consent_method":{"type":"string","enum":["in_person","phone","paper"]}}}}})",
                201});

    router.add({"GET", "/api/v1/sharing/mine",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long now = store::now_unix();
                    json::array offers, needs, conns;
                    std::set<long long> my_offers;
                    for (const auto& o : ctx->store.offers_of(p.account_id)) {
                        my_offers.insert(o.id);
                        offers.push_back(offer_json(o, true));
                    }
                    for (const auto& n : ctx->store.needs_of(p.account_id)) needs.push_back(need_own(*ctx, n, now));
                    for (const auto& k : ctx->store.connections_of(p.account_id))
                        conns.push_back(connection_json(*ctx, k, who_am_i(p, k)));
                    // Confirmed, not reversed hours of my offers, by month.
                    std::map<std::string, long long> months;
                    if (!my_offers.empty()) {
                        auto rows = ctx->store.ledger(p.district_id);
                        std::set<long long> confirmed, reversed;
                        for (const auto& r : rows) {
                            if (r.kind == "confirm") confirmed.insert(r.ref_id);
                            if (r.kind == "reverse") reversed.insert(r.ref_id);
                        }
                        for (const auto& r : rows)
                            if (r.kind == "entry" && my_offers.count(r.helper_offer_id) && confirmed.count(r.id) &&
                                !reversed.count(r.id))
                                months[r.day.substr(0, 7)] += r.minutes;
                    }
                    json::array hours;
                    for (const auto& [m, mins] : months) hours.push_back(json::object{{"month", m}, {"minutes", mins}});
                    return http::no_store(http::json_response(
                        200, json::object{{"offers", std::move(offers)}, {"needs", std::move(needs)},
                                          {"connections", std::move(conns)}, {"hours", std::move(hours)}}));
                },
                "My offers, needs, connections and confirmed hours by month (나의 참여)", "sharing"});

    // ---- the manager's desk ----

    router.add({"GET", "/api/v1/sharing/staff/queue",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    if (!identity::may_ever(p, Action::manage_sharing))
                        throw Error(ErrorKind::forbidden, "to vet help offers and needs you need a manager role");
                    long long dong = dong_param(req);
                    std::string why = identity::access_reason(req, "sharing vetting queue");
                    json::array offers, needs;
                    long long now = store::now_unix();
                    for (const auto& o : ctx->store.offers(p.district_id, "pending", dong)) {
                        if (!manages(p, o.district_id, o.dong_id)) continue;
                        log_side(*ctx, p, req, o.district_id, o.who, "name", why);
                        auto j = offer_json(o, true);
                        j["name"] = contact_of(*ctx, o.who).at("name");
                        j["required_level"] = required_level(*ctx, o.subfields);
                        j["on_behalf"] = o.who.person_id != 0;
                        offers.push_back(std::move(j));
                    }
                    for (const auto& n : ctx->store.needs(p.district_id, "pending", dong)) {
                        if (!manages(p, n.district_id, n.dong_id)) continue;
                        log_side(*ctx, p, req, n.district_id, n.who, "name,detail", why);
                        auto j = need_own(*ctx, n, now);
                        j["name"] = contact_of(*ctx, n.who).at("name");
                        j["on_behalf"] = n.who.person_id != 0;
                        needs.push_back(std::move(j));
                    }
                    return http::no_store(http::json_response(200, json::object{{"offers", std::move(offers)}, {"needs", std::move(needs)}}));
                },
                "The vetting queue of the caller's scope: pending offers and needs (names logged)", "sharing"});

    auto vet = [ctx](bool is_offer) {
        return [ctx, is_offer](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", is_offer ? "offer" : "need");
            std::optional<Offer> o;
            std::optional<Need> n;
            std::optional<identity::Target> t;
            if (is_offer && (o = ctx->store.offer(id)) && o->district_id == p.district_id) t = target(o->district_id, o->dong_id);
            if (!is_offer && (n = ctx->store.need(id)) && n->district_id == p.district_id) t = target(n->district_id, n->dong_id);
            identity::require_record(p, Action::manage_sharing, t, is_offer ? "offer" : "need");
            auto body = http::parse_json_object(req);
            FieldErrors errors;
            http::BodyReader r(body, errors);
            r.allow_only({"decision", "checked", "reason"});
            auto decision = r.string("decision", true, 10);
            if (decision && *decision != "approve" && *decision != "refuse") errors.add("decision", "unknown_code", "approve or refuse");
            auto checked = r.string("checked", false, 20).value_or("none");
            auto reason = r.string("reason", false, 500).value_or("");
            bool approve = decision && *decision == "approve";
            if (!parse_vetting(checked)) errors.add("checked", "unknown_code", "none, identity, training or criminal_record");
            else if (is_offer && approve && *parse_vetting(checked) < *parse_vetting(required_level(*ctx, o->subfields)))
                errors.add("checked", "below_required_level",
                           "these sub-fields need " + required_level(*ctx, o->subfields) + " checked first");
            if (decision && !approve && reason.size() < 2) errors.add("reason", "required", "a reason the resident will read");
            errors.throw_if_any();
            long long now = store::now_unix();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                bool ok = is_offer ? ctx->store.vet_offer(s, id, approve, checked, p.account_id, now, reason)
                                   : ctx->store.vet_need(s, id, approve, p.account_id, now, reason);
                if (!ok) throw Error(ErrorKind::conflict, "already decided");
                Side who = is_offer ? o->who : n->who;
                long long inbox = inbox_of(who, is_offer ? o->entered_by : n->entered_by);
                std::string what = is_offer ? "도움 제안" : "도움 요청";
                tell(*ctx, s, inbox, "sharing_vetting", what + (approve ? "이 확인되었습니다" : "이 반려되었습니다"),
                     approve ? "담당자가 확인했습니다. 연결되면 알려 드립니다." : "사유: " + reason, now);
                std::string status = is_offer ? (approve ? "approved" : "refused") : (approve ? "open" : "refused");
                return std::pair{200, json::serialize(json::object{{"id", id}, {"status", status}, {"checked", checked},
                                                                   {"vetted_by", p.account_id}, {"vetted_at", now}})};
            });
        };
    };
    router.add({"POST", "/api/v1/sharing/offers/{id}/vetting", vet(true),
                "Approve (with the check done: identity, training, criminal_record) or refuse (with a reason) an offer",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["decision"],)"
                R"("properties":{"decision":{"type":"string","enum":["approve","refuse"]},"checked":{"type":"string",)"
                R"("enum":["none","identity","training","criminal_record"],"default":"none"},"reason":{"type":"string",)"
                R"("maxLength":500,"description":"required (2+ characters) to refuse"}}})"});
    router.add({"POST", "/api/v1/sharing/needs/{id}/vetting", vet(false),
                "Approve (open it for matching) or refuse (with a reason) a need", "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["decision"],)"
                R"("properties":{"decision":{"type":"string","enum":["approve","refuse"]},"checked":{"type":"string",)"
                R"("enum":["none","identity","training","criminal_record"],"default":"none"},"reason":{"type":"string",)"
                R"("maxLength":500,"description":"required (2+ characters) to refuse"}}})"});

    router.add({"GET", "/api/v1/sharing/staff/needs",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    if (!identity::may_ever(p, Action::manage_sharing))
                        throw Error(ErrorKind::forbidden, "to connect help you need a manager role");
                    long long dong = dong_param(req);
                    long long now = store::now_unix();
                    std::vector<Need> needs;
                    for (auto& n : ctx->store.needs(p.district_id, "open", dong))
                        if (manages(p, n.district_id, n.dong_id)) needs.push_back(std::move(n));
                    // Needs with a connection under way are not waiting.
                    std::set<long long> served;
                    for (const auto& k : ctx->store.connections(p.district_id, dong))
                        if (k.status == "proposed" || k.status == "accepted" || k.status == "active") served.insert(k.need_id);
                    std::erase_if(needs, [&](const Need& n) { return served.count(n.id) > 0; });
                    std::vector<OfferView> offers;
                    for (const auto& o : ctx->store.offers(p.district_id, "approved")) offers.push_back(view_of(o));
                    std::vector<NeedView> views;
                    std::vector<std::vector<Suggestion>> ranked;
                    for (const auto& n : needs) {
                        views.push_back(view_of(n));
                        const auto* sf = ctx->tax.find(n.subfield);
                        ranked.push_back(suggest(views.back(), sf ? static_cast<int>(sf->vetting) : 3, offers));
                    }
                    auto fair = fair_exposure(views, std::move(ranked));
                    std::vector<std::size_t> order(needs.size());
                    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
                    std::stable_sort(order.begin(), order.end(),
                                     [&](auto a, auto b) { return needs[a].created_at < needs[b].created_at; });
                    json::array items;
                    for (auto i : order) {
                        auto j = need_summary(*ctx, needs[i], now);
                        j["escalate"] = (now - needs[i].created_at) / 86400 >= ctx->escalate_days;
                        j["suggestions"] = suggestions_json(fair[i]);
                        items.push_back(std::move(j));
                    }
                    return http::no_store(http::json_response(
                        200, json::object{{"items", std::move(items)}, {"escalate_after_days", ctx->escalate_days}}));
                },
                "Open needs of the caller's scope, longest-waiting first, each with ranked suggestions and the reason "
                "for each (a person decides)",
                "sharing"});

    router.add({"POST", "/api/v1/sharing/connections",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"need_id", "offer_id"});
                    auto need_id = r.integer("need_id", true, 1, 1LL << 53);
                    auto offer_id = r.integer("offer_id", true, 1, 1LL << 53);
                    errors.throw_if_any();
                    auto n = ctx->store.need(*need_id);
                    identity::require_record(p, Action::manage_sharing,
                                             n && n->district_id == p.district_id ? std::optional(target(n->district_id, n->dong_id))
                                                                                  : std::nullopt,
                                             "need");
                    auto o = ctx->store.offer(*offer_id);
                    if (!o || o->district_id != n->district_id) errors.add("offer_id", "unknown_offer", "no such offer in this district");
                    else if (o->status != "approved") errors.add("offer_id", "not_approved", "the offer is not vetted yet");
                    else if ((o->who.account_id && o->who.account_id == n->who.account_id) ||
                             (o->who.person_id && o->who.person_id == n->who.person_id))
                        errors.add("offer_id", "self_match", "a helper cannot be matched with themselves");
                    else if (std::find(o->subfields.begin(), o->subfields.end(), n->subfield) == o->subfields.end())
                        errors.add("offer_id", "other_subfield", "the offer does not cover " + n->subfield);
                    else if (const auto* sf = ctx->tax.find(n->subfield);
                             sf && parse_vetting(o->vetted_level).value_or(Vetting::none) < sf->vetting)
                        errors.add("offer_id", "below_required_level",
                                   "the helper needs " + std::string(to_string(sf->vetting)) + " checked for " + n->subfield);
                    if (n->status != "open") errors.add("need_id", "not_open", "the need is " + n->status);
                    errors.throw_if_any();
                    long long now = store::now_unix();
                    return idempotent(
                        *ctx, req, p,
                        [&](soci::session& s) {
                            long long id = ctx->store.insert_connection(s, *n, *o, p.account_id, now);
                            std::string sub = ctx->tax.find(n->subfield)->name_ko;
                            tell(*ctx, s, inbox_of(o->who, o->entered_by), "sharing_proposed", "도움 연결 제안: " + sub,
                                 "담당자가 이웃과 연결을 제안했습니다. 나의 참여에서 수락해 주세요.", now);
                            tell(*ctx, s, inbox_of(n->who, n->entered_by), "sharing_proposed", "도움 연결 제안: " + sub,
                                 "도와줄 이웃을 찾았습니다. 나의 참여에서 수락해 주세요.", now);
                            return std::pair{201, json::serialize(json::object{{"id", id}, {"status", "proposed"}})};
                        },
                        "need_id");
                },
                "Connect a need with a vetted offer (a manager decides; one live connection per need, enforced by the "
                "database). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["need_id","offer_id"],)"
                R"("properties":{"need_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("offer_id":{"type":"integer","minimum":1,"maximum":9007199254740992}}})",
                201});

    // Accept, start, complete, cancel: one conditional update each, in one transaction with the words.
    auto change = [ctx](std::string what) {
        return [ctx, what](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", "connection");
            auto k = ctx->store.connection(id);
            std::string role = k ? who_am_i(p, *k) : "";
            bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
            if (!k || (role.empty() && !manager))
                identity::require_record(p, Action::manage_sharing,
                                         k && k->district_id == p.district_id ? std::optional(target(k->district_id, k->dong_id))
                                                                              : std::nullopt,
                                         "connection");
            auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
            FieldErrors errors;
            http::BodyReader r(body, errors);
            r.allow_only({"reason", "feedback", "on_behalf_of", "consent_method"});
            auto reason = r.string("reason", what == "cancel", 500).value_or("");
            auto feedback = r.string("feedback", false, 500).value_or("");
            auto behalf = r.string("on_behalf_of", false, 10).value_or("");
            auto consent = r.string("consent_method", false, 20).value_or("");
            if (what == "accept" && role.empty()) {
                // A manager accepts for a side entered on a person's behalf, with that person's consent.
                if (behalf != "helper" && behalf != "recipient")
                    errors.add("on_behalf_of", "required", "helper or recipient (a side without an account)");
                else if ((behalf == "helper" ? k->helper : k->recipient).account_id)
                    errors.add("on_behalf_of", "has_account", "that side accepts for themselves");
                if (consent != "in_person" && consent != "phone" && consent != "paper")
                    errors.add("consent_method", "unknown_code", "in_person, phone or paper");
                role = behalf;
            }
            if ((what == "start") && role == "recipient" && !manager)
                throw Error(ErrorKind::forbidden, "the helper or the manager starts a connection");
            errors.throw_if_any();
            long long now = store::now_unix();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                bool ok = false;
                std::string to;
                if (what == "accept") {
                    ok = ctx->store.step(s, id, "proposed", "proposed", role + "_accepted_at", now,
                                         role == "recipient" ? "recipient_accept_method" : "",
                                         consent.empty() ? "self" : consent);
                    auto after = ctx->store.connection(s, id);
                    to = "proposed";
                    if (ok && after->helper_accepted_at && after->recipient_accepted_at) {
                        ctx->store.step(s, id, "proposed", "accepted", "", 0);
                        to = "accepted";
                    }
                } else if (what == "start") {
                    ok = ctx->store.step(s, id, "accepted", "active", "started_at", now);
                    to = "active";
                } else if (what == "complete") {
                    ok = ctx->store.step(s, id, "accepted,active", "completed", "ended_at", now,
                                         role == "recipient" ? "recipient_feedback" : "helper_feedback", feedback);
                    if (ok) ctx->store.set_need_status(s, k->need_id, "served");
                    to = "completed";
                } else {
                    ok = ctx->store.step(s, id, "proposed,accepted,active", "cancelled", "ended_at", now, "cancel_reason",
                                         reason);
                    to = "cancelled";
                }
                if (!ok) throw Error(ErrorKind::conflict, "the connection is " + k->status + "; it cannot be " + what + "ed now");
                if (to != "proposed") {
                    auto o = ctx->store.offer(s, k->offer_id);
                    auto n = ctx->store.need(s, k->need_id);
                    std::string title = to == "accepted"    ? "연결이 확정되었습니다: 연락처를 확인하세요"
                                        : to == "active"    ? "도움이 시작되었습니다"
                                        : to == "completed" ? "도움이 완료되었습니다. 감사합니다"
                                                            : "연결이 취소되었습니다";
                    std::string text = to == "cancelled" ? "사유: " + reason : "나의 참여에서 확인하세요.";
                    tell(*ctx, s, inbox_of(o->who, o->entered_by), "sharing_" + to, title, text, now);
                    tell(*ctx, s, inbox_of(n->who, n->entered_by), "sharing_" + to, title, text, now);
                }
                return std::pair{200, json::serialize(json::object{{"id", id}, {"status", to}})};
            });
        };
    };
    for (const char* w : {"accept", "start", "complete", "cancel"})
        router.add({"POST", std::string("/api/v1/sharing/connections/{id}/") + w, change(w),
                    std::string(w) == "accept"     ? "Accept a proposed connection (each side; both: contact released)"
                    : std::string(w) == "start"    ? "Start an accepted connection (helper or manager)"
                    : std::string(w) == "complete" ? "Complete a connection, with feedback"
                                                   : "Cancel a connection, with a reason",
                    "sharing", false,
                    std::string(w) == "accept"
                        ? R"({"type":"object","additionalProperties":false,"properties":{"reason":{"type":"string",)"
                          R"("maxLength":500},"feedback":{"type":"string","maxLength":500},"on_behalf_of":{"type":"string",)"
                          R"("enum":["helper","recipient"],"description":"a manager accepting for a side without an account"},)"
                          R"("consent_method":{"type":"string","enum":["in_person","phone","paper"]}},"x-body-optional":true})"
                    : std::string(w) == "cancel"
                        ? R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                          R"("properties":{"reason":{"type":"string","maxLength":500,"minLength":1},"feedback":{"type":"string",)"
                          R"("maxLength":500},"on_behalf_of":{"type":"string","maxLength":10},"consent_method":{"type":"string",)"
                          R"("maxLength":20}}})"
                        : R"({"type":"object","additionalProperties":false,"properties":{"reason":{"type":"string",)"
                          R"("maxLength":500},"feedback":{"type":"string","maxLength":500},"on_behalf_of":{"type":"string",)"
                          R"("maxLength":10},"consent_method":{"type":"string","maxLength":20}},"x-body-optional":true})"});

    router.add({"GET", "/api/v1/sharing/connections/{id}",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "connection");
                    auto k = ctx->store.connection(id);
                    std::string role = k ? who_am_i(p, *k) : "";
                    bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
                    if (!k || (role.empty() && !manager))
                        identity::require_record(p, Action::manage_sharing,
                                                 k && k->district_id == p.district_id
                                                     ? std::optional(target(k->district_id, k->dong_id))
                                                     : std::nullopt,
                                                 "connection");
                    long long now = store::now_unix();
                    auto n = ctx->store.need(k->need_id);
                    auto j = connection_json(*ctx, *k, role.empty() ? "manager" : role);
                    j["need"] = need_summary(*ctx, *n, now);
                    // Contact only while both have accepted and the help is under way; every release logged.
                    bool released = k->status == "accepted" || k->status == "active";
                    if (released && (role == "helper" || manager)) {
                        std::string why = manager ? identity::access_reason(req, "sharing connection manager")
                                                  : "connection " + std::to_string(k->id) + " accepted by both";
                        log_side(*ctx, p, req, k->district_id, k->recipient, "name,phone,email,detail", why);
                        j["recipient"] = contact_of(*ctx, k->recipient);
                        j["need"].as_object()["detail"] = n->detail;
                    }
                    if (released && (role == "recipient" || manager)) {
                        std::string why = manager ? identity::access_reason(req, "sharing connection manager")
                                                  : "connection " + std::to_string(k->id) + " accepted by both";
                        log_side(*ctx, p, req, k->district_id, k->helper, "name,phone,email", why);
                        j["helper"] = contact_of(*ctx, k->helper);
                    }
                    return http::no_store(http::json_response(200, j));
                },
                "One connection: the need's de-identified summary, and the other side's contact only once both accepted "
                "(until it ends; every release in the access log)",
                "sharing"});

    // ---- hours ledger ----

    router.add({"POST", "/api/v1/sharing/connections/{id}/hours",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "connection");
                    auto k = ctx->store.connection(id);
                    std::string role = k ? who_am_i(p, *k) : "";
                    bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
                    if (!k || (role != "helper" && !manager))
                        identity::require_record(p, Action::manage_sharing,
                                                 k && k->district_id == p.district_id
                                                     ? std::optional(target(k->district_id, k->dong_id))
                                                     : std::nullopt,
                                                 "connection");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"day", "start_minute", "minutes"});
                    auto day = r.string("day", true, 10);
                    auto start = r.integer("start_minute", true, 0, 1439);
                    auto minutes = r.integer("minutes", true, 1, 1440);
                    const auto& rules = ctx->tax.hour_rules();
                    long long now = store::now_unix();
                    long long today = day_number(day_of(now));
                    if (day) {
                        long long d = day_number(*day);
                        if (d < 0) errors.add("day", "not_a_date", "YYYY-MM-DD");
                        else if (d > today) errors.add("day", "in_the_future", "a day that has passed");
                        else if (today - d > rules.entry_window_days)
                            errors.add("day", "outside_entry_window",
                                       "hours are entered within " + std::to_string(rules.entry_window_days) + " days");
                    }
                    if (minutes && *minutes > rules.daily_max_minutes)
                        errors.add("minutes", "over_daily_cap", "at most " + std::to_string(rules.daily_max_minutes / 60) + " hours a day");
                    if (start && minutes && *start + *minutes > 1440) errors.add("minutes", "past_midnight", "within the day");
                    if (k->status != "accepted" && k->status != "active" && k->status != "completed")
                        throw Error(ErrorKind::conflict, "hours are recorded once both sides accepted");
                    errors.throw_if_any();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        auto rows = ctx->store.ledger(s, k->district_id);
                        int used = counted_minutes(rows, k->offer_id, *day);
                        if (used + *minutes > rules.daily_max_minutes)
                            throw Error(ErrorKind::validation, "over the daily cap",
                                        {{"minutes", "over_daily_cap",
                                          std::to_string(used) + " minutes already on " + *day + "; at most " +
                                              std::to_string(rules.daily_max_minutes / 60) + " hours a day (travel excluded)"}});
                        LedgerRow row;
                        row.kind = "entry";
                        row.connection_id = k->id;
                        row.helper_offer_id = k->offer_id;
                        row.day = *day;
                        row.start_minute = static_cast<int>(*start);
                        row.minutes = static_cast<int>(*minutes);
                        row.actor = p.account_id;
                        row.at = now;
                        row = ctx->store.append(s, k->district_id, k->dong_id, row);
                        return std::pair{201, json::serialize(json::object{{"id", row.id}, {"status", "recorded"}, {"hash", row.hash}})};
                    });
                },
                "Record hours of a connection (≤ 8 h a day, travel excluded, within the entry window). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["day","start_minute","minutes"],)"
                R"("properties":{"day":{"type":"string","format":"date","maxLength":10,)"
                R"("description":"a past day within the entry window"},"start_minute":{"type":"integer","minimum":0,)"
                R"("maximum":1439},"minutes":{"type":"integer","minimum":1,"maximum":1440,)"
                R"("description":"at most the daily cap (8 h), within the day"}}})",
                201});

    auto ledger_step = [ctx](std::string kind) {
        return [ctx, kind](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", "entry");
            auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
            FieldErrors errors;
            http::BodyReader r(body, errors);
            r.allow_only({"reason"});
            auto reason = r.string("reason", kind == "reverse", 500).value_or("");
            errors.throw_if_any();
            long long now = store::now_unix();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                long long district = 0, dong = 0;
                auto e = ctx->store.ledger_row(s, id, &district, &dong);
                std::optional<Connection> k;
                if (e && e->kind == "entry") k = ctx->store.connection(s, e->connection_id);
                bool manager = k && district == p.district_id && manages(p, district, dong);
                bool recipient = k && k->recipient.account_id == p.account_id && kind == "confirm";
                if (!manager && !recipient)
                    identity::require_record(p, Action::manage_sharing,
                                             k && district == p.district_id ? std::optional(target(district, dong)) : std::nullopt,
                                             "entry");
                if (kind == "confirm" && e->actor == p.account_id)
                    throw Error(ErrorKind::forbidden, "an entry is confirmed by someone other than who recorded it");
                auto rows = ctx->store.ledger(s, district);
                bool confirmed = false, reversed = false;
                for (const auto& x : rows) {
                    if (x.ref_id != id) continue;
                    confirmed = confirmed || x.kind == "confirm";
                    reversed = reversed || x.kind == "reverse";
                }
                if (reversed) throw Error(ErrorKind::conflict, "the entry was reversed");
                if (kind == "confirm" && confirmed) throw Error(ErrorKind::conflict, "the entry is already confirmed");
                LedgerRow row;
                row.kind = kind;
                row.ref_id = id;
                row.connection_id = e->connection_id;
                row.helper_offer_id = e->helper_offer_id;
                row.day = e->day;
                row.reason = reason;
                row.actor = p.account_id;
                row.at = now;
                row = ctx->store.append(s, district, dong, row);
                return std::pair{200, json::serialize(json::object{{"id", row.id}, {"entry_id", id},
                                                                   {"status", kind == "confirm" ? "confirmed" : "reversed"}})};
            });
        };
    };
    router.add({"POST", "/api/v1/sharing/hours/{id}/confirm", ledger_step("confirm"),
                "Confirm an hours entry (the manager, or the recipient; never who recorded it)", "sharing", false,
                R"({"type":"object","additionalProperties":false,"properties":{"reason":{"type":"string",)"
                R"("maxLength":500}},"x-body-optional":true})"});
    router.add({"POST", "/api/v1/sharing/hours/{id}/reverse", ledger_step("reverse"),
                "Reverse an hours entry with a reason (a manager); entries are never edited", "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                R"("properties":{"reason":{"type":"string","minLength":1,"maxLength":500}}})"});

    router.add({"GET", "/api/v1/sharing/report",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    identity::require(p, Action::read_sharing_report, target(p.district_id, 0));
                    struct Cell {
                        long long offers = 0, needs = 0, unmet = 0, connections = 0, minutes = 0;
                    };
                    std::map<std::tuple<std::string, long long, std::string>, Cell> cells;
                    auto field_of = [&](const std::string& sub) {
                        const auto* sf = ctx->tax.find(sub);
                        return sf ? sf->field : std::string("unknown");
                    };
                    auto month = [](long long t) { return day_of(t).substr(0, 7); };
                    for (const auto& o : ctx->store.offers(p.district_id, "approved"))
                        for (const auto& sub : o.subfields) cells[{field_of(sub), o.dong_id, month(o.created_at)}].offers++;
                    std::map<long long, std::string> need_field;
                    for (const auto& n : ctx->store.needs(p.district_id, "")) {
                        need_field[n.id] = field_of(n.subfield);
                        if (n.status != "open" && n.status != "served") continue;
                        auto& c = cells[{field_of(n.subfield), n.dong_id, month(n.created_at)}];
                        c.needs++;
                        if (n.status == "open") c.unmet++;
                    }
                    std::map<long long, std::pair<std::string, long long>> conn_where;
                    for (const auto& k : ctx->store.connections(p.district_id)) {
                        conn_where[k.id] = {field_of(k.subfield), k.dong_id};
                        if (k.status != "cancelled") cells[{field_of(k.subfield), k.dong_id, month(k.proposed_at)}].connections++;
                    }
                    auto rows = ctx->store.ledger(p.district_id);
                    std::set<long long> confirmed, reversed;
                    for (const auto& r : rows) {
                        if (r.kind == "confirm") confirmed.insert(r.ref_id);
                        if (r.kind == "reverse") reversed.insert(r.ref_id);
                    }
                    for (const auto& r : rows)
                        if (r.kind == "entry" && confirmed.count(r.id) && !reversed.count(r.id) && conn_where.count(r.connection_id)) {
                            auto& w = conn_where[r.connection_id];
                            cells[{w.first, w.second, r.day.substr(0, 7)}].minutes += r.minutes;
                        }
                    // Counts of 1 to 4 are withheld (null), so no small group of people can be picked out.
                    auto count = [](long long n) { return n >= 1 && n <= 4 ? json::value(nullptr) : json::value(n); };
                    json::array items;
                    for (const auto& [key, c] : cells) {
                        const auto& [field, dong, m] = key;
                        items.push_back(json::object{{"field", field}, {"dong_id", dong}, {"month", m},
                                                     {"offers", count(c.offers)}, {"needs", count(c.needs)},
                                                     {"unmet", count(c.unmet)}, {"connections", count(c.connections)},
                                                     {"hours", c.minutes == 0 || c.connections > 4 ? json::value(c.minutes / 60.0) : json::value(nullptr)}});
                    }
                    return http::no_store(http::json_response(
                        200, json::object{{"items", std::move(items)}, {"suppressed_below", 5},
                                          {"note", "cells of 1-4 are withheld (null); hours are withheld where connections are"}}));
                },
                "Offers, needs, unmet needs, connections and confirmed hours by field, dong and month, cells of 1-4 "
                "suppressed (council, managers)",
                "sharing"});

    router.add({"GET", "/api/v1/sharing/staff/ledger",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    identity::require(p, Action::manage_sharing, target(p.district_id, 0));
                    auto rows = ctx->store.ledger(p.district_id);
                    const auto& rules = ctx->tax.hour_rules();
                    json::array items, flags;
                    for (const auto& r : rows)
                        items.push_back(json::object{{"id", r.id}, {"kind", r.kind}, {"ref_id", r.ref_id},
                                                     {"connection_id", r.connection_id}, {"offer_id", r.helper_offer_id},
                                                     {"day", r.day}, {"start_minute", r.start_minute}, {"minutes", r.minutes},
                                                     {"reason", r.reason}, {"actor", r.actor}, {"at", r.at}, {"hash", r.hash}});
                    for (const auto& a : anomalies(rows, rules.daily_max_minutes, rules.entry_window_days))
                        flags.push_back(json::object{{"code", a.code}, {"entry_id", a.entry_id}, {"detail", a.detail}});
                    long long broken = verify_chain(rows);
                    return http::no_store(http::json_response(
                        200, json::object{{"items", std::move(items)}, {"anomalies", std::move(flags)},
                                          {"chain_ok", broken == 0}, {"chain_broken_at", broken}}));
                },
                "The district's hours ledger (a district-wide manager): rows, anomaly flags, hash-chain check", "sharing"});
}

}  // namespace dure::sharing
