// Routes of offers and needs: the fields, posting, 나의 참여, the vetting queue and suggestions.
#include <soci/soci.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "common/error.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/service.hpp"
#include "notify/outbox.hpp"
#include "sharing/api_support.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

namespace dure::sharing::api {

using http::Request;
using http::Response;
using identity::Action;

namespace {

// The fields of an offer from a body (errors named by field; the record is only partly filled
// when there are errors). Shared by posting and editing.
Offer read_offer(Ctx& c, const identity::Principal& p, const json::object& body, FieldErrors& errors) {
    http::BodyReader r(body, errors);
        auto subs = code_list(body, "subfields", true, errors);
        for (const auto& s : subs)
            if (!c.tax.find(s)) {
                errors.add("subfields", "unknown_subfield", "unknown sub-field " + s);
                break;
            }
        auto dong = r.integer("dong_id", true, 1, 1LL << 53);
        if (dong && !dong_in(c, p.district_id, *dong)) errors.add("dong_id", "unknown_dong", "a dong of your district");
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

    Offer o;
    if (!errors.empty()) return o;
    o.district_id = p.district_id;
    o.dong_id = *dong;
    o.subfields = subs;
    o.when = {days, static_cast<int>(*hf), static_cast<int>(*ht)};
    o.mode = *mode;
    o.languages = langs;
    o.note = note;
    return o;
}

Need read_need(Ctx& c, const identity::Principal& p, const json::object& body, FieldErrors& errors) {
    http::BodyReader r(body, errors);
        auto sub = r.string("subfield", true, 10);
        if (sub && !c.tax.find(*sub)) errors.add("subfield", "unknown_subfield", "a sub-field code of /api/v1/sharing/fields");
        auto dong = r.integer("dong_id", true, 1, 1LL << 53);
        if (dong && !dong_in(c, p.district_id, *dong)) errors.add("dong_id", "unknown_dong", "a dong of your district");
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

    Need n;
    if (!errors.empty()) return n;
    n.district_id = p.district_id;
    n.dong_id = *dong;
    n.subfield = *sub;
    n.window_from = *wf;
    n.window_to = *wt;
    n.when = {days, static_cast<int>(*hf), static_cast<int>(*ht)};
    n.languages = langs;
    n.urgency = urgency;
    n.detail = detail;
    return n;
}

// The record as a body, so an edit (a partial body) is checked exactly like a new post.
json::object body_of(const Offer& o) {
    return {{"subfields", strings_json(o.subfields)}, {"dong_id", o.dong_id}, {"days", days_json(o.when.days)},
            {"hour_from", o.when.hour_from}, {"hour_to", o.when.hour_to}, {"mode", o.mode},
            {"languages", strings_json(o.languages)}, {"note", o.note}};
}
json::object body_of(const Need& n) {
    return {{"subfield", n.subfield}, {"dong_id", n.dong_id}, {"window_from", n.window_from}, {"window_to", n.window_to},
            {"days", days_json(n.when.days)}, {"hour_from", n.when.hour_from}, {"hour_to", n.when.hour_to},
            {"languages", strings_json(n.languages)}, {"urgency", n.urgency}, {"detail", n.detail}};
}

// The owner changes their own record: the resident's account, or for a person entered on their
// behalf a manager of its scope. Others: as for a record they cannot see (403 / 404).
template <class Rec>
void require_owner(Ctx& c, const identity::Principal& p, const std::optional<Rec>& rec, const char* what) {
    if (rec && rec->who.account_id && rec->who.account_id == p.account_id) return;
    if (rec && rec->who.person_id && rec->district_id == p.district_id && manages(p, rec->district_id, rec->dong_id)) return;
    identity::require_record(p, Action::manage_sharing,
                             rec && rec->district_id == p.district_id ? std::optional(target(rec->district_id, rec->dong_id))
                                                                      : std::nullopt,
                             what);
    throw Error(ErrorKind::forbidden, std::string("only the resident changes their own ") + what + "; ask them to");
}

const char* kOfferEditSchema =
    R"({"type":"object","additionalProperties":false,"minProperties":1,"properties":{"subfields":{"type":"array",)"
    R"("minItems":1,"maxItems":20,"description":"vetted: a change sends the offer back to vetting","items":{"type":"string",)"
    R"("pattern":"^[A-Za-z0-9_-]{1,10}$"}},"dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992,)"
    R"("description":"vetted"},"days":{"type":"array","minItems":1,"maxItems":7,"items":{"type":"string",)"
    R"("enum":["mon","tue","wed","thu","fri","sat","sun"]}},"hour_from":{"type":"integer","minimum":0,"maximum":23},)"
    R"("hour_to":{"type":"integer","minimum":1,"maximum":24},"mode":{"type":"string","enum":["in_person","remote",)"
    R"("in_kind"],"description":"vetted"},"languages":{"type":"array","minItems":1,"maxItems":5,"items":{"type":"string",)"
    R"("pattern":"^[A-Za-z0-9_-]{1,5}$"}},"note":{"type":"string","maxLength":500,"description":"vetted"}}})";
const char* kNeedEditSchema =
    R"({"type":"object","additionalProperties":false,"minProperties":1,"properties":{"subfield":{"type":"string",)"
    R"("minLength":1,"maxLength":10,"description":"vetted: a change sends the need back to vetting"},)"
    R"("dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992,"description":"vetted"},)"
    R"("window_from":{"type":"string","format":"date","maxLength":10},"window_to":{"type":"string","format":"date",)"
    R"("maxLength":10},"days":{"type":"array","minItems":1,"maxItems":7,"items":{"type":"string",)"
    R"("enum":["mon","tue","wed","thu","fri","sat","sun"]}},"hour_from":{"type":"integer","minimum":0,"maximum":23},)"
    R"("hour_to":{"type":"integer","minimum":1,"maximum":24},"languages":{"type":"array","minItems":1,"maxItems":5,)"
    R"("items":{"type":"string","pattern":"^[A-Za-z0-9_-]{1,5}$"}},"urgency":{"type":"string","enum":["normal","urgent"]},)"
    R"("detail":{"type":"string","maxLength":1000,"description":"vetted"}}})";

}  // namespace

void offer_routes(http::Router& router, std::shared_ptr<Ctx> ctx) {
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
                    Offer o = read_offer(*ctx, p, body, errors);
                    errors.throw_if_any();
                    auto behalf = read_behalf(*ctx, p, body, p.district_id, o.dong_id, errors);
                    errors.throw_if_any();
                    o.who = behalf.who;
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
                    Need n = read_need(*ctx, p, body, errors);
                    errors.throw_if_any();
                    auto behalf = read_behalf(*ctx, p, body, p.district_id, n.dong_id, errors);
                    errors.throw_if_any();
                    n.who = behalf.who;
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

    // A case plan's goal becomes a need: the caseworker of the case posts it on the resident's
    // behalf (a person of the district, consent recorded), linked to the case and the goal.
    router.add({"POST", "/api/v1/sharing/needs/from-case",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"case_id", "goal", "subfield", "dong_id", "window_from", "window_to", "days", "hour_from",
                                  "hour_to", "languages", "urgency", "detail", "on_behalf"});
                    auto case_id = r.integer("case_id", true, 1, 1LL << 53);
                    auto goal = r.integer("goal", true, 0, 9);
                    if (!body.contains("on_behalf")) errors.add("on_behalf", "required", "{person_id, consent_method}: the resident and how they agreed");
                    errors.throw_if_any();
                    auto k = ctx->cases.get(*case_id);
                    identity::Target t;
                    if (k) {
                        t.district_id = k->district_id;
                        t.dong_id = k->dong_id;
                        t.assignee_account_id = k->assigned_account_id;
                    }
                    identity::require_record(p, Action::work_case, k ? std::optional(t) : std::nullopt, "case");
                    if (k->stage != "plan" && k->stage != "monitoring")
                        throw Error(ErrorKind::conflict, "the case is at " + k->stage + "; needs come from a plan",
                                    {{"case_id", "no_plan", "the case has no plan yet, or is closed"}});
                    // The plan's goals: the latest stage entry that carries them.
                    std::vector<std::string> goals;
                    for (const auto& e : ctx->cases.entries(k->id)) {
                        boost::system::error_code ec;
                        auto v = json::parse(e.body_json, ec);
                        if (ec || !v.is_object()) continue;
                        if (auto* g = v.as_object().if_contains("goals"); g && g->is_array()) {
                            goals.clear();
                            for (const auto& x : g->as_array())
                                if (x.is_string()) goals.emplace_back(x.as_string());
                        }
                    }
                    if (*goal >= static_cast<long long>(goals.size()))
                        errors.add("goal", "unknown_goal", "the plan has " + std::to_string(goals.size()) + " goals (0-based)");
                    auto merged = body;
                    merged.erase("case_id");
                    merged.erase("goal");
                    if (!merged.contains("dong_id") && k->dong_id) merged["dong_id"] = k->dong_id;
                    Need n = read_need(*ctx, p, merged, errors);
                    errors.throw_if_any();
                    auto behalf = read_behalf(*ctx, p, merged, p.district_id, n.dong_id, errors);
                    errors.throw_if_any();
                    n.who = behalf.who;
                    n.entered_by = p.account_id;
                    n.consent_method = behalf.consent;
                    n.consent_at = n.created_at = store::now_unix();
                    n.case_id = k->id;
                    n.case_goal = static_cast<int>(*goal);
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        n.id = ctx->store.insert_need(s, n);
                        return std::pair{201, json::serialize(json::object{{"id", n.id}, {"status", "pending"},
                                                                           {"case_id", n.case_id}, {"goal", goals[n.case_goal]}})};
                    });
                },
                "Turn a goal of a case plan into a need, on the resident's behalf with their consent (the case's "
                "caseworker). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["case_id","goal","subfield","window_from",)"
                R"("window_to","days","hour_from","hour_to","on_behalf"],"properties":{"case_id":{"type":"integer",)"
                R"("minimum":1,"maximum":9007199254740992},"goal":{"type":"integer","minimum":0,"maximum":9,)"
                R"("description":"the plan goal, 0-based"},"subfield":{"type":"string","minLength":1,"maxLength":10},)"
                R"("dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992,"description":"the case's dong when absent"},)"
                R"("window_from":{"type":"string","format":"date","maxLength":10},"window_to":{"type":"string",)"
                R"("format":"date","maxLength":10},"days":{"type":"array","minItems":1,"maxItems":7,"items":{"type":"string",)"
                R"("enum":["mon","tue","wed","thu","fri","sat","sun"]}},"hour_from":{"type":"integer","minimum":0,)"
                R"("maximum":23},"hour_to":{"type":"integer","minimum":1,"maximum":24},"languages":{"type":"array",)"
                R"("minItems":1,"maxItems":5,"items":{"type":"string","pattern":"^[A-Za-z0-9_-]{1,5}$"}},)"
                R"("urgency":{"type":"string","enum":["normal","urgent"]},"detail":{"type":"string","maxLength":1000},)"
                R"("on_behalf":{"type":"object","additionalProperties":false,"required":["person_id","consent_method"],)"
                R"("properties":{"person_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("consent_method":{"type":"string","enum":["in_person","phone","paper"]}}}}})",
                201});

    // Edit and withdraw (the owner): an edit of a vetted field sends it back to vetting; neither
    // while a connection is under way (cancel it first).
    router.add({"PATCH", "/api/v1/sharing/offers/{id}",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "offer");
                    auto old = ctx->store.offer(id);
                    require_owner(*ctx, p, old, "offer");
                    auto patch = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader(patch, errors).allow_only(
                        {"subfields", "dong_id", "days", "hour_from", "hour_to", "mode", "languages", "note"});
                    if (patch.empty()) errors.add("body", "empty", "name at least one field to change");
                    errors.throw_if_any();
                    auto merged = body_of(*old);
                    for (const auto& kv : patch) merged[kv.key()] = kv.value();
                    Offer o = read_offer(*ctx, p, merged, errors);
                    errors.throw_if_any();
                    o.id = old->id;
                    o.district_id = old->district_id;
                    bool revet = old->status == "refused" || o.subfields != old->subfields || o.dong_id != old->dong_id ||
                                 o.mode != old->mode || o.note != old->note;
                    long long now = store::now_unix();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        if (!ctx->store.update_offer(s, o, revet, now))
                            throw Error(ErrorKind::conflict, old->live ? "a connection is under way; cancel it before changing the offer"
                                                                       : "the offer is " + old->status + "; it cannot be changed");
                        std::string status = revet ? "pending" : old->status;
                        return std::pair{200, json::serialize(json::object{{"id", id}, {"status", status}, {"revetting", revet}})};
                    });
                },
                "Change my offer (the owner; staff for a person entered on their behalf). A change of sub-fields, dong, "
                "mode or note sends it back to vetting; refused while a connection is under way. Idempotency-Key honoured",
                "sharing", false, kOfferEditSchema});

    router.add({"PATCH", "/api/v1/sharing/needs/{id}",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "need");
                    auto old = ctx->store.need(id);
                    require_owner(*ctx, p, old, "need");
                    auto patch = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader(patch, errors).allow_only({"subfield", "dong_id", "window_from", "window_to", "days",
                                                                "hour_from", "hour_to", "languages", "urgency", "detail"});
                    if (patch.empty()) errors.add("body", "empty", "name at least one field to change");
                    errors.throw_if_any();
                    auto merged = body_of(*old);
                    for (const auto& kv : patch) merged[kv.key()] = kv.value();
                    Need n = read_need(*ctx, p, merged, errors);
                    errors.throw_if_any();
                    n.id = old->id;
                    n.district_id = old->district_id;
                    bool revet = old->status == "refused" || n.subfield != old->subfield || n.dong_id != old->dong_id ||
                                 n.detail != old->detail;
                    long long now = store::now_unix();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        if (!ctx->store.update_need(s, n, revet, now))
                            throw Error(ErrorKind::conflict, "the need is " + old->status +
                                                                 " or a connection is under way; it cannot be changed now");
                        std::string status = revet ? "pending" : old->status;
                        return std::pair{200, json::serialize(json::object{{"id", id}, {"status", status}, {"revetting", revet}})};
                    });
                },
                "Change my need (the owner; staff for a person entered on their behalf). A change of sub-field, dong or "
                "detail sends it back to vetting; refused while a connection is under way. Idempotency-Key honoured",
                "sharing", false, kNeedEditSchema});

    auto withdraw = [ctx](bool is_offer) {
        return [ctx, is_offer](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", is_offer ? "offer" : "need");
            std::optional<Offer> o;
            std::optional<Need> n;
            if (is_offer) require_owner(*ctx, p, o = ctx->store.offer(id), "offer");
            else require_owner(*ctx, p, n = ctx->store.need(id), "need");
            if (!req.body.empty()) {
                auto body = http::parse_json_object(req);
                FieldErrors errors;
                http::BodyReader(body, errors).allow_only({});
                errors.throw_if_any();
            }
            long long now = store::now_unix();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                bool ok = is_offer ? ctx->store.withdraw_offer(s, id, now) : ctx->store.withdraw_need(s, id, now);
                if (!ok)
                    throw Error(ErrorKind::conflict,
                                std::string("the ") + (is_offer ? "offer is " + o->status : "need is " + n->status) +
                                    " or a connection is under way (cancel it first); it cannot be withdrawn now");
                return std::pair{200, json::serialize(json::object{{"id", id}, {"status", is_offer ? "withdrawn" : "closed"}})};
            });
        };
    };
    router.add({"POST", "/api/v1/sharing/offers/{id}/withdraw", withdraw(true),
                "Withdraw my offer (the owner; not while a connection is under way). Idempotency-Key honoured", "sharing",
                false, R"({"type":"object","additionalProperties":false,"properties":{},"x-body-optional":true})"});
    router.add({"POST", "/api/v1/sharing/needs/{id}/withdraw", withdraw(false),
                "Withdraw my need (the owner; it closes; not while a connection is under way). Idempotency-Key honoured",
                "sharing", false, R"({"type":"object","additionalProperties":false,"properties":{},"x-body-optional":true})"});

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

}

}  // namespace dure::sharing::api
