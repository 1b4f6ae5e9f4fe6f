#include "eligibility/api.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <mutex>

#include "common/dates.hpp"
#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"
#include "eligibility/store.hpp"
#include "http/json.hpp"
#include "identity/consent_store.hpp"
#include "identity/api.hpp"
#include "store/change_feed.hpp"

namespace dure::eligibility {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

json::object criteria_json(const Node& n) {
    static constexpr const char* names[] = {"num", "var", "mvar", "param", "add", "sub", "mul", "div",
                                            "min", "max", "floor", "if", "count_members", "sum_members",
                                            "all", "any", "not", "cmp", "is", "flag", "any_member",
                                            "all_members", "eligible", "round"};
    json::object o{{"op", names[static_cast<int>(n.op)]}};
    if (!n.label_ko.empty()) {
        o["label_ko"] = n.label_ko;
        o["label_en"] = n.label_en;
    }
    if (n.op == Op::all || n.op == Op::any || n.op == Op::not_) {
        json::array kids;
        for (const auto& k : n.kids) kids.push_back(criteria_json(k));
        o["children"] = std::move(kids);
    }
    return o;
}

json::object param_value_json(const ParamValue& v) {
    json::object o{{"from", format_date(v.from)}, {"source", v.source}, {"estimate", v.estimate}};
    if (v.checked != kNoDate) o["checked"] = format_date(v.checked);
    if (v.sized) {
        json::array a;
        for (double x : v.by_size) a.emplace_back(x);
        o["by_size"] = std::move(a);
        if (v.step) o["step"] = v.step;
    } else {
        o["value"] = v.value;
    }
    return o;
}

// The simulation date: the body's, else today in Korea; must be within the parameters' period.
Days simulation_date(const json::object& body, const Rules& rules, FieldErrors& errors, const std::string& field = "date") {
    std::string text = today_seoul();
    if (auto it = body.find("date"); it != body.end() && !it->value().is_null()) {
        if (!it->value().is_string()) {
            errors.add(field, "invalid_date", "a date as YYYY-MM-DD");
            return 0;
        }
        text = std::string(it->value().as_string());
    }
    auto d = parse_date(text);
    if (!d) {
        errors.add(field, "invalid_date", "a date as YYYY-MM-DD");
        return 0;
    }
    if (*d < rules.first_date() || *d > rules.last_date()) {
        errors.add(field, "outside_parameters",
                   "the encoded figures cover " + format_date(rules.first_date()) + " to " + format_date(rules.last_date()));
        return 0;
    }
    return *d;
}

// The catalogue's program list, refreshed once a minute and when any process changed the
// catalogue (store/change_feed.hpp).
class CatalogCache {
public:
    explicit CatalogCache(std::function<std::vector<CatalogProgram>(long long)> fn) : fn_(std::move(fn)) {}
    std::vector<CatalogProgram> get(long long district) {
        auto now = std::chrono::steady_clock::now();
        long long gen = store::seen_changes("catalog");
        std::lock_guard lock(mu_);
        auto& e = entries_[district];
        if (!e.loaded || e.gen != gen || now - e.at > std::chrono::seconds(60)) {
            e.items = fn_ ? fn_(district) : std::vector<CatalogProgram>{};
            e.at = now;
            e.gen = gen;
            e.loaded = true;
        }
        return e.items;
    }

private:
    struct Entry {
        bool loaded = false;
        long long gen = 0;
        std::chrono::steady_clock::time_point at;
        std::vector<CatalogProgram> items;
    };
    std::function<std::vector<CatalogProgram>(long long)> fn_;
    std::mutex mu_;
    std::map<long long, Entry> entries_;
};

identity::Principal member(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in to keep a household profile");
    return p;
}

// A short record of a result for saving: status and amount per program.
json::array summary_of(const json::object& sim) {
    json::array out;
    for (const auto& r : sim.at("results").as_array()) {
        const auto& o = r.as_object();
        if (o.at("status").as_string() == "not_computed") continue;
        json::object s{{"program", o.at("program")}, {"name_ko", o.at("name_ko")}, {"status", o.at("status")}};
        for (const char* k : {"monthly_amount", "annual_amount", "lump_sum_amount"})
            if (auto it = o.find(k); it != o.end()) s[k] = it->value();
        out.push_back(std::move(s));
    }
    return out;
}

constexpr const char* kSimulationSchema =
    R"({"type":"object","required":["household"],"properties":{"date":{"type":"string","format":"date"},)"
    R"("household":{"type":"object","description":"members, residence, incomes, assets … see docs/eligibility.md"},)"
    R"("trace":{"type":"boolean"},"save":{"type":"boolean"}}})";

}  // namespace

void register_routes(http::Router& router, std::shared_ptr<const Rules> rules_ptr, identity::IdentityService& ids,
                     ProfileStore& profiles, std::function<std::vector<CatalogProgram>(long long)> catalog_programs,
                     std::function<long long()> default_district, RateLimit simulations) {
    const Rules& rules = *rules_ptr;
    auto cache = std::make_shared<CatalogCache>(std::move(catalog_programs));
    auto limiter = std::make_shared<RateLimiter>(simulations);

    router.add({"POST", "/api/v1/simulations",
                [rules_ptr, &rules, &ids, &profiles, cache, default_district, limiter](Request& req) {
                    // Per account when a session or token comes with the request, else per address.
                    std::string key = "addr:" + req.remote_addr;
                    if (identity::session_cookie_of(req) || req.header("authorization")) {
                        try {
                            if (auto p = identity::principal_of(ids, req); p.authenticated())
                                key = "account:" + std::to_string(p.account_id);
                        } catch (const Error&) {
                            // A bad token or a missing CSRF header: throttled as the address.
                        }
                    }
                    if (long long wait = limiter->hit(key, steady_seconds()))
                        throw Error(ErrorKind::too_many_requests, "too many simulations from here; try again shortly")
                            .with_type("too-many-simulations")
                            .with_retry_after(static_cast<int>(wait));
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"date", "household", "trace", "save"});
                    Days date = simulation_date(body, rules, errors);
                    bool trace = req.query_param("trace").value_or("") == "1";
                    bool save = false;
                    for (auto [key, flag] : {std::pair<const char*, bool*>{"trace", &trace}, {"save", &save}})
                        if (auto it = body.find(key); it != body.end()) {
                            if (!it->value().is_bool()) errors.add(key, "not_a_boolean", "true or false");
                            else *flag = *flag || it->value().as_bool();
                        }
                    Household h;
                    if (!body.contains("household")) errors.add("household", "required", "the household to simulate");
                    else {
                        // With a bad date, still check the household (as of today) so every error shows at once.
                        Days at = errors.has("date") ? parse_date(today_seoul()).value_or(rules.first_date()) : date;
                        h = parse_household(body.at("household"), rules, at, errors);
                    }
                    errors.throw_if_any();
                    std::optional<identity::Principal> who;
                    if (save) who = member(ids, req);
                    ParamsAt params(rules, date);
                    auto ev = evaluate(rules, params, h, Options{true, trace});
                    auto out = simulation_json(rules, date, h, ev, cache->get(default_district()), trace);
                    Response resp;
                    if (who) {
                        // Saved once per Idempotency-Key: "결과 저장" pressed twice saves one result.
                        json::object rec{{"household", household_json(h, rules)}, {"summary", summary_of(out)}};
                        auto key = identity::idempotency_key(req, "account:" + std::to_string(who->account_id));
                        auto ans = profiles.save_simulation_once(
                            who->account_id, format_date(date), json::serialize(rec), key, identity::request_hash(req),
                            [&out](long long id) {
                                out["saved_id"] = id;
                                return std::pair<int, std::string>{200, json::serialize(out)};
                            });
                        resp.status = ans.status;
                        resp.body = ans.body;
                        if (ans.replayed) resp.set_header("Idempotent-Replayed", "true");
                    } else {
                        resp = http::json_response(200, out);
                    }
                    resp.set_header("Cache-Control", "no-store");
                    return resp;
                },
                "Simulate a household against every encoded program: status, amount, reasons, the question that "
                "would decide an undetermined answer; ?trace=1 shows every step; save:true keeps it for a member",
                "eligibility", false, kSimulationSchema});

    router.add({"GET", "/api/v1/eligibility/programs",
                [&rules](Request&) {
                    json::array out;
                    for (const auto& p : rules.programs()) {
                        json::object o{{"program", p.code},     {"name_ko", p.name_ko},
                                       {"name_en", p.name_en},  {"period", p.period == Period::year ? "year" : p.period == Period::once ? "once" : "month"},
                                       {"has_amount", static_cast<bool>(p.amount)},
                                       {"criteria", criteria_json(p.criteria)},
                                       {"notes_ko", p.notes_ko}, {"notes_en", p.notes_en},
                                       {"source", p.source}};
                        out.push_back(std::move(o));
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(out)},
                                                                     {"first_date", format_date(rules.first_date())},
                                                                     {"last_date", format_date(rules.last_date())}});
                    r.set_header("Cache-Control", "public, max-age=300");
                    return r;
                },
                "The programs with encoded rules: criteria (labels), amount period, simplifications, source",
                "eligibility", true});

    router.add({"GET", "/api/v1/eligibility/parameters",
                [&rules](Request& req) {
                    std::optional<Days> date;
                    if (auto d = req.query_param("date")) {
                        date = parse_date(*d);
                        if (!date) {
                            FieldErrors e;
                            e.add("date", "invalid_date", "a date as YYYY-MM-DD");
                            e.throw_if_any();
                        }
                    }
                    json::array out;
                    for (const auto& p : rules.parameters()) {
                        json::object o{{"name", p.name}, {"label_ko", p.label_ko}, {"label_en", p.label_en}, {"unit", p.unit}};
                        if (date) {
                            const auto* v = p.in_force(*date);
                            o["in_force"] = v ? json::value(param_value_json(*v)) : json::value(nullptr);
                        } else {
                            json::array vs;
                            for (const auto& v : p.values) vs.push_back(param_value_json(v));
                            o["values"] = std::move(vs);
                        }
                        out.push_back(std::move(o));
                    }
                    return http::json_response(200, json::object{{"items", std::move(out)}});
                },
                "Every official figure the rules use, with the date it starts and its source (?date= for the ones in force)",
                "eligibility", true});

    router.add({"GET", "/api/v1/eligibility/questions",
                [&rules](Request&) {
                    json::array hh, mm;
                    auto one = [](const VariableInfo& v) {
                        json::object o{{"variable", v.name}, {"type", v.type},       {"label_ko", v.label_ko},
                                       {"label_en", v.label_en}, {"question_ko", v.question_ko},
                                       {"question_en", v.question_en}, {"computed", v.computed}};
                        if (!v.values.empty()) {
                            json::array a;
                            for (const auto& x : v.values) a.emplace_back(x);
                            o["values"] = std::move(a);
                        }
                        return o;
                    };
                    for (int v = 0; v < kHVarCount; ++v)
                        if (v != recognized_income_given && v != pension_recognized_income_given) hh.push_back(one(rules.hvar(v)));
                    for (int v = 0; v < kMVarCount; ++v) mm.push_back(one(rules.mvar(v)));
                    return http::json_response(200, json::object{{"household", std::move(hh)}, {"member", std::move(mm)}});
                },
                "The household and member questions (type, allowed values, wording)", "eligibility", true});

    // ---- the member's own profile ----
    router.add({"GET", "/api/v1/me/eligibility",
                [&ids, &profiles](Request& req) {
                    auto p = member(ids, req);
                    auto prof = profiles.profile(p.account_id);
                    json::object o{{"alerts_consent", prof && prof->alerts_consent},
                                   {"interests", prof ? json::parse(prof->interests_json) : json::object{}},
                                   {"household", prof && !prof->household_json.empty() ? json::parse(prof->household_json) : json::value(nullptr)},
                                   {"updated_at", prof ? prof->updated_at : 0}};
                    Response r = http::json_response(200, o);
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "The member's stored household (decrypted for them only), alert consent and interests", "eligibility"});

    router.add({"PUT", "/api/v1/me/eligibility",
                [&ids, &profiles, &rules](Request& req) {
                    auto p = member(ids, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"household", "alerts_consent", "interests"});
                    Profile prof = profiles.profile(p.account_id).value_or(Profile{});
                    prof.account_id = p.account_id;
                    const bool had_consent = prof.alerts_consent;
                    if (auto it = body.find("household"); it != body.end()) {
                        if (it->value().is_null()) prof.household_json.clear();
                        else {
                            auto today = parse_date(today_seoul()).value_or(0);
                            auto h = parse_household(it->value(), rules, today, errors);
                            if (errors.empty()) prof.household_json = json::serialize(household_json(h, rules));
                        }
                    }
                    if (auto it = body.find("alerts_consent"); it != body.end()) {
                        if (!it->value().is_bool()) errors.add("alerts_consent", "not_a_boolean", "true or false");
                        else prof.alerts_consent = it->value().as_bool();
                    }
                    if (auto it = body.find("interests"); it != body.end()) {
                        const auto& v = it->value();
                        bool ok = v.is_object();
                        if (ok)
                            for (const auto& [k, list] : v.as_object()) {
                                if ((k != "topics" && k != "life_stages" && k != "situations") || !list.is_array() ||
                                    list.as_array().size() > 30)
                                    ok = false;
                                else
                                    for (const auto& x : list.as_array())
                                        if (!x.is_string() || x.as_string().size() > 40) ok = false;
                            }
                        if (!ok) errors.add("interests", "invalid", "{\"topics\": [codes], \"life_stages\": [codes], \"situations\": [codes]}");
                        else prof.interests_json = json::serialize(v);
                    }
                    errors.throw_if_any();
                    // Turning alerts on or off is giving or withdrawing the eligibility_alerts consent:
                    // recorded (which text, when) with the profile, in one transaction.
                    std::function<void(soci::session&)> record;
                    if (prof.alerts_consent != had_consent)
                        if (const auto* text = identity::ConsentCatalog::embedded().find("eligibility_alerts"))
                            record = [&, text](soci::session& s) {
                                identity::ConsentStore::append_in(s, p.account_id, *text, prof.alerts_consent, "eligibility",
                                                                  store::now_unix());
                            };
                    profiles.save_profile(prof, record);
                    return http::json_response(200, json::object{{"saved", true}});
                },
                "Store (encrypted) or clear the member's household, alert consent and interests", "eligibility", false,
                R"({"type":"object","properties":{"household":{"type":["object","null"]},"alerts_consent":{"type":"boolean"},)"
                R"("interests":{"type":"object"}}})"});

    router.add({"DELETE", "/api/v1/me/eligibility",
                [&ids, &profiles](Request& req) {
                    auto p = member(ids, req);
                    profiles.erase(p.account_id);
                    Response r;
                    r.status = 204;
                    return r;
                },
                "Forget the member's household profile and everything derived from it (saved simulations, results "
                "and amounts, eligibility messages and deliveries, alert settings, recommendation feedback)",
                "eligibility", false, "", 204});

    router.add({"GET", "/api/v1/me/simulations",
                [&ids, &profiles](Request& req) {
                    auto p = member(ids, req);
                    json::array out;
                    for (const auto& s : profiles.simulations(p.account_id)) {
                        auto body = json::parse(s.body_json).as_object();
                        out.push_back(json::object{{"id", s.id},
                                                   {"date", s.date},
                                                   {"created_at", s.created_at},
                                                   {"household", body["household"]},
                                                   {"summary", body["summary"]}});
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(out)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "The member's saved simulation results (newest first, at most 20)", "eligibility"});

    router.add({"DELETE", "/api/v1/me/simulations/{id}",
                [&ids, &profiles](Request& req) {
                    auto p = member(ids, req);
                    long long id = http::path_id(req, "id", "saved simulation");  // digits only: not 12abc, 1e3 or -1
                    if (!profiles.delete_simulation(p.account_id, id)) throw Error(ErrorKind::not_found, "no such saved simulation");
                    Response r;
                    r.status = 204;
                    return r;
                },
                "Delete one saved simulation", "eligibility", false, "", 204});
}

}  // namespace dure::eligibility
