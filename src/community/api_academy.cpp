// HTTP routes of the academy (동행 아카데미): courses with sessions, enrolment, the roster and
// attendance per session for organizers, completion certificates (docs/community.md "Academy").
#include <boost/json.hpp>

#include "community/api.hpp"
#include "community/courses.hpp"
#include "community/draw.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "store/idempotency.hpp"

namespace dure::community {

namespace json = boost::json;
using http::Request;
using identity::Action;

namespace {

identity::Target target_of(const Course& c) {
    identity::Target t;
    t.district_id = c.district_id;
    t.dong_id = c.dong_id;
    t.organization_id = c.organization_id;
    return t;
}

json::object course_json(const Course& c) {
    json::array sessions;
    for (const auto& x : c.sessions)
        sessions.push_back(json::object{{"id", x.id}, {"no", x.no}, {"starts_at", x.starts_at}, {"ends_at", x.ends_at},
                                        {"place", x.place}});
    return {{"id", c.id},
            {"title", c.title},
            {"summary", c.summary},
            {"issuer", c.issuer},
            {"capacity", c.capacity},
            {"places_left", c.capacity - c.taken},
            {"waitlisted", c.waitlisted},
            {"required_sessions", c.required_sessions},
            {"closes_at", c.closes_at},
            {"status", c.status},
            {"dong_id", c.dong_id},
            {"organization_id", c.organization_id},
            {"sessions", std::move(sessions)}};
}

json::object enrolment_json(const Enrolment& e, const std::optional<Course>& c) {
    json::object marks;
    for (const auto& [sid, m] : e.marks) marks[std::to_string(sid)] = m;
    return {{"id", e.id},
            {"course_id", e.course_id},
            {"course_title", c ? json::value(c->title) : json::value(nullptr)},
            {"status", e.status},
            {"position", e.position},
            {"attended", e.attended},
            {"sessions", c ? json::value(c->sessions.size()) : json::value(nullptr)},
            {"required_sessions", c ? json::value(c->required_sessions) : json::value(nullptr)},
            {"marks", std::move(marks)},
            {"completed", e.completed_at != 0},
            {"certificate_number", e.certificate_number.empty() ? json::value(nullptr) : json::value(e.certificate_number)}};
}

identity::Principal login(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

}  // namespace

void register_course_routes(http::Router& router, const Api& api) {
    auto& courses = api.courses;
    auto& ids = api.ids;
    auto dflt = api.default_district;

    router.add({"GET", "/api/v1/community/courses",
                [&courses, &ids, dflt](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    json::array items;
                    for (const auto& c : courses.list(p.authenticated() ? p.district_id : dflt())) items.push_back(course_json(c));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Academy courses of the district (public): sessions, places left, the completion rule", "community"});

    router.add({"GET", "/api/v1/community/courses/{id}",
                [&courses](Request& req) {
                    auto c = courses.course(http::path_id(req, "id", "course"));
                    if (!c) throw Error(ErrorKind::not_found, "no such course");
                    return http::json_response(200, course_json(*c));
                },
                "One course (public)", "community"});

    router.add({"POST", "/api/v1/community/courses",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"title", "summary", "issuer", "capacity", "required_sessions", "closes_at", "sessions",
                                  "dong_id", "organization_id"});
                    Course c;
                    c.district_id = p.district_id;
                    c.title = r.string("title", true, 100).value_or("");
                    c.summary = r.string("summary", false, 2000).value_or("");
                    c.issuer = r.string("issuer", true, 100).value_or("");
                    c.capacity = r.integer("capacity", true, 1, 10000).value_or(1);
                    c.required_sessions = r.integer("required_sessions", true, 1, 100).value_or(1);
                    c.closes_at = r.integer("closes_at", true, 0, 1LL << 40).value_or(0);
                    c.dong_id = r.integer("dong_id", false, 0, 1LL << 53).value_or(0);
                    c.organization_id = r.integer("organization_id", false, 0, 1LL << 53).value_or(0);
                    auto list = body.if_contains("sessions");
                    if (!list || !list->is_array() || list->as_array().empty() || list->as_array().size() > 100) {
                        errors.add("sessions", "required", "1 to 100 sessions [{starts_at, ends_at, place}]");
                    } else {
                        long long previous = 0;
                        for (const auto& x : list->as_array()) {
                            auto* o = x.if_object();
                            auto* s = o ? o->if_contains("starts_at") : nullptr;
                            auto* e = o ? o->if_contains("ends_at") : nullptr;
                            auto* pl = o ? o->if_contains("place") : nullptr;
                            if (!s || !e || !s->is_int64() || !e->is_int64() || (pl && !pl->is_string()) ||
                                e->as_int64() <= s->as_int64() || s->as_int64() < previous) {
                                errors.add("sessions", "invalid_session",
                                           "each session {starts_at, ends_at (after its start), place}, in order");
                                break;
                            }
                            previous = s->as_int64();
                            c.sessions.push_back({0, 0, 0, s->as_int64(), e->as_int64(),
                                                  pl ? std::string(pl->as_string()) : std::string()});
                        }
                    }
                    if (!errors.has("sessions") && !errors.has("required_sessions") &&
                        c.required_sessions > static_cast<long long>(c.sessions.size()))
                        errors.add("required_sessions", "more_than_sessions", "at most the number of sessions");
                    if (!c.sessions.empty() && c.closes_at > c.sessions.front().starts_at)
                        errors.add("closes_at", "after_start", "enrolment closes by the first session");
                    errors.throw_if_any();
                    identity::require(p, Action::manage_community, target_of(c));
                    c.created_by = p.account_id;
                    c.id = courses.create(c, store::now_unix());
                    return http::json_response(201, course_json(*courses.course(c.id)));
                },
                "Create a course with its sessions and completion rule (organizers of its dong or organization)",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["title","issuer","capacity",)"
                R"("required_sessions","closes_at","sessions"],"properties":{"title":{"type":"string","minLength":1,)"
                R"("maxLength":100},"summary":{"type":"string","maxLength":2000},"issuer":{"type":"string",)"
                R"("minLength":1,"maxLength":100,"description":"printed on the certificate"},)"
                R"("capacity":{"type":"integer","minimum":1,"maximum":10000},"required_sessions":{"type":"integer",)"
                R"("minimum":1,"maximum":100,"description":"sessions attended to complete; at most the sessions"},)"
                R"("closes_at":{"type":"integer","minimum":0,"maximum":1099511627776,"description":"Unix time, by the )"
                R"(first session"},"sessions":{"type":"array","minItems":1,"maxItems":100,"items":{"type":"object",)"
                R"("required":["starts_at","ends_at"],"properties":{"starts_at":{"type":"integer"},)"
                R"("ends_at":{"type":"integer"},"place":{"type":"string"}}}},"dong_id":{"type":"integer","minimum":0,)"
                R"("maximum":9007199254740992},"organization_id":{"type":"integer","minimum":0,)"
                R"("maximum":9007199254740992}}})",
                201});

    router.add({"POST", "/api/v1/community/courses/{id}/enrolments",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    long long id = http::path_id(req, "id", "course");
                    if (!req.body.empty()) {
                        auto body = http::parse_json_object(req);
                        FieldErrors errors;
                        http::BodyReader(body, errors).allow_only({});
                        errors.throw_if_any();
                    }
                    auto c = courses.course(id);
                    if (!c || c->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such course");
                    auto key = identity::idempotency_key(req, "account:" + std::to_string(p.account_id));
                    auto answer = store::run_idempotent(courses.db(), key, identity::request_hash(req), [&](soci::session& s) {
                        auto e = courses.enrol_in(s, id, p.account_id, store::now_unix());
                        return std::pair{201, json::serialize(enrolment_json(e, c))};
                    });
                    auto r = http::json_response(answer.status, json::parse(answer.body));
                    if (answer.replayed) r.set_header("Idempotent-Replayed", "true");
                    return http::no_store(std::move(r));
                },
                "Enrol the caller: confirmed while places remain (the database enforces the capacity), else "
                "waitlisted in arrival order; Idempotency-Key honoured",
                "community", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})",
                201});

    router.add({"GET", "/api/v1/community/enrolments/mine",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    json::array items;
                    for (const auto& e : courses.of_account(p.account_id))
                        items.push_back(enrolment_json(e, courses.course(e.course_id)));
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "The caller's own enrolments: attendance per session, completion, certificate number", "community"});

    router.add({"POST", "/api/v1/community/enrolments/{id}/cancel",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto e = courses.enrolment(http::path_id(req, "id", "enrolment"));
                    auto c = e ? courses.course(e->course_id) : std::nullopt;
                    if (!e || e->account_id != p.account_id)
                        identity::require_record(p, Action::manage_community, c ? std::optional(target_of(*c)) : std::nullopt,
                                                 "enrolment");
                    auto out = courses.cancel(e->id, store::now_unix());
                    return http::no_store(http::json_response(200, enrolment_json(out, c)));
                },
                "Cancel an enrolment (its person or the organizers): a confirmed place goes to the first waitlisted",
                "community", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    router.add({"GET", "/api/v1/community/courses/{id}/roster",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto c = courses.course(http::path_id(req, "id", "course"));
                    identity::require_record(p, Action::manage_community, c ? std::optional(target_of(*c)) : std::nullopt,
                                             "course");
                    std::string why = identity::access_reason(req, "course attendance");
                    json::array items;
                    for (const auto& e : courses.of_course(c->id)) {
                        if (e.status == "cancelled") continue;
                        auto o = enrolment_json(e, c);
                        if (e.status == "confirmed") {
                            // Names of the confirmed, for the attendance sheet (each read logged).
                            auto a = ids.store().account(e.account_id);
                            identity::log_access(ids, p, req, c->district_id, "community_enrolment", e.id, "read", "name", why);
                            o["name"] = a ? a->name : "";
                        }
                        items.push_back(std::move(o));
                    }
                    return http::no_store(http::json_response(200, json::object{{"course", course_json(*c)},
                                                                                {"enrolments", std::move(items)}}));
                },
                "The course roster (organizers): the confirmed with names (logged) and their marks; the waitlist as "
                "positions",
                "community"});

    router.add({"POST", "/api/v1/community/courses/{id}/attendance",
                [&courses, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto c = courses.course(http::path_id(req, "id", "course"));
                    identity::require_record(p, Action::manage_community, c ? std::optional(target_of(*c)) : std::nullopt,
                                             "course");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"session_id", "enrolment_id", "status"});
                    auto sid = r.integer("session_id", true, 1, 1LL << 53).value_or(0);
                    auto eid = r.integer("enrolment_id", true, 1, 1LL << 53).value_or(0);
                    auto mark = r.string("status", true, 10).value_or("");
                    errors.throw_if_any();
                    auto out = courses.mark(
                        c->id, sid, eid, mark, p.account_id,
                        [&ids](long long account) {
                            auto a = ids.store().account(account);
                            return mask_name(a ? a->name : "");
                        },
                        store::now_unix());
                    return http::no_store(http::json_response(200, enrolment_json(out, courses.course(c->id))));
                },
                "Mark a confirmed participant attended or no-show at a session (organizers, from an hour before it "
                "starts); reaching the course's rule completes it and issues a certificate in the same transaction",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["session_id","enrolment_id","status"],)"
                R"("properties":{"session_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("enrolment_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("status":{"type":"string","enum":["attended","no_show"]}}})"});

    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/community/courses"},
             {"POST", "/api/v1/community/courses/{id}/attendance"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::community
