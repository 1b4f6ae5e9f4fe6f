#include "community/api.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "community/draw.hpp"
#include "community/draws.hpp"
#include "community/events.hpp"
#include "community/rules.hpp"
#include "community/spaces.hpp"
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
            {"organization_id", e.organization_id},
            {"has_meeting_link", !e.meeting_link.empty()}};
}

std::string entry_code(long long registration_id) {
    char code[32];
    std::snprintf(code, sizeof code, "E-%04lld", registration_id);
    return code;
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
            {"details_given", r.details.has_value()},
            // The meeting link: confirmed participants only, from an hour before the start to the end.
            {"meeting_link", e && r.status == "confirmed" && !e->meeting_link.empty() &&
                                     store::now_unix() >= e->starts_at - kLinkLeadSeconds && store::now_unix() < e->ends_at
                                 ? json::value(e->meeting_link)
                                 : json::value(nullptr)},
            {"meeting_link_from", e && r.status == "confirmed" && !e->meeting_link.empty()
                                      ? json::value(e->starts_at - kLinkLeadSeconds)
                                      : json::value(nullptr)},
            {"entry_code", e && e->allocation == "draw" ? json::value(entry_code(r.id)) : json::value(nullptr)},
            // Attendance marked by staff at the event ("" until marked).
            {"attendance", r.attendance},
            {"attendance_at", r.attendance.empty() ? json::value(nullptr) : json::value(r.attendance_at)}};
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
    (void)api.draws;
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
                                  "capacity", "waitlist", "offer_hours", "allocation", "dong_id", "organization_id",
                                  "meeting_link"});
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
                    e.meeting_link = r.string("meeting_link", false, 500).value_or("");
                    if (!e.meeting_link.empty() && e.meeting_link.rfind("https://", 0) != 0)
                        errors.add("meeting_link", "not_https", "an https:// address");
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
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["title","mode","starts_at","ends_at",)"
                R"("closes_at","capacity"],"properties":{"title":{"type":"string","minLength":1,"maxLength":100},)"
                R"("summary":{"type":"string","maxLength":2000},"mode":{"type":"string","enum":["online","offline",)"
                R"("hybrid"]},"place":{"type":"string","maxLength":200},"eligibility":{"type":"string",)"
                R"("maxLength":500},"starts_at":{"type":"integer","minimum":0,"maximum":1099511627776,)"
                R"("description":"Unix time"},"ends_at":{"type":"integer","minimum":0,"maximum":1099511627776,)"
                R"("description":"Unix time, after starts_at"},"closes_at":{"type":"integer","minimum":0,)"
                R"("maximum":1099511627776,"description":"Unix time, by starts_at"},"capacity":{"type":"integer",)"
                R"("minimum":1,"maximum":100000},"waitlist":{"type":"boolean"},"offer_hours":{"type":"integer",)"
                R"("minimum":24,"maximum":72,"default":48},"allocation":{"type":"string","enum":["first_come","draw"],)"
                R"("default":"first_come"},"dong_id":{"type":"integer","minimum":0,"maximum":9007199254740992},)"
                R"("organization_id":{"type":"integer","minimum":0,"maximum":9007199254740992},)"
                R"("meeting_link":{"type":"string","maxLength":500,"pattern":"^https://"}}})",
                201});

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
                "community", false,
                R"({"type":"object","additionalProperties":false,"description":"name and phone: both or neither",)"
                R"("properties":{"name":{"type":"string","maxLength":50},"phone":{"type":"string","maxLength":20,)"
                R"("pattern":"^[0-9-]{9,}$"}},"x-body-optional":true})",
                201});

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
                "community", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

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
                "Take the offered place: the form's name and phone are asked now, not while waiting", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["name","phone"],)"
                R"("properties":{"name":{"type":"string","maxLength":50},"phone":{"type":"string","maxLength":20,)"
                R"("pattern":"^[0-9-]{9,}$"}}})"});

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
                                {"offer_expires_at", r.status == "offered" ? json::value(r.offer_expires_at) : json::value(nullptr)},
                                {"attendance", r.attendance}});
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

    router.add({"POST", "/api/v1/community/events/{id}/attendance",
                [&events, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto e = events.event(http::path_id(req, "id", "event"));
                    identity::require_record(p, Action::manage_community, e ? std::optional(target_of(*e)) : std::nullopt,
                                             "event");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"registration_id", "status"});
                    auto rid = r.integer("registration_id", true, 1, 1LL << 53);
                    auto mark = r.string("status", true, 10).value_or("");
                    errors.throw_if_any();
                    auto reg = events.registration(*rid);
                    // Another event's registration is not this desk's to mark.
                    if (!reg || reg->event_id != e->id)
                        throw Error(ErrorKind::validation, "not a registration of this event",
                                    {{"registration_id", "not_found", "no such registration at this event"}});
                    auto out = events.mark_attendance(reg->id, mark, p.account_id, store::now_unix());
                    return http::no_store(http::json_response(
                        200, json::object{{"id", out.id}, {"status", out.status}, {"position", out.position},
                                          {"attendance", out.attendance}, {"attendance_at", out.attendance_at}}));
                },
                "Mark a confirmed participant attended or no-show at the event (organizers, from an hour before the "
                "start); a later mark corrects an earlier one",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["registration_id","status"],)"
                R"("properties":{"registration_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("status":{"type":"string","enum":["attended","no_show"]}}})"});

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
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                R"("properties":{"reason":{"type":"string","minLength":1,"maxLength":500}}})"});
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp); registration
    // keeps its answer in its own transaction (store::run_idempotent).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/community/events"},
             {"POST", "/api/v1/community/events/{id}/attendance"},
             {"POST", "/api/v1/community/events/{id}/cancel"},
         })
        router.mark_idempotent(method, path);
}

namespace {

identity::Target target_of(const Draw& d) {
    identity::Target t;
    t.district_id = d.district_id;
    t.dong_id = d.dong_id;
    t.organization_id = d.organization_id;
    return t;
}

// A draw as the public sees it: the frozen list as codes (to check the hash), never identities;
// each run's winners as code and masked name, the reason of any rerun beside it.
json::object draw_json(DrawStore& draws, const Draw& d) {
    std::map<std::string, std::string> masked;
    json::array codes;
    for (const auto& e : draws.entrants(d.id)) {
        masked[e.code] = e.masked;
        codes.push_back(json::value(e.code));
    }
    json::array runs;
    for (const auto& r : draws.runs(d.id)) {
        json::array winners;
        for (const auto& c : r.winners) winners.push_back(json::object{{"code", c}, {"name", masked[c]}});
        runs.push_back(json::object{{"run_no", r.run_no}, {"seed", r.seed}, {"reason", r.reason}, {"key", r.key},
                                    {"at", r.at}, {"winners", std::move(winners)}});
    }
    return {{"id", d.id},
            {"title", d.title},
            {"rule", d.rule},
            {"legal_basis", d.legal_basis},
            {"seed_source", d.seed_source},
            {"winner_count", d.winner_count},
            {"entrant_count", d.entrant_count},
            {"list_hash", d.list_hash},
            {"event_id", d.event_id ? json::value(d.event_id) : json::value(nullptr)},
            {"created_at", d.created_at},
            {"algorithm", "dure-draw-v1 (docs/community.md)"},
            {"entrants", std::move(codes)},
            {"runs", std::move(runs)}};
}

}  // namespace

std::string published_draw(DrawStore& draws, long long draw_id) {
    auto d = draws.draw(draw_id);
    if (!d) throw Error(ErrorKind::not_found, "no such draw");
    json::array codes, runs;
    for (const auto& e : draws.entrants(d->id)) codes.push_back(json::value(e.code));
    for (const auto& r : draws.runs(d->id)) {
        json::array w;
        for (const auto& c : r.winners) w.push_back(json::value(c));
        runs.push_back(json::object{{"run_no", r.run_no}, {"seed", r.seed}, {"reason", r.reason}, {"winners", std::move(w)}});
    }
    return json::serialize(json::object{{"algorithm", "dure-draw-v1"}, {"draw_id", d->id}, {"title", d->title},
                                        {"list_hash", d->list_hash}, {"winner_count", d->winner_count},
                                        {"entrants", std::move(codes)}, {"runs", std::move(runs)}});
}

int verify_draw_file(const std::string& path, const std::string& seed, long long winners, std::ostream& out) {
    std::ifstream in(path);
    if (!in) {
        out << "cannot read " << path << "\n";
        return 2;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    std::vector<std::string> codes;
    std::string published_hash;
    std::optional<std::vector<std::string>> published_winners;
    long long published_run = 0;
    boost::system::error_code ec;
    auto v = json::parse(text, ec);
    if (!ec && v.is_object()) {
        const auto& o = v.as_object();
        for (const auto& c : o.at("entrants").as_array()) codes.emplace_back(c.as_string());
        published_hash = std::string(o.at("list_hash").as_string());
        if (winners <= 0) winners = o.at("winner_count").to_number<long long>();
        if (auto rs = o.if_contains("runs"))
            for (const auto& r : rs->as_array())
                if (r.at("seed").as_string() == seed) {
                    published_run = r.at("run_no").to_number<long long>();
                    published_winners.emplace();
                    for (const auto& c : r.at("winners").as_array()) published_winners->emplace_back(c.as_string());
                }
    } else {
        std::istringstream lines(text);
        for (std::string line; std::getline(lines, line);) {
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
            if (!line.empty()) codes.push_back(line);
        }
    }
    DrawResult r;
    try {
        r = run_draw(codes, seed, winners);
    } catch (const Error& e) {
        for (const auto& f : e.fields()) out << "refused: " << f.field << ": " << f.message << "\n";
        return 1;
    }
    bool ok = true;
    out << "entrants: " << codes.size() << "\nlist hash: " << r.list_hash << "\n";
    if (!published_hash.empty()) {
        bool same = published_hash == r.list_hash;
        out << "published list hash: " << (same ? "matches" : "DIFFERS (" + published_hash + ")") << "\n";
        ok = ok && same;
    }
    out << "key: " << r.key << "\nwinners (" << r.winners.size() << "):";
    for (const auto& c : r.winners) out << " " << c;
    out << "\n";
    if (published_winners) {
        bool same = *published_winners == r.winners;
        out << "published run " << published_run << " with this seed: " << (same ? "matches" : "DIFFERS") << "\n";
        ok = ok && same;
    }
    return ok ? 0 : 1;
}

void register_draw_routes(http::Router& router, const Api& api) {
    auto& draws = api.draws;
    auto& ids = api.ids;
    auto dflt = api.default_district;

    router.add({"GET", "/api/v1/community/draws",
                [&draws, &ids, dflt](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    json::array items;
                    for (const auto& d : draws.list(p.authenticated() ? p.district_id : dflt()))
                        items.push_back(json::object{{"id", d.id}, {"title", d.title}, {"winner_count", d.winner_count},
                                                     {"entrant_count", d.entrant_count}, {"runs", d.runs},
                                                     {"list_hash", d.list_hash}, {"created_at", d.created_at}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Public draws of the district", "community"});

    router.add({"GET", "/api/v1/community/draws/{id}",
                [&draws](Request& req) {
                    auto d = draws.draw(http::path_id(req, "id", "draw"));
                    if (!d) throw Error(ErrorKind::not_found, "no such draw");
                    return http::json_response(200, draw_json(draws, *d));
                },
                "A draw (public): rule, legal basis, seed source, the frozen list's hash and codes, every run with "
                "its seed, reason and masked winners; never entrants' identities",
                "community"});

    router.add({"GET", "/api/v1/community/draws/{id}/published",
                [&draws](Request& req) {
                    Response r;
                    r.body = published_draw(draws, http::path_id(req, "id", "draw"));
                    r.set_header("Content-Disposition", "attachment; filename=\"draw.json\"");
                    return r;
                },
                "The draw's published document, for `dure lottery verify FILE SEED`", "community"});

    router.add({"POST", "/api/v1/community/draws",
                [&draws, &ids, &events = api.events](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"title", "rule", "legal_basis", "seed_source", "winner_count", "event_id", "entrants",
                                  "dong_id", "organization_id"});
                    Draw d;
                    d.district_id = p.district_id;
                    d.title = r.string("title", true, 300).value_or("");
                    d.rule = r.string("rule", true, 2000).value_or("");
                    d.legal_basis = r.string("legal_basis", true, 1000).value_or("");
                    d.seed_source = r.string("seed_source", true, 1000).value_or("");
                    auto event_id = r.integer("event_id", false, 1, 1LL << 53);
                    d.winner_count = r.integer("winner_count", !event_id, 1, 100000).value_or(0);
                    d.dong_id = r.integer("dong_id", false, 0, 1LL << 53).value_or(0);
                    d.organization_id = r.integer("organization_id", false, 0, 1LL << 53).value_or(0);
                    d.created_by = p.account_id;
                    std::vector<DrawEntrant> entrants;
                    if (!event_id) {
                        auto list = body.if_contains("entrants");
                        if (!list || !list->is_array()) errors.add("entrants", "required", "[{code, name}], or an event_id");
                        else
                            for (const auto& x : list->as_array()) {
                                auto* o = x.if_object();
                                auto* code = o ? o->if_contains("code") : nullptr;
                                auto* name = o ? o->if_contains("name") : nullptr;
                                if (!code || !code->is_string() || (name && !name->is_string())) {
                                    errors.add("entrants", "invalid_entrant", "each entrant is {code, name}");
                                    break;
                                }
                                entrants.push_back({std::string(code->as_string()),
                                                    mask_name(name ? std::string(name->as_string()) : std::string()), 0, 0});
                            }
                    }
                    errors.throw_if_any();
                    long long now = store::now_unix(), id = 0;
                    if (event_id) {
                        auto e = events.event(*event_id);
                        identity::require_record(p, Action::manage_community,
                                                 e ? std::optional(target_of(*e)) : std::nullopt, "event");
                        id = draws.freeze_event(
                            d, *event_id,
                            [&ids](long long account) {
                                auto a = ids.store().account(account);
                                return mask_name(a ? a->name : "");
                            },
                            now);
                    } else {
                        identity::require(p, Action::manage_community, target_of(d));
                        id = draws.freeze(d, entrants, now);
                    }
                    return http::json_response(201, draw_json(draws, *draws.draw(id)));
                },
                "Freeze a draw before its seed is known: the entrants (an event's applications, or given codes with "
                "names that are published only masked), the rule, winners, seed source and legal basis",
                "community", false,
                R"({"type":"object","additionalProperties":false,)"
                R"("description":"entrants and winner_count, or an event_id","required":["title","rule","legal_basis",)"
                R"("seed_source"],"properties":{"title":{"type":"string","minLength":1,"maxLength":300},)"
                R"("rule":{"type":"string","minLength":1,"maxLength":2000},"legal_basis":{"type":"string",)"
                R"("minLength":1,"maxLength":1000},"seed_source":{"type":"string","minLength":1,"maxLength":1000},)"
                R"("winner_count":{"type":"integer","minimum":1,"maximum":100000,)"
                R"("description":"required without event_id"},"event_id":{"type":"integer","minimum":1,)"
                R"("maximum":9007199254740992},"entrants":{"type":"array","description":"required without event_id",)"
                R"("items":{"type":"object","required":["code"],"properties":{"code":{"type":"string"},)"
                R"("name":{"type":"string"}}}},"dong_id":{"type":"integer","minimum":0,"maximum":9007199254740992},)"
                R"("organization_id":{"type":"integer","minimum":0,"maximum":9007199254740992}}})",
                201});

    router.add({"POST", "/api/v1/community/draws/{id}/runs",
                [&draws, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto d = draws.draw(http::path_id(req, "id", "draw"));
                    identity::require_record(p, Action::manage_community, d ? std::optional(target_of(*d)) : std::nullopt,
                                             "draw");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"seed", "reason"});
                    auto seed = r.string("seed", true, 200);
                    auto reason = r.string("reason", false, 1000).value_or("");
                    errors.throw_if_any();
                    draws.run(d->id, *seed, reason, p.account_id, store::now_unix());
                    return http::json_response(201, draw_json(draws, *draws.draw(d->id)));
                },
                "Run the draw with the seed made public now; a second run needs a reason and is shown beside the first",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["seed"],)"
                R"("properties":{"seed":{"type":"string","minLength":1,"maxLength":200},"reason":{"type":"string",)"
                R"("maxLength":1000,"description":"required for a second run"}}})",
                201});
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/community/draws"},
             {"POST", "/api/v1/community/draws/{id}/runs"},
         })
        router.mark_idempotent(method, path);
}

namespace {

identity::Target target_of(const Space& x) {
    identity::Target t;
    t.district_id = x.district_id;
    t.dong_id = x.dong_id;
    t.organization_id = x.organization_id;
    return t;
}

json::object space_json(const Space& x) {
    return {{"id", x.id},           {"name", x.name},
            {"place", x.place},     {"capacity", x.capacity},
            {"opens_hour", x.opens_hour}, {"closes_hour", x.closes_hour},
            {"equipment", x.equipment},   {"accessibility", x.accessibility},
            {"fee_note", x.fee_note},     {"fee_source", x.fee_source},
            {"dong_id", x.dong_id},       {"organization_id", x.organization_id},
            {"forbidden_uses", "정치·종교·영리 목적 사용 불가 (political, religious, commercial use is not allowed)"}};
}

// Public: the hours taken, never who or why. Own and staff views add the purpose.
json::object booking_json(const Booking& b, bool full) {
    json::object o{{"id", b.id},           {"space_id", b.space_id}, {"day", b.day},
                   {"start_hour", b.start_hour}, {"end_hour", b.end_hour}, {"status", b.status},
                   {"series_id", b.series_id ? json::value(b.series_id) : json::value(nullptr)}};
    if (full) {
        o["purpose"] = b.purpose;
        o["attendees"] = b.attendees;
        o["decision_note"] = b.decision_note;
    }
    return o;
}

}  // namespace

void register_space_routes(http::Router& router, const Api& api) {
    auto& spaces = api.spaces;
    auto& ids = api.ids;
    auto dflt = api.default_district;

    router.add({"GET", "/api/v1/community/spaces",
                [&spaces, &ids, dflt](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    json::array items;
                    for (const auto& x : spaces.list(p.authenticated() ? p.district_id : dflt())) items.push_back(space_json(x));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Meeting spaces of the district (public): capacity, opening hours, equipment, accessibility, fees",
                "community"});

    router.add({"GET", "/api/v1/community/spaces/{id}",
                [&spaces](Request& req) {
                    auto x = spaces.space(http::path_id(req, "id", "space"));
                    if (!x) throw Error(ErrorKind::not_found, "no such space");
                    auto o = space_json(*x);
                    json::array busy;
                    for (const auto& b : spaces.of_space(x->id)) busy.push_back(booking_json(b, false));
                    o["bookings"] = std::move(busy);
                    return http::json_response(200, o);
                },
                "A space with the hours booked or requested (public: never who or why)", "community"});

    router.add({"GET", "/api/v1/community/spaces/{id}/calendar.ics",
                [&spaces](Request& req) {
                    auto x = spaces.space(http::path_id(req, "id", "space"));
                    if (!x) throw Error(ErrorKind::not_found, "no such space");
                    Response r;
                    r.content_type = "text/calendar; charset=utf-8";
                    r.body = icalendar(*x, spaces.of_space(x->id), store::now_unix());
                    return r;
                },
                "iCalendar feed of a space's bookings (requested TENTATIVE, approved CONFIRMED)", "community"});

    router.add({"POST", "/api/v1/community/spaces",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"name", "place", "capacity", "opens_hour", "closes_hour", "equipment", "accessibility",
                                  "fee_note", "fee_source", "dong_id", "organization_id"});
                    Space x;
                    x.district_id = p.district_id;
                    x.name = r.string("name", true, 100).value_or("");
                    x.place = r.string("place", false, 200).value_or("");
                    x.capacity = r.integer("capacity", true, 1, 10000).value_or(1);
                    x.opens_hour = r.integer("opens_hour", true, 0, 23).value_or(9);
                    x.closes_hour = r.integer("closes_hour", true, 1, 24).value_or(22);
                    x.equipment = r.string("equipment", false, 500).value_or("");
                    x.accessibility = r.string("accessibility", false, 500).value_or("");
                    x.fee_note = r.string("fee_note", false, 500).value_or("");
                    x.fee_source = r.string("fee_source", false, 500).value_or("");
                    x.dong_id = r.integer("dong_id", false, 0, 1LL << 53).value_or(0);
                    x.organization_id = r.integer("organization_id", false, 0, 1LL << 53).value_or(0);
                    if (!errors.has("closes_hour") && !errors.has("opens_hour") && x.closes_hour <= x.opens_hour)
                        errors.add("closes_hour", "before_opening", "closes after it opens, the same day");
                    if (!x.fee_note.empty() && x.fee_source.empty())
                        errors.add("fee_source", "required", "the ordinance the fee comes from");
                    errors.throw_if_any();
                    identity::require(p, Action::manage_community, target_of(x));
                    x.id = spaces.create(x, store::now_unix());
                    return http::json_response(201, space_json(x));
                },
                "Add a meeting space (organizers of its dong or organization)", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["name","capacity","opens_hour",)"
                R"("closes_hour"],"properties":{"name":{"type":"string","minLength":1,"maxLength":100},)"
                R"("place":{"type":"string","maxLength":200},"capacity":{"type":"integer","minimum":1,"maximum":10000},)"
                R"("opens_hour":{"type":"integer","minimum":0,"maximum":23},"closes_hour":{"type":"integer",)"
                R"("minimum":1,"maximum":24,"description":"after opens_hour"},"equipment":{"type":"string",)"
                R"("maxLength":500},"accessibility":{"type":"string","maxLength":500},"fee_note":{"type":"string",)"
                R"("maxLength":500},"fee_source":{"type":"string","maxLength":500,)"
                R"("description":"required with fee_note"},"dong_id":{"type":"integer","minimum":0,)"
                R"("maximum":9007199254740992},"organization_id":{"type":"integer","minimum":0,)"
                R"("maximum":9007199254740992}}})",
                201});

    router.add({"POST", "/api/v1/community/spaces/{id}/bookings",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto x = spaces.space(http::path_id(req, "id", "space"));
                    if (!x || x->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such space");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"day", "start_hour", "end_hour", "purpose", "attendees", "no_forbidden_use"});
                    Booking b;
                    b.space_id = x->id;
                    b.account_id = p.account_id;
                    b.day = r.string("day", true, 10).value_or("");
                    b.start_hour = r.integer("start_hour", true, -1000, 1000).value_or(0);
                    b.end_hour = r.integer("end_hour", true, -1000, 1000).value_or(0);
                    b.purpose = r.string("purpose", true, 500).value_or("");
                    b.attendees = r.integer("attendees", true, 0, 100000).value_or(0);
                    auto decl = body.if_contains("no_forbidden_use");
                    if (!decl || !decl->is_bool() || !decl->as_bool())
                        errors.add("no_forbidden_use", "declaration_required",
                                   "declare that the use is not political, religious or commercial (true)");
                    if (errors.empty()) check_booking(*x, b, errors);
                    errors.throw_if_any();
                    auto key = identity::idempotency_key(req, caller(p));
                    store::StoredAnswer answer;
                    try {
                        answer = store::run_idempotent(spaces.db(), key, identity::request_hash(req), [&](soci::session& s) {
                            auto booked = spaces.request_in(s, b, store::now_unix());
                            return std::pair{201, json::serialize(booking_json(booked, true))};
                        });
                    } catch (const Error&) {
                        throw;
                    } catch (const std::exception& e) {
                        if (!store::is_unique_violation(e)) throw;
                        throw already_booked();
                    }
                    return stored(answer);
                },
                "Request a booking by the hour (the applicant declares the purpose; staff approve); never a double "
                "booking",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["day","start_hour","end_hour","purpose",)"
                R"("attendees","no_forbidden_use"],"properties":{"day":{"type":"string","format":"date",)"
                R"("maxLength":10},"start_hour":{"type":"integer","minimum":0,"maximum":23,)"
                R"("description":"within the opening hours"},"end_hour":{"type":"integer","minimum":1,"maximum":24,)"
                R"("description":"after start_hour, within the opening hours"},"purpose":{"type":"string",)"
                R"("minLength":1,"maxLength":500},"attendees":{"type":"integer","minimum":1,"maximum":100000,)"
                R"("description":"at most the capacity"},"no_forbidden_use":{"type":"boolean","const":true,)"
                R"("description":"not political, religious or commercial"}}})",
                201});

    router.add({"POST", "/api/v1/community/spaces/{id}/bookings/series",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto x = spaces.space(http::path_id(req, "id", "space"));
                    if (!x || x->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such space");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"day", "weeks", "start_hour", "end_hour", "purpose", "attendees", "no_forbidden_use",
                                  "check_only"});
                    Booking b;
                    b.space_id = x->id;
                    b.account_id = p.account_id;
                    b.day = r.string("day", true, 10).value_or("");
                    auto weeks = r.integer("weeks", true, 2, kMaxSeriesWeeks).value_or(2);
                    b.start_hour = r.integer("start_hour", true, -1000, 1000).value_or(0);
                    b.end_hour = r.integer("end_hour", true, -1000, 1000).value_or(0);
                    bool check_only = false;
                    if (auto c = body.if_contains("check_only")) {
                        if (!c->is_bool()) errors.add("check_only", "not_a_boolean", "true or false");
                        else check_only = c->as_bool();
                    }
                    b.purpose = r.string("purpose", !check_only, 500).value_or("");
                    b.attendees = r.integer("attendees", !check_only, 0, 100000).value_or(check_only ? 1 : 0);
                    auto decl = body.if_contains("no_forbidden_use");
                    if (!check_only && (!decl || !decl->is_bool() || !decl->as_bool()))
                        errors.add("no_forbidden_use", "declaration_required",
                                   "declare that the use is not political, religious or commercial (true)");
                    if (errors.empty()) check_booking(*x, b, errors);
                    errors.throw_if_any();
                    auto days = weekly_days(b.day, static_cast<int>(weeks));
                    if (check_only) {
                        // Every conflict, date by date, before anything is saved.
                        auto taken = spaces.taken_hours(x->id, days, b.start_hour, b.end_hour);
                        json::array out;
                        for (std::size_t i = 0; i < days.size(); ++i) {
                            json::array hours;
                            for (auto h : taken[i]) hours.push_back(h);
                            out.push_back(json::object{{"day", days[i]}, {"free", taken[i].empty()},
                                                       {"taken_hours", std::move(hours)}});
                        }
                        return http::no_store(http::json_response(200, json::object{{"days", std::move(out)}}));
                    }
                    auto key = identity::idempotency_key(req, caller(p));
                    store::StoredAnswer answer;
                    try {
                        answer = store::run_idempotent(spaces.db(), key, identity::request_hash(req), [&](soci::session& s) {
                            json::array items;
                            for (const auto& booked : spaces.request_series_in(s, b, days, store::now_unix()))
                                items.push_back(booking_json(booked, true));
                            return std::pair{201, json::serialize(json::object{{"items", std::move(items)}})};
                        });
                    } catch (const Error&) {
                        throw;
                    } catch (const std::exception& e) {
                        // A racing booking took an hour between the check and the insert: nothing was saved.
                        if (!store::is_unique_violation(e)) throw;
                        throw Error(ErrorKind::conflict, "some of these hours were booked meanwhile; nothing was saved",
                                    {{"day", "already_booked", "a date of the series was booked meanwhile; check again"}});
                    }
                    return stored(answer);
                },
                "Request a weekly series of bookings (the same hours on the same weekday for `weeks` weeks): "
                "`check_only` lists each date's conflicts without saving; otherwise all dates are booked in one "
                "transaction or none (409, one error per booked date)",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["day","weeks","start_hour","end_hour"],)"
                R"("properties":{"day":{"type":"string","format":"date","maxLength":10,"description":"the first date"},)"
                R"("weeks":{"type":"integer","minimum":2,"maximum":26},"start_hour":{"type":"integer","minimum":0,)"
                R"("maximum":23},"end_hour":{"type":"integer","minimum":1,"maximum":24},"purpose":{"type":"string",)"
                R"("minLength":1,"maxLength":500,"description":"required unless check_only"},"attendees":{"type":"integer",)"
                R"("minimum":1,"maximum":100000,"description":"required unless check_only"},)"
                R"("no_forbidden_use":{"type":"boolean","const":true,"description":"required unless check_only"},)"
                R"("check_only":{"type":"boolean","default":false}}})",
                201});

    router.add({"GET", "/api/v1/community/bookings/mine",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    json::array items;
                    for (const auto& b : spaces.of_account(p.account_id)) items.push_back(booking_json(b, true));
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "The caller's own bookings", "community"});

    router.add({"GET", "/api/v1/community/spaces/{id}/requests",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto x = spaces.space(http::path_id(req, "id", "space"));
                    identity::require_record(p, Action::manage_community, x ? std::optional(target_of(*x)) : std::nullopt,
                                             "space");
                    json::array items;
                    for (const auto& b : spaces.of_space(x->id)) items.push_back(booking_json(b, true));
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "A space's bookings with their declared purposes, for approval (organizers)", "community"});

    router.add({"POST", "/api/v1/community/bookings/{id}/decision",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto b = spaces.booking(http::path_id(req, "id", "booking"));
                    auto x = b ? spaces.space(b->space_id) : std::nullopt;
                    identity::require_record(p, Action::manage_community, x ? std::optional(target_of(*x)) : std::nullopt,
                                             "booking");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"decision", "note"});
                    auto d = r.string("decision", true, 10).value_or("");
                    auto note = r.string("note", false, 500).value_or("");
                    if (!d.empty() && d != "approve" && d != "reject") errors.add("decision", "unknown_code", "approve or reject");
                    if (d == "reject" && note.empty()) errors.add("note", "required", "the reason for the applicant");
                    errors.throw_if_any();
                    auto out = spaces.decide(b->id, d == "approve" ? "approved" : "rejected", p.account_id, note,
                                             store::now_unix());
                    return http::no_store(http::json_response(200, booking_json(out, true)));
                },
                "Approve or reject a booking request (organizers); a rejection gives the hours back", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["decision"],)"
                R"("properties":{"decision":{"type":"string","enum":["approve","reject"]},"note":{"type":"string",)"
                R"("maxLength":500,"description":"required to reject"}}})"});

    router.add({"POST", "/api/v1/community/bookings/{id}/cancel",
                [&spaces, &ids](Request& req) {
                    auto p = login(ids, req);
                    auto b = spaces.booking(http::path_id(req, "id", "booking"));
                    auto x = b ? spaces.space(b->space_id) : std::nullopt;
                    if (!b || b->account_id != p.account_id)
                        identity::require_record(p, Action::manage_community,
                                                 x ? std::optional(target_of(*x)) : std::nullopt, "booking");
                    auto out = spaces.decide(b->id, "cancelled", p.account_id, "", store::now_unix());
                    return http::no_store(http::json_response(200, booking_json(out, true)));
                },
                "Cancel a booking (its applicant or the organizers); the hours are freed", "community", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/community/spaces"},
             {"POST", "/api/v1/community/bookings/{id}/decision"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::community
