#include "alerts/alerts_api.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <mutex>

#include "common/dates.hpp"
#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "store/change_feed.hpp"

namespace dure::eligibility {

namespace json = boost::json;
using http::Request;
using http::Response;
using http::no_store;

namespace {

identity::Principal member_of(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in to see your alerts");
    return p;
}


std::string html_escape(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '<') o += "&lt;";
        else if (c == '>') o += "&gt;";
        else if (c == '&') o += "&amp;";
        else if (c == '"') o += "&quot;";
        else o += c;
    }
    return o;
}

Response html_page(int status, const std::string& title, const std::string& body) {
    Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = "<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
             "content=\"width=device-width, initial-scale=1\"><title>" + html_escape(title) +
             " | 두레</title></head><body><main><h1>" + html_escape(title) + "</h1>" + body +
             "<p><a href=\"/\">두레 첫 화면으로</a></p></main></body></html>";
    r.set_header("Cache-Control", "no-store");
    return r;
}

// Life stages and situations of a household, in the catalogue's codes.
void household_codes(const Household& h, const Evaluation& ev, Days date, std::set<std::string>& stages,
                     std::set<std::string>& situations) {
    for (const auto& m : h.members) {
        if (m.flags_known >> (pregnant - kFirstMemberFlag) & m.flags >> (pregnant - kFirstMemberFlag) & 1u) {
            stages.insert("pregnancy_birth");
            situations.insert("pregnant");
        }
        if (m.codes[disability - kFirstMemberCode] == 1 || m.codes[disability - kFirstMemberCode] == 2)
            situations.insert("disability");
        if (m.flags_known >> (veteran - kFirstMemberFlag) & m.flags >> (veteran - kFirstMemberFlag) & 1u)
            situations.insert("veteran");
        auto age = member_age(m, date);
        if (!age) continue;
        stages.insert(*age < 6 ? "infant" : *age < 13 ? "child" : *age < 19 ? "youth" : *age < 35 ? "young_adult"
                                                                          : *age < 65 ? "middle_age" : "senior");
    }
    const auto& c = *HouseholdView(h).core;
    if (c.flags_known & c.flags & 1u) situations.insert("single_parent");
    if (c.flags_known >> 1 & c.flags >> 1 & 1u) situations.insert("multicultural");
    if (h.members.size() == 1) situations.insert("single_household");
    if (auto cr = c.codes[crisis - kFirstCode]; cr != kUnknownCode && cr != 0) situations.insert("crisis");
    (void)ev;
}

// The catalogue's services, refreshed once a minute and when any process changed the catalogue.
struct ServiceCache {
    std::function<std::vector<ServiceInfo>(long long)> fn;
    std::mutex mu;
    std::map<long long, std::pair<std::chrono::steady_clock::time_point, std::shared_ptr<std::vector<ServiceInfo>>>> m;
    std::map<long long, long long> gens;
    std::shared_ptr<std::vector<ServiceInfo>> get(long long d) {
        long long gen = store::seen_changes("catalog");
        std::lock_guard lock(mu);
        auto now = std::chrono::steady_clock::now();
        auto& e = m[d];
        if (!e.second || gens[d] != gen || now - e.first > std::chrono::seconds(60)) {
            e.second = std::make_shared<std::vector<ServiceInfo>>(fn(d));
            e.first = now;
            gens[d] = gen;
        }
        return e.second;
    }
};

}  // namespace

void register_alert_routes(http::Router& router, std::shared_ptr<const Rules> rules_ptr, identity::IdentityService& ids,
                           AlertService& alerts, ProfileStore& profiles, RecommendationStore& recs,
                           std::function<std::vector<ServiceInfo>(long long)> services,
                           std::function<long long()> default_district) {
    auto cache = std::make_shared<ServiceCache>();
    cache->fn = std::move(services);
    auto model_mu = std::make_shared<std::mutex>();

    router.add({"GET", "/api/v1/me/alerts",
                [&ids, &alerts, &profiles](Request& req) {
                    auto p = member_of(ids, req);
                    auto s = alerts.settings(p.account_id);
                    auto prof = profiles.profile(p.account_id);
                    return no_store(http::json_response(200, json::object{
                        {"alerts_consent", prof && prof->alerts_consent},
                        {"has_household", prof && !prof->household_json.empty()},
                        {"email", s.email}, {"sms", s.sms}, {"quiet_start", s.quiet_start}, {"quiet_end", s.quiet_end},
                        {"email_available", alerts.email_configured()}, {"sms_available", alerts.sms_configured()}}));
                },
                "The member's alert channels (in-app always; e-mail, SMS) and quiet hours", "alerts"});

    router.add({"PUT", "/api/v1/me/alerts",
                [&ids, &alerts](Request& req) {
                    auto p = member_of(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"email", "sms", "quiet_start", "quiet_end"});
                    auto s = alerts.settings(p.account_id);
                    for (auto [key, flag] : {std::pair<const char*, bool*>{"email", &s.email}, {"sms", &s.sms}})
                        if (auto it = body.find(key); it != body.end()) {
                            if (!it->value().is_bool()) errors.add(key, "not_a_boolean", "true or false");
                            else *flag = it->value().as_bool();
                        }
                    if (auto v = r.integer("quiet_start", false, 0, 23)) s.quiet_start = static_cast<int>(*v);
                    if (auto v = r.integer("quiet_end", false, 0, 23)) s.quiet_end = static_cast<int>(*v);
                    errors.throw_if_any();
                    alerts.save_settings(p.account_id, s);
                    return no_store(http::json_response(200, json::object{{"saved", true}}));
                },
                "Choose alert channels and quiet hours (0–23, Korean time)", "alerts", false,
                R"({"type":"object","properties":{"email":{"type":"boolean"},"sms":{"type":"boolean"},)"
                R"("quiet_start":{"type":"integer","minimum":0,"maximum":23},"quiet_end":{"type":"integer","minimum":0,"maximum":23}}})"});

    router.add({"GET", "/api/v1/me/inbox",
                [&ids, &alerts](Request& req) {
                    auto p = member_of(ids, req);
                    json::array items;
                    int unread = 0;
                    for (const auto& m : alerts.inbox(p.account_id)) {
                        unread += m.read_at == 0;
                        items.push_back(json::object{{"id", m.id}, {"created_at", m.created_at}, {"kind", m.kind},
                                                     {"title", m.title}, {"body", m.body}, {"read", m.read_at != 0}});
                    }
                    return no_store(http::json_response(200, json::object{{"items", std::move(items)}, {"unread", unread}}));
                },
                "The member's in-app messages, newest first", "alerts"});

    router.add({"POST", "/api/v1/me/inbox/{id}/read",
                [&ids, &alerts](Request& req) {
                    auto p = member_of(ids, req);
                    long long id = http::path_id(req, "id", "message");  // digits only: not 12abc, 1e3 or -1
                    if (!alerts.mark_read(p.account_id, id)) throw Error(ErrorKind::not_found, "no such message");
                    return http::json_response(200, json::object{{"read", true}});
                },
                "Mark a message read", "alerts", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    auto unsubscribe_page = [&alerts](Request& req) {
        auto token = req.query_param("token").value_or("");
        if (req.method == "POST") {
            if (!alerts.unsubscribe(token))
                return html_page(404, "링크가 올바르지 않아요", "<p>알림 수신 거부 링크가 올바르지 않거나 만료되었어요.</p>");
            return html_page(200, "알림을 더 보내지 않아요",
                             "<p>복지 혜택 알림(이메일·문자)을 끄고, 알림 동의를 거두었어요. 언제든 마이페이지에서 다시 켤 수 있어요.</p>"
                             "<p lang=\"en\">You will receive no more benefit alerts. You can turn them on again in My page.</p>");
        }
        return html_page(200, "알림 수신 거부",
                         "<p>두레의 복지 혜택 알림을 더 받지 않으려면 아래 단추를 누르세요.</p><form method=\"post\" action=\"/unsubscribe?token=" +
                             html_escape(token) + "\"><button type=\"submit\">알림 받지 않기 (Unsubscribe)</button></form>");
    };
    router.add({"GET", "/unsubscribe", unsubscribe_page, "One-click unsubscribe page (link in every alert e-mail)", "alerts"});
    router.add({"POST", "/unsubscribe", unsubscribe_page,
                "One-click unsubscribe (RFC 8058 List-Unsubscribe-Post); the token is signed", "alerts", false,
                R"({"type":"object","properties":{"List-Unsubscribe":{"const":"One-Click"}},)"
                R"("x-media-type":"application/x-www-form-urlencoded","x-body-optional":true})"});

    router.add({"POST", "/api/v1/admin/alerts/rescreen",
                [&ids, &alerts, rules_ptr, default_district](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    // Officials who keep the catalogue current start a re-screening after they change it.
                    identity::require(p, identity::Action::edit_catalog, {p.district_id});
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"date"});
                    auto text = r.string("date", false, 10).value_or(today_seoul());
                    auto date = parse_date(text);
                    if (!date) errors.add("date", "invalid_date", "a date as YYYY-MM-DD");
                    else if (*date < rules_ptr->first_date() || *date > rules_ptr->last_date())
                        errors.add("date", "outside_parameters", "outside the encoded parameters");
                    errors.throw_if_any();
                    auto st = alerts.rescreen(*date, store::now_unix());
                    return http::json_response(200, json::object{{"members", st.members}, {"skipped", st.skipped},
                                                                  {"notified", st.notified}, {"changes", st.changes}});
                },
                "Re-screen every consenting member now (officials who edit the catalogue)", "alerts", false,
                R"({"type":"object","additionalProperties":false,"properties":{"date":{"type":"string","format":"date",)"
                R"("description":"YYYY-MM-DD; today when left out"}},"x-body-optional":true})"});

    // Recommendations: the candidate features of one member.
    auto candidates = [rules_ptr, &profiles, &recs, cache, default_district](long long account_id) {
        const Rules& rules = *rules_ptr;
        auto prof = profiles.profile(account_id);
        std::set<std::string> topics, stages, situations;
        if (prof) {
            auto in = json::parse(prof->interests_json);
            if (in.is_object())
                for (const auto& [k, list] : in.as_object())
                    if (list.is_array())
                        for (const auto& x : list.as_array())
                            if (x.is_string()) (k == "topics" ? topics : k == "life_stages" ? stages : situations).insert(std::string(x.as_string()));
        }
        std::map<std::string, Status> status;
        Days date = parse_date(today_seoul()).value_or(rules.first_date());
        date = std::clamp(date, rules.first_date(), rules.last_date());
        if (prof && !prof->household_json.empty()) {
            FieldErrors errors;
            auto h = parse_household(json::parse(prof->household_json), rules, date, errors);
            if (errors.empty()) {
                ParamsAt params(rules, date);
                auto ev = evaluate(rules, params, h, Options{false, false});
                for (const auto& p : rules.programs()) status[p.code] = ev.outcomes[p.index].status;
                household_codes(h, ev, date, stages, situations);
            }
        }
        auto viewed = recs.with_action(account_id, "viewed");
        auto svcs = cache->get(default_district());
        std::vector<Candidate> out;
        out.reserve(svcs->size());
        auto overlap = [](const std::vector<std::string>& a, const std::set<std::string>& b) {
            for (const auto& x : a)
                if (b.count(x)) return 1.0;
            return 0.0;
        };
        for (const auto& s : *svcs) {
            Candidate c{s.id, s.name, s.program_code, {}};
            c.x[f_bias] = 1;
            if (auto it = status.find(s.program_code); it != status.end()) {
                c.x[f_eligible] = it->second == Status::eligible;
                c.x[f_undetermined] = it->second == Status::undetermined;
            }
            c.x[f_topic] = overlap(s.topics, topics);
            c.x[f_life_stage] = overlap(s.life_stages, stages);
            c.x[f_situation] = overlap(s.situations, situations);
            c.x[f_viewed] = viewed.count(s.id) ? 1 : 0;
            c.x[f_national] = s.provider_level == "national";
            out.push_back(std::move(c));
        }
        return out;
    };

    router.add({"GET", "/api/v1/me/recommendations",
                [&ids, &recs, candidates](Request& req) {
                    auto p = member_of(ids, req);
                    auto cs = candidates(p.account_id);
                    auto hidden = recs.with_action(p.account_id, "dismissed");
                    auto applied = recs.with_action(p.account_id, "applied");
                    auto w = recs.weights();
                    json::array items;
                    for (const auto& s : rank(w, cs, hidden, 20)) {
                        json::array why_ko, why_en;
                        for (const auto& x : s.why_ko) why_ko.emplace_back(x);
                        for (const auto& x : s.why_en) why_en.emplace_back(x);
                        items.push_back(json::object{{"service_id", s.c->service_id}, {"name", s.c->name},
                                                     {"program", s.c->program_code}, {"score", s.score},
                                                     {"applied", applied.count(s.c->service_id) > 0},
                                                     {"why_ko", std::move(why_ko)}, {"why_en", std::move(why_en)}});
                    }
                    json::object model;
                    for (int i = 0; i < kFeatureCount; ++i) model[feature_name(i)] = w[i];
                    return no_store(http::json_response(200, json::object{{"items", std::move(items)}, {"model", std::move(model)}}));
                },
                "Services recommended to the member, each with why (a logistic model over named features)", "alerts"});

    router.add({"POST", "/api/v1/me/recommendations/feedback",
                [&ids, &recs, candidates, model_mu](Request& req) {
                    auto p = member_of(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"service_id", "action"});
                    auto service = r.string("service_id", true, 64);
                    auto action = r.string("action", true, 20);
                    if (action && *action != "viewed" && *action != "applied" && *action != "dismissed")
                        errors.add("action", "unknown_code", "viewed, applied or dismissed");
                    errors.throw_if_any();
                    auto cs = candidates(p.account_id);
                    const Candidate* c = nullptr;
                    for (const auto& x : cs)
                        if (x.service_id == *service) c = &x;
                    if (!c) {
                        errors.add("service_id", "unknown_service", "no such service in this district");
                        errors.throw_if_any();
                    }
                    bool learned = false;
                    if (recs.feedback(p.account_id, *service, *action)) {
                        std::lock_guard lock(*model_mu);
                        auto w = recs.weights();
                        learn(w, c->x, *action == "applied" ? 1.0 : *action == "dismissed" ? 0.0 : 0.6);
                        recs.save_weights(w);
                        learned = true;
                    }
                    return http::json_response(200, json::object{{"recorded", true}, {"learned", learned}});
                },
                "Tell the recommender the member viewed, applied for or dismissed a service (updates the model once)",
                "alerts", false,
                R"({"type":"object","required":["service_id","action"],"properties":{"service_id":{"type":"string"},)"
                R"("action":{"enum":["viewed","applied","dismissed"]}}})"});
}

}  // namespace dure::eligibility
