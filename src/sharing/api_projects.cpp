// Routes of projects (사업): a manager opens one with a schedule (a date, or an RRULE subset
// expanded into shifts); anyone reads open projects and their shifts; volunteers join and leave
// shifts, the database keeping each within its capacity.
#include <soci/soci.h>

#include <boost/json.hpp>

#include "common/dates.hpp"
#include "common/error.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/service.hpp"
#include "sharing/api_support.hpp"
#include "sharing/schedule.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

namespace dure::sharing::api {

using http::Request;
using http::Response;
using identity::Action;

namespace {

constexpr std::size_t kMaxShifts = 200;  // shifts made from one schedule
constexpr int kHorizonDays = 366;        // how far ahead a recurring schedule is expanded

const char* org_ko(const std::string& o) {
    return o == "dong_centre" ? "동 행정복지센터" : o == "welfare_centre" ? "복지관" : o == "council" ? "지역사회보장협의체" : "구청";
}

json::object project_json(Ctx& c, const Project& p) {
    const auto* sf = c.tax.find(p.subfield);
    return {{"id", p.id},
            {"title", p.title},
            {"subfield", p.subfield},
            {"subfield_ko", sf ? sf->name_ko : ""},
            {"field", sf ? sf->field : ""},
            {"dong_id", p.dong_id ? json::value(p.dong_id) : json::value(nullptr)},
            {"dong_ko", p.dong_id ? dong_name(c, p.district_id, p.dong_id) : std::string("구 전체")},
            {"organization", p.organization},
            {"organization_ko", org_ko(p.organization)},
            {"dtstart", p.dtstart},
            {"rrule", p.rrule},
            {"start_minute", p.start_minute},
            {"minutes", p.minutes},
            {"slots", p.slots},
            {"status", p.status},
            {"upcoming_shifts", p.shifts},
            {"places_left", p.places_left}};
}

}  // namespace

void project_routes(http::Router& router, std::shared_ptr<Ctx> ctx) {
    router.add({"POST", "/api/v1/sharing/projects",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    if (!identity::may_ever(p, Action::manage_sharing))
                        throw Error(ErrorKind::forbidden, "projects are opened by a manager");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"title", "subfield", "dong_id", "organization", "dtstart", "rrule", "start_minute", "minutes",
                                  "slots"});
                    auto title = r.string("title", true, 100);
                    auto sub = r.string("subfield", true, 10);
                    if (sub && !ctx->tax.find(*sub)) errors.add("subfield", "unknown_subfield", "a sub-field code of /api/v1/sharing/fields");
                    long long dong = 0;
                    if (auto* d = body.if_contains("dong_id"); d && !d->is_null()) {
                        auto v = r.integer("dong_id", false, 1, 1LL << 53);
                        if (v && !dong_in(*ctx, p.district_id, *v)) errors.add("dong_id", "unknown_dong", "a dong of your district, or null for all");
                        dong = v.value_or(0);
                    }
                    auto org = r.string("organization", true, 20);
                    if (org && *org != "dong_centre" && *org != "welfare_centre" && *org != "council" && *org != "district")
                        errors.add("organization", "unknown_code", "dong_centre, welfare_centre, council or district");
                    auto dtstart = r.string("dtstart", true, 10);
                    std::string today = today_seoul();
                    if (dtstart && day_number(*dtstart) < 0) errors.add("dtstart", "not_a_date", "YYYY-MM-DD");
                    else if (dtstart && *dtstart < today) errors.add("dtstart", "in_the_past", "today or later");
                    auto rule_text = r.string("rrule", false, 200).value_or("");
                    auto start = r.integer("start_minute", true, 0, 1439);
                    auto minutes = r.integer("minutes", true, 1, 1440);
                    if (start && minutes && *start + *minutes > 1440) errors.add("minutes", "past_midnight", "within the day");
                    auto slots = r.integer("slots", true, 1, 500);
                    std::vector<std::string> days;
                    std::string canonical;
                    if (errors.empty()) {
                        if (rule_text.empty()) {
                            days = {*dtstart};
                        } else {
                            auto rule = parse_rrule(rule_text, "rrule");  // 422 naming rrule
                            canonical = to_string(rule);
                            long long horizon = day_number(*dtstart) + kHorizonDays;
                            days = expand(rule, *dtstart, kMaxShifts, day_of(horizon * 86400));
                            if (days.empty()) errors.add("rrule", "no_dates", "the rule gives no date within a year of dtstart");
                        }
                    }
                    errors.throw_if_any();
                    // A dong project: a manager of that dong; a district-wide one: a district-wide manager.
                    identity::require(p, Action::manage_sharing, target(p.district_id, dong));
                    Project pr;
                    pr.district_id = p.district_id;
                    pr.dong_id = dong;
                    pr.subfield = *sub;
                    pr.title = *title;
                    pr.organization = *org;
                    pr.manager_account_id = p.account_id;
                    pr.dtstart = *dtstart;
                    pr.rrule = canonical;
                    pr.start_minute = static_cast<int>(*start);
                    pr.minutes = static_cast<int>(*minutes);
                    pr.slots = static_cast<int>(*slots);
                    pr.created_by = p.account_id;
                    pr.created_at = store::now_unix();
                    return idempotent(*ctx, req, p, [&](soci::session& s) {
                        long long id = ctx->store.insert_project(s, pr, days);
                        return std::pair{201, json::serialize(json::object{{"id", id}, {"rrule", canonical},
                                                                           {"shifts", days.size()},
                                                                           {"first", days.front()}, {"last", days.back()}})};
                    });
                },
                "Open a project (사업): a sub-field, a dong or the whole district, the organization that runs it, a "
                "date or a recurring schedule (RRULE subset: FREQ=DAILY/WEEKLY/MONTHLY, INTERVAL, BYDAY, COUNT, UNTIL) "
                "expanded into shifts of `slots` places (at most 200 shifts within a year). Managers. Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["title","subfield","organization","dtstart",)"
                R"("start_minute","minutes","slots"],"properties":{"title":{"type":"string","minLength":1,"maxLength":100},)"
                R"("subfield":{"type":"string","minLength":1,"maxLength":10},"dong_id":{"type":["integer","null"],)"
                R"("minimum":1,"maximum":9007199254740992,"description":"null or absent: the whole district"},)"
                R"("organization":{"type":"string","enum":["dong_centre","welfare_centre","council","district"]},)"
                R"("dtstart":{"type":"string","format":"date","maxLength":10,"description":"today or later"},)"
                R"("rrule":{"type":"string","maxLength":200,"description":"RFC 5545 subset; absent: one-off on dtstart",)"
                R"("examples":["FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"]},"start_minute":{"type":"integer","minimum":0,)"
                R"("maximum":1439},"minutes":{"type":"integer","minimum":1,"maximum":1440},"slots":{"type":"integer",)"
                R"("minimum":1,"maximum":500,"description":"places per shift"}}})",
                201});

    router.add({"GET", "/api/v1/sharing/projects",
                [ctx](Request& req) {
                    json::array items;
                    for (const auto& pr : ctx->store.projects(ctx->default_district(), today_seoul()))
                        items.push_back(project_json(*ctx, pr));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Open projects with their schedule and places left (anyone)", "sharing"});

    router.add({"GET", "/api/v1/sharing/projects/{id}",
                [ctx](Request& req) {
                    long long id = http::path_id(req, "id", "project");
                    auto pr = ctx->store.project(id, today_seoul());
                    if (!pr || pr->district_id != ctx->default_district()) throw Error(ErrorKind::not_found, "no such project");
                    auto who = identity::principal_of(ctx->ids, req);
                    json::array shifts;
                    for (const auto& h : ctx->store.shifts(id, today_seoul(), who.authenticated() ? who.account_id : 0))
                        shifts.push_back(json::object{{"id", h.id}, {"day", h.day}, {"start_minute", h.start_minute},
                                                      {"minutes", h.minutes}, {"capacity", h.capacity},
                                                      {"places_left", h.capacity - h.taken}, {"joined", h.joined}});
                    auto j = project_json(*ctx, *pr);
                    j["shifts"] = std::move(shifts);
                    return http::no_store(http::json_response(200, j));
                },
                "A project and its upcoming shifts with places left (anyone; `joined` for the caller)", "sharing"});

    auto shift_step = [ctx](bool join) {
        return [ctx, join](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", "shift");
            if (!req.body.empty()) {
                auto body = http::parse_json_object(req);
                FieldErrors errors;
                http::BodyReader(body, errors).allow_only({});
                errors.throw_if_any();
            }
            long long now = store::now_unix();
            std::string today = today_seoul();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                Project pr;
                auto h = ctx->store.shift(s, id, &pr);
                if (!h || pr.district_id != p.district_id) throw Error(ErrorKind::not_found, "no such shift");
                if (h->day < today) throw Error(ErrorKind::conflict, "the shift is over");
                if (!join) {
                    if (!ctx->store.leave_shift(s, id, p.account_id, now))
                        throw Error(ErrorKind::conflict, "you are not in this shift");
                    return std::pair{200, json::serialize(json::object{{"shift_id", id}, {"status", "left"}})};
                }
                if (pr.status != "open") throw Error(ErrorKind::conflict, "the project is closed");
                // The sub-field's vetting level: above none, the volunteer needs an approved offer
                // checked at that level (the same rule as a connection).
                const auto* sf = ctx->tax.find(pr.subfield);
                if (sf && sf->vetting > Vetting::none) {
                    bool vetted = false;
                    for (const auto& o : ctx->store.offers_of(p.account_id))
                        vetted = vetted || (o.status == "approved" &&
                                            parse_vetting(o.vetted_level).value_or(Vetting::none) >= sf->vetting);
                    if (!vetted)
                        throw Error(ErrorKind::forbidden,
                                    "this project needs " + std::string(to_string(sf->vetting)) +
                                        " checked first: offer help (도와주고 싶어요) and a manager will check it");
                }
                auto result = ctx->store.join_shift(s, id, p.account_id, now);
                if (result == JoinResult::already) throw Error(ErrorKind::conflict, "you are already in this shift");
                if (result == JoinResult::full)
                    throw Error(ErrorKind::conflict, "the shift is full", {{"shift", "full", "no place left in this shift"}});
                return std::pair{201, json::serialize(json::object{{"shift_id", id}, {"status", "joined"}})};
            });
        };
    };
    router.add({"POST", "/api/v1/sharing/shifts/{id}/join", shift_step(true),
                "Join a shift (a resident; the sub-field's vetting level applies). Never over capacity: a conditional "
                "update in the database. Idempotency-Key honoured",
                "sharing", false, R"({"type":"object","additionalProperties":false,"properties":{},"x-body-optional":true})", 201});
    router.add({"POST", "/api/v1/sharing/shifts/{id}/leave", shift_step(false),
                "Leave a shift I joined (the place is freed). Idempotency-Key honoured", "sharing", false,
                R"({"type":"object","additionalProperties":false,"properties":{},"x-body-optional":true})"});
}

}  // namespace dure::sharing::api
