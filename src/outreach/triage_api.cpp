// The triage queue over HTTP: officials of a dong (or the district) see its reported households
// by deadline, open one (logged, with a reason), assign it, record the first contact, close it,
// move it to another dong or merge two that turned out to be one.
#include <map>

#include "news/news.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "outreach/api_internal.hpp"
#include "outreach/intake.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {

namespace json = boost::json;
using http::Request;
using identity::Action;

namespace {

constexpr int kPageSize = 50;
const char* kPersonalFields = "address,place,name,phone,concern,contact";

json::value id_or_null(long long v) {
    return v ? json::value(v) : json::value(nullptr);
}

// What the queue shows of a household: nothing personal, so listing it needs no access reason.
json::object household_summary(const Household& h, long long now, const std::vector<identity::Dong>& dongs) {
    auto d = deadline_view(h.state, now);
    json::array signs;
    for (const auto& s : h.signs) signs.push_back(json::string(s));
    json::value dong = nullptr;
    for (const auto& g : dongs)
        if (g.id == h.dong_id) dong = json::object{{"id", g.id}, {"code", g.code}, {"name_ko", g.name_ko}};
    return {{"id", h.id},
            {"district_id", h.district_id},
            {"dong", std::move(dong)},
            {"status", to_string(h.state.status)},
            {"priority", to_string(h.state.priority)},
            {"deadline", json::object{{"due_at", time_json(d.due_at)},
                                      {"status", to_string(d.status)},
                                      {"breached", d.status == DeadlineStatus::breached},
                                      {"overdue_hours", d.overdue_seconds / 3600}}},
            {"contacted_at", time_json(h.state.contacted_at)},
            {"assigned_to", id_or_null(h.state.assigned_to)},
            {"assigned_at", time_json(h.assigned_at)},
            {"report_count", h.report_count},
            {"first_report_at", time_json(h.first_report_at)},
            {"last_report_at", time_json(h.last_report_at)},
            {"signs", std::move(signs)},
            {"outcome", h.state.outcome.empty() ? json::value(nullptr) : json::value(h.state.outcome)},
            {"closed_at", time_json(h.state.closed_at)},
            {"merged_into", id_or_null(h.merged_into)},
            {"pending_suggestions", h.pending_suggestions}};
}

json::object report_json(Context& c, const Report& r) {
    auto opt = [](const std::string& v) { return v.empty() ? json::value(nullptr) : json::value(v); };
    json::array signs;
    for (const auto& s : r.signs) signs.push_back(json::string(s));
    json::value gatekeeper = nullptr;
    if (r.gatekeeper_id)
        if (auto g = c.store.gatekeeper(r.gatekeeper_id))
            gatekeeper = json::object{{"id", g->id},
                                      {"kind", to_string(g->kind)},
                                      {"occupation", g->occupation},
                                      {"organization", g->organization}};
    return {{"id", r.id},
            {"receipt_no", r.receipt_no},
            {"channel", to_string(r.channel)},
            {"reporter_kind", to_string(r.reporter_kind)},
            {"reporter_account_id", id_or_null(r.reporter_account_id)},
            {"gatekeeper", std::move(gatekeeper)},
            {"contact", opt(r.reporter_contact)},
            {"urgency", to_string(r.urgency)},
            {"signs", std::move(signs)},
            {"dong_id", id_or_null(r.dong_id)},
            {"address", opt(r.address)},
            {"place", opt(r.place)},
            {"subject_name", opt(r.subject_name)},
            {"subject_phone", opt(r.subject_phone)},
            {"concern", r.concern},
            {"external_ref", opt(r.external_ref)},
            {"received_at", time_json(r.received_at)}};
}

// The household of the path, once the caller may do `action` on it. Missing and not-yours get
// the same 403, so household ids cannot be probed.
Household allowed_household(Context& c, const identity::Principal& p, long long id, Action action) {
    auto h = c.store.household(id, false);
    identity::Target t =
        h ? identity::Target{h->district_id, h->dong_id} : identity::Target{p.district_id, 0};
    identity::require(p, action, t);
    if (!h) throw Error(ErrorKind::not_found, "no such household");
    return *h;
}

// A triage change: the caller, the household they may change, and the request body.
struct TriageRequest {
    identity::Principal who;
    Household household;
    json::object body;
};
TriageRequest triage_request(Context& c, const Request& req) {
    auto p = require_login(c, req);
    auto h = allowed_household(c, p, path_id(req, "id", "household"), Action::triage_household);
    return {p, h, http::parse_json_object(req)};
}

http::Response summary_response(Context& c, const Household& h) {
    return http::json_response(200, household_summary(h, store::now_unix(), dongs_of(c, h.district_id)));
}

// An optional past time in a body (contacted_at); now when absent.
long long past_time(const json::object& body, const char* key, long long now, FieldErrors& errors) {
    http::BodyReader r(body, errors);
    auto s = r.string(key, false, 40);
    if (!s) return now;
    auto t = catalog::parse_timestamp(*s);
    if (!t)
        errors.add(key, "invalid_time", "a time like 2025-03-01T09:30:00+09:00");
    else if (*t > now + 300)
        errors.add(key, "in_future", "not in the future");
    else if (*t < now - kBackdateMaxSeconds)
        errors.add(key, "too_old", "at most 90 days ago");
    else
        return *t;
    return now;
}

std::optional<long long> int_query(const Request& req, const char* key, FieldErrors& errors) {
    auto v = req.query_param(key);
    if (!v) return std::nullopt;
    if (v->empty() || v->size() > 15 || v->find_first_not_of("0123456789") != std::string::npos) {
        errors.add(key, "not_an_integer", "an integer");
        return std::nullopt;
    }
    return std::stoll(*v);
}

}  // namespace

void add_triage_routes(http::Router& router, ContextPtr ctx) {
    router.add(
        {"GET", "/api/v1/outreach/queue",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             auto reach = reach_of(c, p, Action::read_household, p.district_id);
             QueueFilter f;
             f.district_id = p.district_id;
             f.dongs = reach.dongs;
             f.all_dongs = reach.all_dongs;
             FieldErrors errors;
             f.dong_id = int_query(req, "dong_id", errors);
             auto status = req.query_param("status").value_or("open");
             if (status == "all")
                 f.open_only = false;
             else if (status != "open") {
                 f.status = parse_household_status(status);
                 if (!f.status || *f.status == HouseholdStatus::merged)
                     errors.add("status", "unknown_status", "open, all, new, assigned, contacted or closed");
             }
             auto breached = req.query_param("breached").value_or("");
             if (!breached.empty() && breached != "1" && breached != "true" && breached != "0" &&
                 breached != "false")
                 errors.add("breached", "not_a_boolean", "1 or 0");
             f.breached_only = breached == "1" || breached == "true";
             if (auto a = req.query_param("assigned_to"); a && *a == "me")
                 f.assigned_to = p.account_id;
             else
                 f.assigned_to = int_query(req, "assigned_to", errors).value_or(0);
             int page = page_param(req);
             errors.throw_if_any();
             if (f.dong_id && !reach.covers(*f.dong_id))
                 identity::require(p, Action::read_household, {p.district_id, *f.dong_id});
             f.offset = (page - 1) * kPageSize;
             f.limit = kPageSize;
             long long now = store::now_unix();
             auto list = c.store.queue(f, now);
             auto counts = c.store.counts(f, now);
             auto dongs = dongs_of(c, p.district_id);
             json::array items;
             for (const auto& h : list.items) items.push_back(household_summary(h, now, dongs));
             return http::json_response(
                 200, json::object{{"items", std::move(items)},
                                   {"total", list.total},
                                   {"page", page},
                                   {"page_size", kPageSize},
                                   {"now", time_json(now)},
                                   {"counts", json::object{{"open", counts.open},
                                                           {"unassigned", counts.unassigned},
                                                           {"breached", counts.breached},
                                                           {"due_within_24h", counts.due_within_24h}}}});
         },
         "The triage queue of the dongs the caller serves (caseworker, district_admin): households "
         "waiting for first contact first, most overdue on top, with deadlines and breaches; dong_id, "
         "status (open, all, new, assigned, contacted, closed), breached, assigned_to (id or me), page",
         "outreach"});

    router.add({"GET", "/api/v1/outreach/households/{id}",
                [ctx](Request& req) {
                    auto& c = *ctx;
                    auto p = require_login(c, req);
                    auto h = allowed_household(c, p, path_id(req, "id", "household"), Action::read_household);
                    auto reason = access_reason(req);
                    log_access(c, p, h.district_id, "household", h.id, "read", kPersonalFields, reason, req);
                    auto full = *c.store.household(h.id, true);
                    auto out = household_summary(full, store::now_unix(), dongs_of(c, full.district_id));
                    auto opt = [](const std::string& v) {
                        return v.empty() ? json::value(nullptr) : json::value(v);
                    };
                    out["address"] = opt(full.address);
                    out["place"] = opt(full.place);
                    out["name"] = opt(full.name);
                    out["phone"] = opt(full.phone);
                    std::map<long long, json::object> reports;
                    for (const auto& r : c.store.reports_of(h.id)) reports.emplace(r.id, report_json(c, r));
                    json::array timeline;
                    for (const auto& e : c.store.events_of(h.id)) {
                        json::object o{
                            {"at", time_json(e.at)},
                            {"kind", e.kind},
                            {"actor_account_id", id_or_null(e.actor_account_id)},
                            {"detail", e.detail.empty() ? json::value(nullptr) : json::value(e.detail)},
                            {"note", opt(e.note)}};
                        if (auto it = reports.find(e.report_id); it != reports.end())
                            o["report"] = it->second;
                        timeline.push_back(std::move(o));
                    }
                    out["timeline"] = std::move(timeline);
                    // What unverified reports would change, for an official to accept or reject.
                    json::array suggestions;
                    for (const auto& x : c.store.suggestions_of(h.id, true))
                        suggestions.push_back(json::object{{"id", x.id},
                                                           {"field", x.field},
                                                           {"value", x.value},
                                                           {"current", nullptr},
                                                           {"report_id", id_or_null(x.report_id)},
                                                           {"created_at", time_json(x.created_at)}});
                    for (auto& v : suggestions) {
                        auto& o = v.as_object();
                        auto f = o["field"].as_string();
                        json::value cur = nullptr;
                        if (f == "name") cur = opt(full.name);
                        else if (f == "address") cur = opt(full.address);
                        else if (f == "place") cur = opt(full.place);
                        else if (f == "phone") cur = opt(full.phone);
                        else if (f == "priority") cur = json::value(to_string(full.state.priority));
                        else if (f == "status") cur = json::value(to_string(full.state.status));
                        o["current"] = std::move(cur);
                    }
                    out["suggestions"] = std::move(suggestions);
                    return http::json_response(200, out);
                },
                "Open a reported household: its details, the timeline of every report and action and the "
                "pending suggestions of unverified reports (X-Access-Reason required; every read is written "
                "to the access log)",
                "outreach"});

    for (const char* verb : {"accept", "reject"}) {
        bool accept = std::string_view(verb) == "accept";
        router.add(
            {"POST", std::string("/api/v1/outreach/households/{id}/suggestions/{sid}/") + verb,
             [ctx, accept](Request& req) {
                 auto& c = *ctx;
                 auto [p, h, body] = triage_request(c, req);
                 FieldErrors errors;
                 http::BodyReader(body, errors).allow_only({});
                 errors.throw_if_any();
                 long long sid = path_id(req, "sid", "suggestion");
                 auto n = c.store.decide_suggestion(h.id, sid, accept, p.account_id, store::now_unix());
                 return summary_response(c, n);
             },
             accept ? "Accept what an unverified report suggested (name, address, place, phone, priority, or "
                      "status new: contact again); written to the timeline"
                    : "Reject what an unverified report suggested; written to the timeline",
             "outreach", false, R"({"type":"object","additionalProperties":false})"});
    }

    router.add(
        {"POST", "/api/v1/outreach/households/{id}/assign",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, h, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"account_id", "auto"});
             bool automatic = false;
             if (auto it = body.find("auto"); it != body.end() && !it->value().is_null()) {
                 if (!it->value().is_bool())
                     errors.add("auto", "not_a_boolean", "true or false");
                 else
                     automatic = it->value().as_bool();
             }
             auto account_id = r.integer("account_id", !automatic, 1, 1LL << 53);
             if (automatic && account_id)
                 errors.add("auto", "conflict", "either account_id or auto, not both");
             if (account_id) {
                 auto acc = c.ids.store().account(*account_id);
                 identity::Principal assignee;
                 if (acc) {
                     assignee.account_id = acc->id;
                     assignee.district_id = acc->district_id;
                     assignee.grants = acc->grants;
                 }
                 // Whoever takes a household on must be allowed to open it.
                 if (!acc ||
                     !identity::authorize(assignee, Action::read_household, {h.district_id, h.dong_id})
                          .allowed)
                     errors.add("account_id", "cannot_be_assigned",
                                "assign a caseworker (or district_admin) of this household's dong");
             }
             errors.throw_if_any();
             // Automatic: the caseworker of the dong with the lowest risk-weighted load, and why.
             std::string why, why_ko;
             if (automatic) {
                 auto a = pick_assignee(c, h, "auto");
                 account_id = a.account_id;
                 why = "auto: " + a.reason;
                 why_ko = "자동 배정: " + a.reason_ko;
             }
             long long now = store::now_unix();
             auto n = c.store.transition(
                 h.id, [&](const TriageState& s) { return assign(s, *account_id); },
                 {0, now, "assigned", p.account_id, 0, "account:" + std::to_string(*account_id),
                  why.empty() ? "" : why_ko + "\n" + why},
                 now);
             auto out = household_summary(n, store::now_unix(), dongs_of(c, n.district_id));
             if (automatic) out["assignment"] = json::object{{"account_id", *account_id}, {"reason", why}, {"reason_ko", why_ko}};
             return http::json_response(200, out);
         },
         "Assign a household to a caseworker of its dong (account_id), or with auto: true to the one "
         "with the lowest risk-weighted load (the reason is kept in the timeline)",
         "outreach", false,
         R"({"type":"object","additionalProperties":false,"properties":{"account_id":{"type":"integer"},"auto":{"type":"boolean"}}})"});

    router.add(
        {"PUT", "/api/v1/outreach/households/{id}/household_key",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, h, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"household_key"});
             auto key = r.string("household_key", true, 64);
             if (key && has_control_chars(*key)) errors.add("household_key", "control_characters", "plain text only");
             errors.throw_if_any();
             long long now = store::now_unix();
             c.store.link_household_key(h.id, *key, {0, now, "key_linked", p.account_id, 0, "", ""}, now);
             return summary_response(c, *c.store.household(h.id, false));
         },
         "Record the institutions' household key of a reported household (the key indicator files use; "
         "kept only as a keyed hash), so screening rounds can tell which reported households the data "
         "alone would have missed",
         "outreach", false,
         R"({"type":"object","additionalProperties":false,"required":["household_key"],"properties":{"household_key":{"type":"string","maxLength":64}}})"});

    router.add(
        {"POST", "/api/v1/outreach/households/{id}/contact",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, h, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader(body, errors).allow_only({"note", "contacted_at"});
             long long now = store::now_unix();
             long long at = past_time(body, "contacted_at", now, errors);
             auto note = multiline_text(body, "note", false, kConcernMax, errors).value_or("");
             errors.throw_if_any();
             auto n = c.store.transition(
                 h.id, [&](const TriageState& s) { return record_contact(s, at); },
                 {0, at, "contacted", p.account_id, 0, "", note}, now);
             return summary_response(c, n);
         },
         "Record a contact with the household (the first one meets its deadline); optional note "
         "(encrypted) and contacted_at",
         "outreach", false,
         R"({"type":"object","additionalProperties":false,"properties":{"note":{"type":"string"},"contacted_at":{"type":"string","format":"date-time"}}})"});

    router.add(
        {"POST", "/api/v1/outreach/households/{id}/close",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, h, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"outcome", "note"});
             auto outcome = r.string("outcome", true, 40);
             if (outcome && !is_code(outcome_codes(), *outcome))
                 errors.add("outcome", "unknown_outcome", "see GET /api/v1/outreach/vocabulary");
             auto note = multiline_text(body, "note", false, kConcernMax, errors).value_or("");
             errors.throw_if_any();
             long long now = store::now_unix();
             auto n = c.store.transition(
                 h.id, [&](const TriageState& s) { return close(s, *outcome, now); },
                 {0, now, "closed", p.account_id, 0, *outcome, note}, now);
             return summary_response(c, n);
         },
         "Close a household with its outcome; its reporters then see their reports as closed", "outreach",
         false,
         R"({"type":"object","additionalProperties":false,"required":["outcome"],"properties":{"outcome":{"type":"string"},"note":{"type":"string"}}})"});

    router.add(
        {"PATCH", "/api/v1/outreach/households/{id}",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, h, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"dong_id"});
             auto dong = r.integer("dong_id", true, 1, 1LL << 53);
             auto dongs = dongs_of(c, h.district_id);
             if (dong &&
                 std::none_of(dongs.begin(), dongs.end(), [&](const auto& d) { return d.id == *dong; }))
                 errors.add("dong_id", "unknown_dong", "no such dong in this district");
             errors.throw_if_any();
             identity::require(p, Action::triage_household, {h.district_id, *dong});
             return summary_response(c, c.store.move(h.id, *dong, p.account_id, store::now_unix()));
         },
         "Move a household to the dong it lives in (officials of both dongs, or of the district)", "outreach",
         false,
         R"({"type":"object","additionalProperties":false,"required":["dong_id"],"properties":{"dong_id":{"type":"integer"}}})"});

    router.add(
        {"POST", "/api/v1/outreach/households/{id}/merge",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto [p, into, body] = triage_request(c, req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"household_id"});
             auto from = r.integer("household_id", true, 1, 1LL << 53);
             errors.throw_if_any();
             allowed_household(c, p, *from, Action::triage_household);
             return summary_response(c, c.store.merge(into.id, *from, p.account_id, store::now_unix()));
         },
         "Merge another household into this one when both turn out to be the same: reports, timeline and "
         "keys move over",
         "outreach", false,
         R"({"type":"object","additionalProperties":false,"required":["household_id"],"properties":{"household_id":{"type":"integer"}}})"});
}

}  // namespace dure::outreach
