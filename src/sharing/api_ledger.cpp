// Routes of the hours ledger: recording, confirming, reversing, the council report and the review.
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

void ledger_routes(http::Router& router, std::shared_ptr<Ctx> ctx) {

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

}  // namespace dure::sharing::api
