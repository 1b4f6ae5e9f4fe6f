// HTTP routes of the sharing market (나눔장터): public listings without owners, members list, ask,
// pick and hand over; reports hide a listing until staff review it (docs/community.md).
#include <boost/json.hpp>

#include "community/api.hpp"
#include "community/draw.hpp"
#include "community/market.hpp"
#include "community/rules.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::community {

namespace json = boost::json;
using http::Request;
using identity::Action;

namespace {

identity::Principal member(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

// What anyone sees: never the owner or who asked.
json::object item_json(const MarketItem& x) {
    return {{"id", x.id},       {"kind", x.kind},     {"title", x.title}, {"description", x.description},
            {"dong_id", x.dong_id}, {"handover_place", x.handover_place}, {"status", x.status},
            {"created_at", x.created_at}};
}

identity::Target target_of(const MarketItem& x) {
    identity::Target t;
    t.district_id = x.district_id;
    t.dong_id = x.dong_id;
    return t;
}

// The owner's own item, or 404 (another person's item is not theirs to move).
MarketItem owned(MarketStore& market, const Request& req, const identity::Principal& p) {
    auto x = market.item(http::path_id(req, "id", "item"));
    if (!x || x->owner_id != p.account_id) throw Error(ErrorKind::not_found, "no such item of yours");
    return *x;
}

}  // namespace

void register_market_routes(http::Router& router, const Api& api) {
    auto& market = api.market;
    auto& ids = api.ids;
    auto dflt = api.default_district;

    router.add({"GET", "/api/v1/community/market",
                [&market, &ids, dflt](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    json::array items;
                    for (const auto& x : market.visible(p.authenticated() ? p.district_id : dflt())) items.push_back(item_json(x));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Sharing market listings (public): things to give away or lend, never who listed or asked", "community"});

    router.add({"POST", "/api/v1/community/market",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"kind", "title", "description", "dong_id", "handover_place"});
                    MarketItem x;
                    x.district_id = p.district_id;
                    x.owner_id = p.account_id;
                    x.kind = r.string("kind", true, 10).value_or("");
                    x.title = r.string("title", true, 100).value_or("");
                    x.description = r.string("description", false, 2000).value_or("");
                    x.dong_id = r.integer("dong_id", true, 1, 1LL << 53).value_or(0);
                    x.handover_place = r.string("handover_place", true, 200).value_or("");
                    if (!x.kind.empty() && x.kind != "give" && x.kind != "lend")
                        errors.add("kind", "unknown_code", "give or lend");
                    if (mentions_price(x.title))
                        errors.add("title", "price_not_allowed", "no prices: things here are given or lent free");
                    if (mentions_price(x.description))
                        errors.add("description", "price_not_allowed", "no prices: things here are given or lent free");
                    errors.throw_if_any();
                    x.id = market.create(x, store::now_unix());
                    return http::json_response(201, item_json(*market.item(x.id)));
                },
                "List something to give away or lend (members); no price, no money", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["kind","title","dong_id","handover_place"],)"
                R"("properties":{"kind":{"type":"string","enum":["give","lend"]},"title":{"type":"string","minLength":1,)"
                R"("maxLength":100,"description":"no price"},"description":{"type":"string","maxLength":2000,)"
                R"("description":"no price"},"dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("handover_place":{"type":"string","minLength":1,"maxLength":200,)"
                R"("description":"a space or a dong centre"}}})",
                201});

    router.add({"GET", "/api/v1/community/market/mine",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    json::array mine, asked;
                    for (const auto& x : market.of_owner(p.account_id)) {
                        auto o = item_json(x);
                        o["hidden"] = x.hidden;
                        o["moderation_note"] = x.moderation_note;
                        json::array rs;
                        for (const auto& r : market.requests(x.id)) {
                            auto a = ids.store().account(r.account_id);
                            // The giver sees a masked name and the message, never contact details.
                            rs.push_back(json::object{{"id", r.id}, {"name", mask_name(a ? a->name : "")},
                                                      {"message", r.message}, {"status", r.status}});
                        }
                        o["requests"] = std::move(rs);
                        mine.push_back(std::move(o));
                    }
                    for (const auto& r : market.requests_of(p.account_id)) {
                        auto x = market.item(r.item_id);
                        asked.push_back(json::object{{"id", r.id}, {"item_id", r.item_id}, {"status", r.status},
                                                     {"title", x ? json::value(x->title) : json::value(nullptr)},
                                                     {"handover_place", x && r.status == "chosen" ? json::value(x->handover_place)
                                                                                                  : json::value(nullptr)}});
                    }
                    return http::no_store(
                        http::json_response(200, json::object{{"items", std::move(mine)}, {"requests", std::move(asked)}}));
                },
                "The caller's listings with the requests for them (masked names), and the caller's own requests",
                "community"});

    router.add({"POST", "/api/v1/community/market/{id}/requests",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    long long id = http::path_id(req, "id", "item");
                    auto x = market.item(id);
                    if (!x || x->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such item");
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"message"});
                    auto message = r.string("message", false, 500).value_or("");
                    errors.throw_if_any();
                    auto out = market.ask(id, p.account_id, message, store::now_unix());
                    return http::no_store(http::json_response(201, json::object{{"id", out.id}, {"item_id", out.item_id},
                                                                                {"status", out.status}}));
                },
                "Ask for a listed item (members; not one's own; once)", "community", false,
                R"({"type":"object","additionalProperties":false,"x-body-optional":true,)"
                R"("properties":{"message":{"type":"string","maxLength":500}}})",
                201});

    router.add({"POST", "/api/v1/community/market/{id}/choose",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    auto x = owned(market, req, p);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"request_id"});
                    auto rid = r.integer("request_id", true, 1, 1LL << 53).value_or(0);
                    errors.throw_if_any();
                    return http::no_store(http::json_response(200, item_json(market.choose(x.id, rid, store::now_unix()))));
                },
                "The giver picks who receives it (one reservation, whatever the concurrency); the chosen is told "
                "where to pick it up",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["request_id"],)"
                R"("properties":{"request_id":{"type":"integer","minimum":1,"maximum":9007199254740992}}})"});

    router.add({"POST", "/api/v1/community/market/{id}/state",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    auto x = owned(market, req, p);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"status"});
                    auto to = r.string("status", true, 20).value_or("");
                    if (!to.empty() && to != "handed_over" && to != "listed" && to != "withdrawn")
                        errors.add("status", "unknown_code", "handed_over, listed (released or returned) or withdrawn");
                    errors.throw_if_any();
                    return http::no_store(http::json_response(200, item_json(market.move(x.id, to, store::now_unix()))));
                },
                "The giver moves the item on: handed over, released or returned (a loan), withdrawn", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["status"],)"
                R"("properties":{"status":{"type":"string","enum":["handed_over","listed","withdrawn"]}}})"});

    router.add({"POST", "/api/v1/community/market/{id}/report",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    auto x = market.item(http::path_id(req, "id", "item"));
                    if (!x || x->district_id != p.district_id) throw Error(ErrorKind::not_found, "no such item");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"reason"});
                    auto reason = r.string("reason", true, 500).value_or("");
                    errors.throw_if_any();
                    market.report(x->id, p.account_id, reason, store::now_unix());
                    return http::no_store(http::json_response(200, json::object{{"id", x->id}, {"hidden", true}}));
                },
                "Report a listing (members, once each): it is hidden until staff review it", "community", false,
                R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                R"("properties":{"reason":{"type":"string","minLength":1,"maxLength":500}}})"});

    router.add({"GET", "/api/v1/community/market/review",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    // Only staff who may ever moderate see the queue (an empty one included).
                    if (!identity::may_ever(p, Action::manage_community)) throw Error(ErrorKind::forbidden, "staff only");
                    json::array items;
                    for (const auto& x : market.to_review(p.district_id)) {
                        if (!identity::authorize(p, Action::manage_community, target_of(x)).allowed) continue;
                        auto o = item_json(x);
                        o["reports"] = x.reports;
                        items.push_back(std::move(o));
                    }
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "Reported listings awaiting review (staff of their dong)", "community"});

    router.add({"POST", "/api/v1/community/market/{id}/review",
                [&market, &ids](Request& req) {
                    auto p = member(ids, req);
                    auto x = market.item(http::path_id(req, "id", "item"));
                    identity::require_record(p, Action::manage_community, x ? std::optional(target_of(*x)) : std::nullopt,
                                             "item");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"decision", "note"});
                    auto d = r.string("decision", true, 10).value_or("");
                    auto note = r.string("note", false, 500).value_or("");
                    if (!d.empty() && d != "restore" && d != "remove") errors.add("decision", "unknown_code", "restore or remove");
                    if (d == "remove" && note.empty()) errors.add("note", "required", "the reason for the person who listed it");
                    errors.throw_if_any();
                    return http::no_store(http::json_response(200, item_json(market.review(x->id, d, note, store::now_unix()))));
                },
                "Review a reported listing (staff of its dong): restore it or remove it with a reason; its owner is told",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["decision"],)"
                R"("properties":{"decision":{"type":"string","enum":["restore","remove"]},"note":{"type":"string",)"
                R"("maxLength":500,"description":"required to remove"}}})"});

    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/community/market"},
             {"POST", "/api/v1/community/market/{id}/requests"},
             {"POST", "/api/v1/community/market/{id}/choose"},
             {"POST", "/api/v1/community/market/{id}/state"},
             {"POST", "/api/v1/community/market/{id}/report"},
             {"POST", "/api/v1/community/market/{id}/review"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::community
