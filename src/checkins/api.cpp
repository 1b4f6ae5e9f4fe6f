#include "checkins/api.hpp"

#include <boost/json.hpp>
#include <cstdlib>

#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/crypto.hpp"
#include "notify/channels.hpp"

namespace dure::checkins {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

long long id_param(const Request& req) { return http::path_id(req, "id", "assignment"); }

const char* cadence_code(long long hours) { return hours == 24 ? "daily" : hours == 84 ? "twice_weekly" : "weekly"; }

json::object escalation_json(const Escalation& e) {
    json::array steps;
    for (const auto& s : e.steps) {
        const auto& l = ladder()[static_cast<std::size_t>(s.step) - 1];
        steps.push_back(json::object{{"step", s.step}, {"code", l.code}, {"label_ko", l.label_ko}, {"at", s.at}, {"note", s.note}});
    }
    const auto& cur = ladder()[static_cast<std::size_t>(e.step) - 1];
    return {{"id", e.id}, {"assignment_id", e.assignment_id}, {"reason", e.reason}, {"opened_at", e.opened_at},
            {"step", e.step}, {"step_code", cur.code}, {"step_label_ko", cur.label_ko},
            {"next_at", e.step < static_cast<long long>(ladder().size()) ? json::value(e.next_at) : json::value(nullptr)},
            {"steps", std::move(steps)}};
}

// ?dong= (0 or absent: the whole district); 422 when not a non-negative integer.
long long dong_param(const Request& req) {
    auto d = req.query_param("dong");
    if (!d) return 0;
    if (d->empty() || d->size() > 15 || d->find_first_not_of("0123456789") != std::string::npos) {
        FieldErrors errors;
        errors.add("dong", "not_an_integer", "a dong id");
        errors.throw_if_any();
    }
    return std::stoll(*d);
}

identity::Target target_of(const Assignment& a) {
    identity::Target t;
    t.district_id = a.district_id;
    t.dong_id = a.dong_id;
    t.assignee_account_id = a.caregiver_account_id;
    return t;
}

}  // namespace

void register_routes(http::Router& router, CheckinStore& store, identity::IdentityService& ids,
                     std::function<long long()> default_district, std::string signal_secret) {
    auto log_read = [&ids](const identity::Principal& p, const Request& req, long long district, long long person,
                           const std::string& fields, const std::string& why) {
        identity::log_access(ids, p, req, district, "person", person, "read", fields, why);
    };
    // What the caller's task needs of the resident (docs/privacy.md): the assigned caregiver and
    // the dong's officials visit, so they get the address and the check-in notes; a care-team
    // member who is not the caregiver makes the step-2 call, so gets the name and phone only.
    auto full_view = [](const identity::Principal& p, const Assignment& a) {
        return p.account_id == a.caregiver_account_id ||
               identity::authorize(p, Action::manage_checkins, target_of(a)).allowed;
    };
    auto resident_json = [&ids](const Assignment& a, bool full) {
        auto person = ids.store().person(a.person_id);
        return json::object{{"id", a.person_id},
                            {"name", person ? person->name : ""},
                            {"address", full && person ? json::value(person->address) : json::value(nullptr)},
                            {"phone", person ? person->phone : ""}};
    };

    router.add({"POST", "/api/v1/checkins/assignments",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"person_id", "caregiver_account_id", "cadence"});
                    auto person_id = r.integer("person_id", true, 1, 1LL << 53);
                    auto caregiver = r.integer("caregiver_account_id", true, 1, 1LL << 53);
                    auto cadence = r.string("cadence", true, 20);
                    std::optional<long long> hours = cadence ? cadence_hours(*cadence) : std::nullopt;
                    if (cadence && !hours) errors.add("cadence", "unknown_code", "daily, twice_weekly or weekly");
                    errors.throw_if_any();
                    auto person = ids.store().person(*person_id);
                    if (!person || person->district_id != p.district_id) {
                        // As for a person of a dong the caller does not reach: 403, or 422 for a district official.
                        identity::require(p, Action::manage_checkins, {p.district_id, -1});
                        errors.add("person_id", "unknown_person", "no such person in this district");
                    } else if (person->dong_id == 0) {
                        errors.add("person_id", "no_dong", "record the person's dong first");
                    }
                    errors.throw_if_any();
                    identity::require(p, Action::manage_checkins, {person->district_id, person->dong_id});
                    // The caregiver's grant must reach the resident's dong (and so its district).
                    auto account = ids.store().account(*caregiver);
                    identity::Principal carer_p;
                    if (account) carer_p.grants = account->grants;
                    identity::Target where{person->district_id, person->dong_id};
                    bool carer = account && (identity::has_role_covering(carer_p, identity::Role::caregiver, where) ||
                                             identity::has_role_covering(carer_p, identity::Role::care_team, where));
                    if (!carer) {
                        errors.add("caregiver_account_id", "not_a_caregiver", "an account with a caregiver or care-team role in the resident's dong");
                        errors.throw_if_any();
                    }
                    auto a = store.assign(person->district_id, person->dong_id, person->id, *caregiver, *hours,
                                          "account:" + std::to_string(p.account_id), store::now_unix());
                    return http::json_response(201, json::object{{"id", a.id}, {"person_id", a.person_id},
                                                                 {"caregiver_account_id", a.caregiver_account_id},
                                                                 {"cadence", *cadence}, {"dong_id", a.dong_id}});
                },
                "Assign a caregiver to a resident at risk with a check-in cadence (daily, twice_weekly, weekly)",
                "checkins", false,
                R"({"type":"object","additionalProperties":false,"required":["person_id","caregiver_account_id","cadence"],"properties":{)"
                R"("person_id":{"type":"integer","minimum":1},"caregiver_account_id":{"type":"integer","minimum":1},"cadence":{"enum":["daily","twice_weekly","weekly"]}}})",
                201});

    router.add({"GET", "/api/v1/checkins/mine",
                [&store, &ids, log_read, resident_json](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    long long now = store::now_unix();
                    std::string why = identity::access_reason(req, "assigned caregiver");  // their own residents
                    json::array items;
                    for (const auto& a : store.for_caregiver(p.account_id)) {
                        if (!identity::authorize(p, Action::record_checkin, target_of(a)).allowed) continue;
                        log_read(p, req, a.district_id, a.person_id, "name,address,phone", why);
                        auto esc = store.open_escalation(a.id);
                        long long due = a.last_ok_at + a.cadence_hours * 3600;
                        items.push_back(json::object{{"id", a.id}, {"resident", resident_json(a, true)},
                                                     {"cadence", cadence_code(a.cadence_hours)}, {"last_ok_at", a.last_ok_at},
                                                     {"due_at", due}, {"overdue", now > due},
                                                     {"escalation", esc ? json::value(escalation_json(*esc)) : json::value(nullptr)}});
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "The residents assigned to the caller, with when the next check-in is due and any escalation",
                "checkins"});

    router.add({"POST", "/api/v1/checkins/assignments/{id}/checkins",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto a = store.assignment(id_param(req));
                    identity::require_record(p, Action::record_checkin,
                                             a && a->active ? std::optional(target_of(*a)) : std::nullopt, "assignment");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"result", "note"});
                    auto result = r.string("result", true, 20);
                    auto note = r.string("note", false, 2000).value_or("");
                    if (result && *result != "fine" && *result != "not_reached" && *result != "concern")
                        errors.add("result", "unknown_code", "fine, not_reached or concern");
                    errors.throw_if_any();
                    auto esc = store.record(*a, *result, note, p.account_id, "visit_or_call", store::now_unix());
                    return http::json_response(201, json::object{
                        {"recorded", true}, {"escalation", esc ? json::value(escalation_json(*esc)) : json::value(nullptr)}});
                },
                "Record a check-in: fine closes an escalation; not_reached or concern opens one", "checkins", false,
                R"({"type":"object","additionalProperties":false,"required":["result"],"properties":{)"
                R"("result":{"enum":["fine","not_reached","concern"]},"note":{"type":"string","maxLength":2000}}})",
                201});

    router.add({"GET", "/api/v1/checkins/assignments/{id}",
                [&store, &ids, log_read, resident_json, full_view](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto a = store.assignment(id_param(req));
                    auto t = a ? std::optional(target_of(*a)) : std::nullopt;
                    bool own = t && a->caregiver_account_id == p.account_id &&
                               identity::authorize(p, Action::record_checkin, *t).allowed;
                    if (!t || !identity::authorize(p, Action::record_checkin, *t).allowed)
                        identity::require_record(p, Action::read_checkins, t, "assignment");
                    bool full = full_view(p, *a);
                    // Reason: the official's; the assigned caregiver's own resident may go without one.
                    log_read(p, req, a->district_id, a->person_id, full ? "name,address,phone,checkin_notes" : "name,phone",
                             identity::access_reason(req, own ? "assigned caregiver" : nullptr));
                    json::array cs;
                    for (const auto& c : store.checkins(a->id))
                        cs.push_back(json::object{{"at", c.at}, {"result", c.result},
                                                  {"note", full ? json::value(c.note) : json::value(nullptr)}, {"source", c.source}});
                    auto esc = store.open_escalation(a->id);
                    Response r = http::json_response(200, json::object{
                        {"id", a->id}, {"resident", resident_json(*a, full)}, {"cadence", cadence_code(a->cadence_hours)},
                        {"last_ok_at", a->last_ok_at}, {"checkins", std::move(cs)},
                        {"escalation", esc ? json::value(escalation_json(*esc)) : json::value(nullptr)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "One assignment: the resident, recent check-ins with notes, the open escalation (logged)", "checkins"});

    router.add({"GET", "/api/v1/checkins/assignments",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = p.district_id, dong = dong_param(req);
                    identity::require(p, Action::read_checkins, {district, dong});
                    long long now = store::now_unix();
                    json::array items;
                    // No names or addresses here: opening one (GET …/assignments/{id}) is the logged read.
                    for (const auto& a : store.for_dong(district, dong)) {
                        if (!a.active) continue;
                        auto esc = store.open_escalation(a.id);
                        long long due = a.last_ok_at + a.cadence_hours * 3600;
                        items.push_back(json::object{
                            {"id", a.id}, {"dong_id", a.dong_id}, {"person_id", a.person_id},
                            {"caregiver_account_id", a.caregiver_account_id}, {"cadence", cadence_code(a.cadence_hours)},
                            {"last_ok_at", a.last_ok_at}, {"due_at", due}, {"overdue", now > due},
                            {"escalation_step", esc ? json::value(esc->step) : json::value(nullptr)}});
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "Active assignments of a dong (?dong=) or the district: caregiver, cadence, when the next check-in "
                "is due, escalation step; no personal data",
                "checkins"});

    router.add({"GET", "/api/v1/checkins/escalations",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = p.district_id, dong = dong_param(req);
                    identity::require(p, Action::read_checkins, {district, dong});
                    json::array items;
                    for (const auto& e : store.open_escalations(district, dong)) items.push_back(escalation_json(e));
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "Open escalations of a dong (?dong=) or the district, with every step taken", "checkins"});

    router.add({"POST", "/api/v1/checkins/signals",
                [&store, signal_secret](Request& req) {
                    if (signal_secret.empty()) throw Error(ErrorKind::not_found, "passive signals are not configured");
                    auto ts = req.header("x-signal-timestamp").value_or("");
                    auto sig = req.header("x-signal-signature").value_or("");
                    long long t = std::atoll(ts.c_str()), now = store::now_unix();
                    if (ts.empty() || std::llabs(now - t) > 300 ||
                        !identity::secure_equals(sig, notify::webhook_signature(signal_secret, ts, req.body)))
                        throw Error(ErrorKind::unauthorized, "bad or stale signature");
                    // A captured request replayed inside the window is refused: each signature once.
                    if (!store.claim_signal(sig, now))
                        throw Error(ErrorKind::conflict, "replayed signal: this signed request was already accepted");
                    struct Unclaim {
                        CheckinStore& st;
                        const std::string& sig;
                        bool done = false;
                        ~Unclaim() {
                            if (!done) try { st.forget_signal(sig); } catch (...) {}
                        }
                    } unclaim{store, sig};
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"assignment_id", "kind", "hours", "device"});
                    auto id = r.integer("assignment_id", true, 1, 1LL << 53);
                    auto kind = r.string("kind", true, 40);
                    auto hours = r.integer("hours", true, 0, 24 * 365);
                    r.string("device", false, 100);
                    if (kind && *kind != "no_activity") errors.add("kind", "unknown_code", "no_activity");
                    errors.throw_if_any();
                    auto a = store.assignment(*id);
                    if (!a || !a->active) throw Error(ErrorKind::not_found, "no such assignment");
                    std::optional<Escalation> esc;
                    if (*hours >= kSignalHours) esc = store.record(*a, "no_activity", "", 0, "sensor", now);
                    unclaim.done = true;
                    return http::json_response(200, json::object{
                        {"accepted", true}, {"escalation", esc ? json::value(escalation_json(*esc)) : json::value(nullptr)}});
                },
                "Passive signal from a smart plug or door sensor (signed like alert webhooks: X-Signal-Timestamp, "
                "X-Signal-Signature; a replay of an accepted request is 409); no activity for 12 hours or more opens an "
                "escalation",
                "checkins", false,
                R"({"type":"object","additionalProperties":false,"required":["assignment_id","kind","hours"],"properties":{)"
                R"("assignment_id":{"type":"integer","minimum":1},"kind":{"const":"no_activity"},)"
                R"("hours":{"type":"integer","minimum":0,"maximum":8760},"device":{"type":"string","maxLength":100}}})"});
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/checkins/assignments"},
             {"POST", "/api/v1/checkins/assignments/{id}/checkins"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::checkins
