#include "community/api.hpp"

#include <boost/json.hpp>

#include "community/events.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "store/idempotency.hpp"

namespace dure::community {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

identity::Target target_of(const Event& e) {
    identity::Target t;
    t.district_id = e.district_id;
    t.dong_id = e.dong_id;
    t.organization_id = e.organization_id;
    return t;
}

json::object event_json(const Event& e) {
    return {{"id", e.id},
            {"title", e.title},
            {"summary", e.summary},
            {"mode", e.mode},
            {"place", e.place},
            {"eligibility", e.eligibility},
            {"starts_at", e.starts_at},
            {"ends_at", e.ends_at},
            {"closes_at", e.closes_at},
            {"capacity", e.capacity},
            {"places_taken", e.taken},
            {"places_left", e.capacity - e.taken},
            {"waitlist", e.waitlist},
            {"waitlisted", e.waitlisted},
            {"offer_hours", e.offer_hours},
            {"allocation", e.allocation},
            {"status", e.status},
            {"dong_id", e.dong_id},
            {"organization_id", e.organization_id}};
}

// A person's own registration (never anyone else's).
json::object own_json(const Registration& r, const std::optional<Event>& e) {
    return {{"id", r.id},
            {"event_id", r.event_id},
            {"event_title", e ? json::value(e->title) : json::value(nullptr)},
            {"starts_at", e ? json::value(e->starts_at) : json::value(nullptr)},
            {"status", r.status},
            {"position", r.position},
            {"offer_expires_at", r.status == "offered" ? json::value(r.offer_expires_at) : json::value(nullptr)},
            {"details_given", r.details.has_value()}};
}

identity::Principal login(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

// The form's personal details: both or neither (both when `required`).
Details read_details(const json::object& body, FieldErrors& errors, bool required) {
    http::BodyReader r(body, errors);
    auto name = r.string("name", required, 50).value_or("");
    auto phone = r.string("phone", required, 20).value_or("");
    if (!phone.empty() && (phone.size() < 9 || phone.find_first_not_of("0123456789-") != std::string::npos))
        errors.add("phone", "invalid_phone", "digits (and dashes) only, e.g. 010-1234-5678");
    if (name.empty() != phone.empty()) errors.add(name.empty() ? "name" : "phone", "required", "give both name and phone");
    std::string digits;
    for (char c : phone)
        if (c != '-') digits += c;
    return {name, digits};
}

std::string caller(const identity::Principal& p) { return "account:" + std::to_string(p.account_id); }

Response stored(const store::StoredAnswer& a) {
    Response r = http::json_response(a.status, json::parse(a.body));
    if (a.replayed) r.set_header("Idempotent-Replayed", "true");
    return http::no_store(std::move(r));
}

}  // namespace

void register_event_routes(http::Router& router, const Api& api) {
    auto& events = api.events;
    auto& ids = api.ids;

    router.add({"GET", "/api/v1/community/events",
                [&events, &ids, api](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = p.authenticated() ? p.district_id : api.default_district();
                    json::array items;
                    for (const auto& e : events.list(district)) items.push_back(event_json(e));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Community events of the district (public): places taken and left, waitlist length, never names",
                "community"});

    router.add({"GET", "/api/v1/community/events/{id}",
                [&events](Request& req) {
                    auto e = events.event(http::path_id(req, "id", "event"));
                    if (!e) throw Error(ErrorKind::not_found, "no such event");
                    return http::json_response(200, event_json(*e));
                },
                "One event (public); waitlisted people are never shown as attendees", "community"});

    router.add({"POST", "/api/v1/community/events",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"title", "summary", "mode", "place", "eligibility", "starts_at", "ends_at", "closes_at",
                                  "capacity", "waitlist", "offer_hours", "allocation", "dong_id", "organization_id"});
                    Event e;
                    e.district_id = p.district_id;
                    e.title = r.string("title", true, 100).value_or("");
                    e.summary = r.string("summary", false, 2000).value_or("");
                    e.mode = r.string("mode", true, 10).value_or("offline");
                    e.place = r.string("place", false, 200).value_or("");
                    e.eligibility = r.string("eligibility", false, 500).value_or("");
                    e.starts_at = r.integer("starts_at", true, 0, 1LL << 40).value_or(0);
                    e.ends_at = r.integer("ends_at", true, 0, 1LL << 40).value_or(0);
                    e.closes_at = r.integer("closes_at", true, 0, 1LL << 40).value_or(0);
                    e.capacity = r.integer("capacity", true, 1, 100000).value_or(1);
                    e.offer_hours = r.integer("offer_hours", false, 24, 72).value_or(48);
                    e.allocation = r.string("allocation", false, 20).value_or("first_come");
                    e.dong_id = r.integer("dong_id", false, 0, 1LL << 53).value_or(0);
                    e.organization_id = r.integer("organization_id", false, 0, 1LL << 53).value_or(0);
                    if (auto w = body.if_contains("waitlist")) {
                        if (!w->is_bool()) errors.add("waitlist", "not_a_boolean", "true or false");
                        else e.waitlist = w->as_bool();
                    }
                    if (e.mode != "online" && e.mode != "offline" && e.mode != "hybrid" && !errors.has("mode"))
                        errors.add("mode", "unknown_code", "online, offline or hybrid");
                    if (e.allocation != "first_come" && e.allocation != "draw")
                        errors.add("allocation", "unknown_code", "first_come or draw");
                    if (e.starts_at && e.ends_at && e.ends_at <= e.starts_at)
                        errors.add("ends_at", "before_start", "the event must end after it starts");
                    if (e.starts_at && e.closes_at && e.closes_at > e.starts_at)
                        errors.add("closes_at", "after_start", "registration must close by the start");
                    errors.throw_if_any();
                    identity::require(p, Action::manage_community, target_of(e));
                    e.created_by = p.account_id;
                    e.id = events.create(e, store::now_unix());
                    return http::json_response(201, event_json(*events.event(e.id)));
                },
                "Create an event (organizers of its dong or organization): capacity, waitlist, offer time 24-72 h",
                "community", false, "", 201});

    router.add({"POST", "/api/v1/community/events/{id}/registrations",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    long long id = http::path_id(req, "id", "event");
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader(body, errors).allow_only({"name", "phone"});
                    auto details = read_details(body, errors, false);
                    errors.throw_if_any();
                    auto e = events.event(id);
                    if (!e || e->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such event");
                    auto key = identity::idempotency_key(req, caller(p));
                    auto answer = store::run_idempotent(
                        events.db(), key, identity::request_hash(req), [&](soci::session& s) {
                            auto r = events.register_in(s, id, p.account_id, details, store::now_unix());
                            return std::pair{201, json::serialize(own_json(r, e))};
                        });
                    return stored(answer);
                },
                "Register the caller: confirmed while places remain, else waitlisted in arrival order (details kept "
                "only for a confirmed place); Idempotency-Key honoured",
                "community", false, "", 201});

    router.add({"GET", "/api/v1/community/registrations/mine",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    json::array items;
                    for (const auto& r : events.of_account(p.account_id)) items.push_back(own_json(r, events.event(r.event_id)));
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "The caller's own registrations (status, waitlist position, open offers)", "community"});

    router.add({"POST", "/api/v1/community/registrations/{id}/cancel",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto r = events.registration(http::path_id(req, "id", "registration"));
                    auto e = r ? events.event(r->event_id) : std::nullopt;
                    bool own = r && r->account_id == p.account_id;
                    if (!own) identity::require_record(p, Action::manage_community, e ? std::optional(target_of(*e)) : std::nullopt, "registration");
                    Registration out;
                    events.db().write([&](soci::session& s) { out = events.cancel_in(s, r->id, store::now_unix()); });
                    return http::no_store(http::json_response(200, own_json(out, e)));
                },
                "Cancel a registration (its person, or the event's organizers): a held place is offered to the next "
                "on the waitlist; everyone concerned is told",
                "community"});

    router.add({"POST", "/api/v1/community/registrations/{id}/accept",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto r = events.registration(http::path_id(req, "id", "registration"));
                    if (!r || r->account_id != p.account_id) throw Error(ErrorKind::not_found, "no such registration");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader(body, errors).allow_only({"name", "phone"});
                    auto details = read_details(body, errors, true);
                    errors.throw_if_any();
                    Registration out;
                    events.db().write([&](soci::session& s) { out = events.accept_in(s, r->id, details, store::now_unix()); });
                    return http::no_store(http::json_response(200, own_json(out, events.event(r->event_id))));
                },
                "Take the offered place: the form's name and phone are asked now, not while waiting", "community"});

    router.add({"GET", "/api/v1/community/events/{id}/registrations",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto e = events.event(http::path_id(req, "id", "event"));
                    identity::require_record(p, Action::manage_community, e ? std::optional(target_of(*e)) : std::nullopt,
                                             "event");
                    std::string why = identity::access_reason(req, "event organizer");
                    json::array attendees, waitlist, others;
                    for (const auto& r : events.of_event(e->id)) {
                        if (r.status == "confirmed" || r.status == "offered") {
                            if (r.details)
                                identity::log_access(ids, p, req, e->district_id, "community_registration", r.id, "read",
                                                     "name,phone", why);
                            attendees.push_back(json::object{
                                {"id", r.id}, {"status", r.status}, {"position", r.position},
                                {"name", r.details ? json::value(r.details->name) : json::value(nullptr)},
                                {"phone", r.details ? json::value(r.details->phone) : json::value(nullptr)},
                                {"offer_expires_at", r.status == "offered" ? json::value(r.offer_expires_at) : json::value(nullptr)}});
                        } else if (r.status == "waitlisted" || r.status == "applied") {
                            // No one on the waitlist is an attendee, and none gave details.
                            (r.status == "waitlisted" ? waitlist : others)
                                .push_back(json::object{{"id", r.id}, {"status", r.status}, {"position", r.position}});
                        }
                    }
                    return http::no_store(http::json_response(
                        200, json::object{{"event", event_json(*e)}, {"attendees", std::move(attendees)},
                                          {"waitlist", std::move(waitlist)}, {"applications", std::move(others)}}));
                },
                "The event desk (organizers): attendees with the form's details (logged), the waitlist in order "
                "(positions only)",
                "community"});

    router.add({"POST", "/api/v1/community/events/{id}/cancel",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto e = events.event(http::path_id(req, "id", "event"));
                    identity::require_record(p, Action::manage_community, e ? std::optional(target_of(*e)) : std::nullopt,
                                             "event");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"reason"});
                    auto reason = r.string("reason", true, 500);
                    errors.throw_if_any();
                    int told = 0;
                    events.db().write([&](soci::session& s) { told = events.cancel_event_in(s, e->id, *reason, store::now_unix()); });
                    return http::json_response(200, json::object{{"event", event_json(*events.event(e->id))}, {"told", told}});
                },
                "Cancel an event (organizers): every registrant, waitlisted included, is told with the reason",
                "community"});
}

}  // namespace dure::community
