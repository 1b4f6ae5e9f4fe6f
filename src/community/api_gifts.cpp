// What an event gives away (10 kg of kimchi per participant to the family centre) recorded as an
// in-kind gift in the giving module's ledger, through its public store (src/giving/store.hpp), in
// one transaction with the link to the event (docs/community.md "In-kind gifts").
#include <soci/soci.h>

#include <boost/json.hpp>

#include "common/dates.hpp"
#include "community/api.hpp"
#include "community/events.hpp"
#include "giving/store.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::community {

namespace json = boost::json;
using http::Request;
using identity::Action;

void register_event_gift_routes(http::Router& router, const Api& api) {
    auto& events = api.events;
    auto& ids = api.ids;
    const identity::Keyring* keys = api.keys;

    router.add({"GET", "/api/v1/community/events/{id}/gifts",
                [&events](Request& req) {
                    auto e = events.event(http::path_id(req, "id", "event"));
                    if (!e) throw Error(ErrorKind::not_found, "no such event");
                    json::array items;
                    events.db().read([&](soci::session& s) {
                        long long gift = 0, amount = 0, at = 0;
                        std::string code, what, to;
                        soci::statement st = (s.prepare << "SELECT gift_id, campaign_code, items, recipient, amount_krw, "
                                                           "created_at FROM community_event_gifts WHERE event_id = :e ORDER BY id",
                                              soci::into(gift), soci::into(code), soci::into(what), soci::into(to),
                                              soci::into(amount), soci::into(at), soci::use(e->id));
                        st.execute();
                        while (st.fetch())
                            items.push_back(json::object{{"gift_id", gift}, {"campaign_code", code}, {"items", what},
                                                         {"recipient", to}, {"amount_krw", amount}, {"recorded_at", at}});
                    });
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "What the event gave away (public): items, recipient, valuation, and the giving ledger's gift number",
                "community"});

    router.add({"POST", "/api/v1/community/events/{id}/gifts",
                [&events, &ids, keys](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto e = events.event(http::path_id(req, "id", "event"));
                    std::optional<identity::Target> t;
                    if (e) t = identity::Target{e->district_id, e->dong_id, e->organization_id, 0};
                    identity::require_record(p, Action::manage_community, t, "event");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"campaign_code", "designation_code", "items", "recipient", "amount_krw", "valuation_basis"});
                    auto code = r.string("campaign_code", true, 64).value_or("");
                    auto des = r.string("designation_code", false, 64).value_or("general");
                    auto items = r.string("items", true, 500).value_or("");
                    auto recipient = r.string("recipient", true, 200).value_or("");
                    auto amount = r.integer("amount_krw", true, 1, 10'000'000'000'000LL).value_or(0);
                    auto basis = r.string("valuation_basis", true, 500).value_or("");
                    errors.throw_if_any();
                    giving::GivingStore giving(events.db(), *keys);
                    auto campaign = giving.campaign(code);
                    if (!campaign || campaign->district_id != e->district_id)
                        throw Error(ErrorKind::validation, "no such campaign",
                                    {{"campaign_code", "not_found", "no campaign with this code in the district"}});
                    long long designation = 0;
                    for (const auto& d : giving.designations(campaign->id))
                        if (d.code == des) designation = d.id;
                    if (!designation)
                        throw Error(ErrorKind::validation, "no such designation",
                                    {{"designation_code", "not_found", "no designation with this code in the campaign"}});
                    giving::NewGift g;
                    g.campaign_id = campaign->id;
                    g.designation_id = designation;
                    g.dong_id = e->dong_id;
                    g.channel = "counter";
                    g.form = "in_kind";
                    g.amount_krw = amount;
                    g.items = items + " → " + recipient + " (행사: " + e->title + ")";
                    g.valuation_basis = basis;
                    g.donor_kind = "organization";
                    g.display = "anonymous";
                    g.given_on = today_seoul();
                    g.entered_by = p.account_id;
                    long long gift = 0, now = store::now_unix();
                    events.db().write([&](soci::session& s) {
                        gift = giving.add_gift(s, g, now);
                        s << "INSERT INTO community_event_gifts (event_id, gift_id, campaign_code, items, recipient, amount_krw, "
                             "recorded_by, created_at) VALUES (:e, :g, :c, :i, :r, :a, :b, :t)",
                            soci::use(e->id), soci::use(gift), soci::use(code), soci::use(items), soci::use(recipient),
                            soci::use(amount), soci::use(p.account_id), soci::use(now);
                    });
                    return http::json_response(201, json::object{{"gift_id", gift}, {"campaign_code", code}, {"items", items},
                                                                 {"recipient", recipient}, {"amount_krw", amount}});
                },
                "Record what the event gives away as an in-kind gift in a giving campaign's ledger (organizers), in "
                "one transaction with its link to the event",
                "community", false,
                R"({"type":"object","additionalProperties":false,"required":["campaign_code","items","recipient",)"
                R"("amount_krw","valuation_basis"],"properties":{"campaign_code":{"type":"string","minLength":1,)"
                R"("maxLength":64},"designation_code":{"type":"string","maxLength":64,"default":"general"},)"
                R"("items":{"type":"string","minLength":1,"maxLength":500,"description":"e.g. 김장김치 10kg x 20"},)"
                R"("recipient":{"type":"string","minLength":1,"maxLength":200},"amount_krw":{"type":"integer",)"
                R"("minimum":1,"maximum":10000000000000,"description":"the valuation in KRW"},)"
                R"("valuation_basis":{"type":"string","minLength":1,"maxLength":500}}})",
                201});
    router.mark_idempotent("POST", "/api/v1/community/events/{id}/gifts");
}

}  // namespace dure::community
