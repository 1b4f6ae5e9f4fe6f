// Routes of connections: proposing, the lifecycle steps, and the staged release of contact.
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

void connection_routes(http::Router& router, std::shared_ptr<Ctx> ctx) {
    router.add({"POST", "/api/v1/sharing/connections",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"need_id", "offer_id"});
                    auto need_id = r.integer("need_id", true, 1, 1LL << 53);
                    auto offer_id = r.integer("offer_id", true, 1, 1LL << 53);
                    errors.throw_if_any();
                    auto n = ctx->store.need(*need_id);
                    identity::require_record(p, Action::manage_sharing,
                                             n && n->district_id == p.district_id ? std::optional(target(n->district_id, n->dong_id))
                                                                                  : std::nullopt,
                                             "need");
                    auto o = ctx->store.offer(*offer_id);
                    if (!o || o->district_id != n->district_id) errors.add("offer_id", "unknown_offer", "no such offer in this district");
                    else if (o->status != "approved") errors.add("offer_id", "not_approved", "the offer is not vetted yet");
                    else if ((o->who.account_id && o->who.account_id == n->who.account_id) ||
                             (o->who.person_id && o->who.person_id == n->who.person_id))
                        errors.add("offer_id", "self_match", "a helper cannot be matched with themselves");
                    else if (std::find(o->subfields.begin(), o->subfields.end(), n->subfield) == o->subfields.end())
                        errors.add("offer_id", "other_subfield", "the offer does not cover " + n->subfield);
                    else if (const auto* sf = ctx->tax.find(n->subfield);
                             sf && parse_vetting(o->vetted_level).value_or(Vetting::none) < sf->vetting)
                        errors.add("offer_id", "below_required_level",
                                   "the helper needs " + std::string(to_string(sf->vetting)) + " checked for " + n->subfield);
                    if (n->status != "open") errors.add("need_id", "not_open", "the need is " + n->status);
                    errors.throw_if_any();
                    long long now = store::now_unix();
                    return idempotent(
                        *ctx, req, p,
                        [&](soci::session& s) {
                            long long id = ctx->store.insert_connection(s, *n, *o, p.account_id, now);
                            std::string sub = ctx->tax.find(n->subfield)->name_ko;
                            tell(*ctx, s, inbox_of(o->who, o->entered_by), "sharing_proposed", "도움 연결 제안: " + sub,
                                 "담당자가 이웃과 연결을 제안했습니다. 나의 참여에서 수락해 주세요.", now);
                            tell(*ctx, s, inbox_of(n->who, n->entered_by), "sharing_proposed", "도움 연결 제안: " + sub,
                                 "도와줄 이웃을 찾았습니다. 나의 참여에서 수락해 주세요.", now);
                            return std::pair{201, json::serialize(json::object{{"id", id}, {"status", "proposed"}})};
                        },
                        "need_id");
                },
                "Connect a need with a vetted offer (a manager decides; one live connection per need, enforced by the "
                "database). Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["need_id","offer_id"],)"
                R"("properties":{"need_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
                R"("offer_id":{"type":"integer","minimum":1,"maximum":9007199254740992}}})",
                201});

    // Accept, start, complete, cancel: one conditional update each, in one transaction with the words.
    auto change = [ctx](std::string what) {
        return [ctx, what](Request& req) {
            auto p = login(*ctx, req);
            long long id = http::path_id(req, "id", "connection");
            auto k = ctx->store.connection(id);
            std::string role = k ? who_am_i(p, *k) : "";
            bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
            if (!k || (role.empty() && !manager))
                identity::require_record(p, Action::manage_sharing,
                                         k && k->district_id == p.district_id ? std::optional(target(k->district_id, k->dong_id))
                                                                              : std::nullopt,
                                         "connection");
            auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
            FieldErrors errors;
            http::BodyReader r(body, errors);
            r.allow_only({"reason", "feedback", "on_behalf_of", "consent_method"});
            auto reason = r.string("reason", what == "cancel", 500).value_or("");
            auto feedback = r.string("feedback", false, 500).value_or("");
            auto behalf = r.string("on_behalf_of", false, 10).value_or("");
            auto consent = r.string("consent_method", false, 20).value_or("");
            if (what == "accept" && role.empty()) {
                // A manager accepts for a side entered on a person's behalf, with that person's consent.
                if (behalf != "helper" && behalf != "recipient")
                    errors.add("on_behalf_of", "required", "helper or recipient (a side without an account)");
                else if ((behalf == "helper" ? k->helper : k->recipient).account_id)
                    errors.add("on_behalf_of", "has_account", "that side accepts for themselves");
                if (consent != "in_person" && consent != "phone" && consent != "paper")
                    errors.add("consent_method", "unknown_code", "in_person, phone or paper");
                role = behalf;
            }
            if ((what == "start") && role == "recipient" && !manager)
                throw Error(ErrorKind::forbidden, "the helper or the manager starts a connection");
            errors.throw_if_any();
            long long now = store::now_unix();
            return idempotent(*ctx, req, p, [&](soci::session& s) {
                bool ok = false;
                std::string to;
                if (what == "accept") {
                    ok = ctx->store.step(s, id, "proposed", "proposed", role + "_accepted_at", now,
                                         role == "recipient" ? "recipient_accept_method" : "",
                                         consent.empty() ? "self" : consent);
                    auto after = ctx->store.connection(s, id);
                    to = "proposed";
                    if (ok && after->helper_accepted_at && after->recipient_accepted_at) {
                        ctx->store.step(s, id, "proposed", "accepted", "", 0);
                        to = "accepted";
                    }
                } else if (what == "start") {
                    ok = ctx->store.step(s, id, "accepted", "active", "started_at", now);
                    to = "active";
                } else if (what == "complete") {
                    ok = ctx->store.step(s, id, "accepted,active", "completed", "ended_at", now,
                                         role == "recipient" ? "recipient_feedback" : "helper_feedback", feedback);
                    if (ok) ctx->store.set_need_status(s, k->need_id, "served");
                    to = "completed";
                } else {
                    ok = ctx->store.step(s, id, "proposed,accepted,active", "cancelled", "ended_at", now, "cancel_reason",
                                         reason);
                    to = "cancelled";
                }
                if (!ok) throw Error(ErrorKind::conflict, "the connection is " + k->status + "; it cannot be " + what + "ed now");
                if (to != "proposed") {
                    auto o = ctx->store.offer(s, k->offer_id);
                    auto n = ctx->store.need(s, k->need_id);
                    std::string title = to == "accepted"    ? "연결이 확정되었습니다: 연락처를 확인하세요"
                                        : to == "active"    ? "도움이 시작되었습니다"
                                        : to == "completed" ? "도움이 완료되었습니다. 감사합니다"
                                                            : "연결이 취소되었습니다";
                    std::string text = to == "cancelled" ? "사유: " + reason : "나의 참여에서 확인하세요.";
                    tell(*ctx, s, inbox_of(o->who, o->entered_by), "sharing_" + to, title, text, now);
                    tell(*ctx, s, inbox_of(n->who, n->entered_by), "sharing_" + to, title, text, now);
                }
                return std::pair{200, json::serialize(json::object{{"id", id}, {"status", to}})};
            });
        };
    };
    for (const char* w : {"accept", "start", "complete", "cancel"})
        router.add({"POST", std::string("/api/v1/sharing/connections/{id}/") + w, change(w),
                    std::string(w) == "accept"     ? "Accept a proposed connection (each side; both: contact released)"
                    : std::string(w) == "start"    ? "Start an accepted connection (helper or manager)"
                    : std::string(w) == "complete" ? "Complete a connection, with feedback"
                                                   : "Cancel a connection, with a reason",
                    "sharing", false,
                    std::string(w) == "accept"
                        ? R"({"type":"object","additionalProperties":false,"properties":{"reason":{"type":"string",)"
                          R"("maxLength":500},"feedback":{"type":"string","maxLength":500},"on_behalf_of":{"type":"string",)"
                          R"("enum":["helper","recipient"],"description":"a manager accepting for a side without an account"},)"
                          R"("consent_method":{"type":"string","enum":["in_person","phone","paper"]}},"x-body-optional":true})"
                    : std::string(w) == "cancel"
                        ? R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                          R"("properties":{"reason":{"type":"string","maxLength":500,"minLength":1},"feedback":{"type":"string",)"
                          R"("maxLength":500},"on_behalf_of":{"type":"string","maxLength":10},"consent_method":{"type":"string",)"
                          R"("maxLength":20}}})"
                        : R"({"type":"object","additionalProperties":false,"properties":{"reason":{"type":"string",)"
                          R"("maxLength":500},"feedback":{"type":"string","maxLength":500},"on_behalf_of":{"type":"string",)"
                          R"("maxLength":10},"consent_method":{"type":"string","maxLength":20}},"x-body-optional":true})"});

    router.add({"GET", "/api/v1/sharing/connections/{id}",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "connection");
                    auto k = ctx->store.connection(id);
                    std::string role = k ? who_am_i(p, *k) : "";
                    bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
                    if (!k || (role.empty() && !manager))
                        identity::require_record(p, Action::manage_sharing,
                                                 k && k->district_id == p.district_id
                                                     ? std::optional(target(k->district_id, k->dong_id))
                                                     : std::nullopt,
                                                 "connection");
                    long long now = store::now_unix();
                    auto n = ctx->store.need(k->need_id);
                    auto j = connection_json(*ctx, *k, role.empty() ? "manager" : role);
                    j["need"] = need_summary(*ctx, *n, now);
                    // Contact only while both have accepted and the help is under way; every release logged.
                    bool released = k->status == "accepted" || k->status == "active";
                    if (released && (role == "helper" || manager)) {
                        std::string why = manager ? identity::access_reason(req, "sharing connection manager")
                                                  : "connection " + std::to_string(k->id) + " accepted by both";
                        log_side(*ctx, p, req, k->district_id, k->recipient, "name,phone,email,detail", why);
                        j["recipient"] = contact_of(*ctx, k->recipient);
                        j["need"].as_object()["detail"] = n->detail;
                    }
                    if (released && (role == "recipient" || manager)) {
                        std::string why = manager ? identity::access_reason(req, "sharing connection manager")
                                                  : "connection " + std::to_string(k->id) + " accepted by both";
                        log_side(*ctx, p, req, k->district_id, k->helper, "name,phone,email", why);
                        j["helper"] = contact_of(*ctx, k->helper);
                    }
                    return http::no_store(http::json_response(200, j));
                },
                "One connection: the need's de-identified summary, and the other side's contact only once both accepted "
                "(until it ends; every release in the access log)",
                "sharing"});


    // Feedback from both sides after completion: private to managers (never public, no star
    // ratings), an outcome and a reason; once per side. A manager writes it for a side entered
    // on a person's behalf, with how that person gave it.
    router.add({"POST", "/api/v1/sharing/connections/{id}/feedback",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "connection");
                    auto k = ctx->store.connection(id);
                    std::string role = k ? who_am_i(p, *k) : "";
                    bool manager = k && k->district_id == p.district_id && manages(p, k->district_id, k->dong_id);
                    if (!k || (role.empty() && !manager))
                        identity::require_record(p, Action::manage_sharing,
                                                 k && k->district_id == p.district_id
                                                     ? std::optional(target(k->district_id, k->dong_id))
                                                     : std::nullopt,
                                                 "connection");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"outcome", "reason", "on_behalf_of", "consent_method"});
                    auto outcome = r.string("outcome", true, 20);
                    if (outcome && *outcome != "helped" && *outcome != "partly" && *outcome != "not_helped" &&
                        *outcome != "concern")
                        errors.add("outcome", "unknown_code", "helped, partly, not_helped or concern");
                    auto reason = r.string("reason", false, 1000).value_or("");
                    if (outcome && *outcome != "helped" && utf8_length(reason) < 2)
                        errors.add("reason", "required", "say what went wrong or could be better (read by the manager only)");
                    auto behalf = r.string("on_behalf_of", false, 10).value_or("");
                    auto consent = r.string("consent_method", false, 20).value_or("self");
                    if (role.empty()) {
                        if (behalf != "helper" && behalf != "recipient")
                            errors.add("on_behalf_of", "required", "helper or recipient (a side without an account)");
                        else if ((behalf == "helper" ? k->helper : k->recipient).account_id)
                            errors.add("on_behalf_of", "has_account", "that side gives feedback themselves");
                        if (consent != "in_person" && consent != "phone" && consent != "paper")
                            errors.add("consent_method", "unknown_code", "in_person, phone or paper");
                        role = behalf;
                    } else if (!behalf.empty() && behalf != role) {
                        errors.add("on_behalf_of", "not_your_side", "you give feedback as the " + role);
                    }
                    errors.throw_if_any();
                    if (k->status != "completed")
                        throw Error(ErrorKind::conflict, "feedback is given once the help is completed (it is " + k->status + ")");
                    Feedback f;
                    f.connection_id = k->id;
                    f.district_id = k->district_id;
                    f.side = role;
                    f.outcome = *outcome;
                    f.reason = reason;
                    f.written_by = p.account_id;
                    f.consent_method = who_am_i(p, *k).empty() ? consent : "self";
                    f.at = store::now_unix();
                    try {
                        return idempotent(*ctx, req, p, [&](soci::session& s) {
                            ctx->store.insert_feedback(s, f);
                            return std::pair{201, json::serialize(json::object{{"connection_id", k->id}, {"side", role},
                                                                               {"status", "recorded"}})};
                        });
                    } catch (const Error& e) {
                        if (e.kind() != ErrorKind::conflict) throw;
                        throw Error(ErrorKind::conflict, "the " + role + " already gave feedback",
                                    {{"outcome", "already_given", "feedback is given once per side"}});
                    }
                },
                "Feedback on a completed connection from either side: an outcome and a reason, read only by managers "
                "(never public, no ratings); once per side. Idempotency-Key honoured",
                "sharing", false,
                R"({"type":"object","additionalProperties":false,"required":["outcome"],"properties":{"outcome":)"
                R"({"type":"string","enum":["helped","partly","not_helped","concern"]},"reason":{"type":"string",)"
                R"("maxLength":1000,"description":"required (2+ characters) unless helped; read by managers only"},)"
                R"("on_behalf_of":{"type":"string","enum":["helper","recipient"],)"
                R"("description":"a manager writing for a side without an account"},"consent_method":{"type":"string",)"
                R"("enum":["in_person","phone","paper"]}}})",
                201});

    router.add({"GET", "/api/v1/sharing/connections/{id}/feedback",
                [ctx](Request& req) {
                    auto p = login(*ctx, req);
                    long long id = http::path_id(req, "id", "connection");
                    auto k = ctx->store.connection(id);
                    identity::require_record(p, Action::manage_sharing,
                                             k && k->district_id == p.district_id
                                                 ? std::optional(target(k->district_id, k->dong_id))
                                                 : std::nullopt,
                                             "connection");
                    json::array items;
                    std::string why = identity::access_reason(req, "sharing feedback review");
                    for (const auto& f : ctx->store.feedback(id)) {
                        log_side(*ctx, p, req, k->district_id, f.side == "helper" ? k->helper : k->recipient, "feedback", why);
                        items.push_back(json::object{{"side", f.side}, {"outcome", f.outcome}, {"reason", f.reason},
                                                     {"written_by", f.written_by}, {"consent_method", f.consent_method},
                                                     {"at", f.at}});
                    }
                    return http::no_store(http::json_response(200, json::object{{"connection_id", id}, {"items", std::move(items)}}));
                },
                "Feedback of a connection (managers of its scope only; each read in the access log)", "sharing"});
}

}  // namespace dure::sharing::api
