#include "cases/api.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::cases {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

long long id_param(const Request& req) { return http::path_id(req, "id", "case"); }

identity::Target target_of(const Case& c) {
    identity::Target t;
    t.district_id = c.district_id;
    t.dong_id = c.dong_id;
    t.assignee_account_id = c.assigned_account_id;
    return t;
}

bool contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

json::array strings(const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.emplace_back(s);
    return a;
}

json::object summary(const Case& c) {
    return {{"id", c.id},           {"dong_id", c.dong_id},
            {"household_id", c.household_id}, {"stage", c.stage},
            {"crisis_level", c.crisis_level ? json::value(c.crisis_level) : json::value(nullptr)},
            {"needs", strings(c.needs)}, {"outcome", c.outcome.empty() ? json::value(nullptr) : json::value(c.outcome)},
            {"assigned_account_id", c.assigned_account_id}, {"opened_at", c.opened_at}, {"updated_at", c.updated_at},
            {"closed_at", c.closed_at ? json::value(c.closed_at) : json::value(nullptr)}};
}

// A list of at most `max` strings of at most `chars` characters each, named in errors by `key`.
std::vector<std::string> string_list(const json::object& body, const char* key, std::size_t min, std::size_t max,
                                     std::size_t chars, FieldErrors& errors) {
    std::vector<std::string> out;
    auto it = body.find(key);
    if (it == body.end()) {
        if (min) errors.add(key, "required", "a list of at least " + std::to_string(min));
        return out;
    }
    if (!it->value().is_array() || it->value().as_array().size() < min || it->value().as_array().size() > max) {
        errors.add(key, "not_a_list", "a list of " + std::to_string(min) + " to " + std::to_string(max) + " texts");
        return out;
    }
    int i = 0;
    for (const auto& e : it->value().as_array()) {
        if (!e.is_string() || e.as_string().empty() || utf8_length(e.as_string()) > chars)
            errors.add(std::string(key) + "[" + std::to_string(i) + "]", "invalid",
                       "a text of 1 to " + std::to_string(chars) + " characters");
        else
            out.emplace_back(e.as_string());
        ++i;
    }
    return out;
}

}  // namespace

void register_routes(http::Router& router, CaseStore& store, identity::IdentityService& ids,
                     std::function<std::string(const std::string&)> service_name,
                     std::function<long long()> default_district) {
    // Whether an account may be a case's caseworker: it could work on the case if assigned.
    auto may_hold = [&ids](long long account_id, long long district, long long dong) {
        auto acc = ids.store().account(account_id);
        if (!acc) return false;
        identity::Principal pr;
        pr.account_id = acc->id;
        pr.grants = acc->grants;
        return identity::authorize(pr, Action::work_case, {district, dong, 0, acc->id}).allowed;
    };
    // Authenticates before looking the case up, and answers the same for a missing case, another
    // district's and one the caller may not open.
    auto load = [&store, &ids](Request& req, identity::Principal& p) {
        p = identity::principal_of(ids, req);
        if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
        auto c = store.get(id_param(req));
        identity::require_record(p, Action::work_case, c ? std::optional(target_of(*c)) : std::nullopt, "case");
        return *c;
    };

    router.add({"POST", "/api/v1/cases",
                [&store, &ids, may_hold](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"household_id", "assigned_account_id"});
                    auto household = r.integer("household_id", true, 1, 1LL << 53);
                    auto assigned = r.integer("assigned_account_id", false, 1, 1LL << 53);
                    errors.throw_if_any();
                    auto place = store.household_place(*household);
                    if (!place || place->first != p.district_id) {
                        // As for a household of a dong the caller does not reach: 403, or 422 for a district official.
                        identity::require(p, Action::open_case, {p.district_id, -1});
                        errors.add("household_id", "unknown_household", "no such reported household");
                        errors.throw_if_any();
                    }
                    auto [district, dong] = *place;
                    identity::require(p, Action::open_case, {district, dong});
                    if (!dong) {
                        errors.add("household_id", "no_dong", "move the household to its dong first");
                        errors.throw_if_any();
                    }
                    long long who = assigned.value_or(p.account_id);
                    if (!may_hold(who, district, dong)) {
                        errors.add("assigned_account_id", "not_a_caseworker", "a caseworker of this dong or a district administrator");
                        errors.throw_if_any();
                    }
                    auto c = store.open(district, dong, *household, who, p.account_id, store::now_unix());
                    return http::json_response(201, summary(c));
                },
                "Open a case for a reported household (intake) and assign its caseworker", "cases", false,
                R"({"type":"object","additionalProperties":false,"required":["household_id"],"properties":{)"
                R"("household_id":{"type":"integer","minimum":1},"assigned_account_id":{"type":"integer","minimum":1}}})",
                201});

    router.add({"GET", "/api/v1/cases",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    long long dong = 0;
                    FieldErrors errors;
                    if (auto d = req.query_param("dong")) {
                        if (d->empty() || d->size() > 15 || d->find_first_not_of("0123456789") != std::string::npos)
                            errors.add("dong", "not_an_integer", "a dong id");
                        else
                            dong = std::stoll(*d);
                    }
                    auto scope = req.query_param("scope").value_or("mine");
                    if (scope != "mine" && scope != "dong")
                        errors.add("scope", "unknown_scope", "mine (the cases you work on) or dong (every case of your dongs)");
                    errors.throw_if_any();
                    json::array items;
                    for (const auto& c : store.list(p.district_id, dong)) {
                        bool works = identity::authorize(p, Action::work_case, target_of(c)).allowed;
                        // The dong's other cases: their stage and who has them, never their entries.
                        bool sees = works || (scope == "dong" &&
                                              identity::authorize(p, Action::read_household, target_of(c)).allowed);
                        if (!sees) continue;
                        auto o = summary(c);
                        o["mine"] = c.assigned_account_id == p.account_id;
                        o["can_open"] = works;
                        items.push_back(std::move(o));
                    }
                    Response r = http::json_response(200, json::object{{"items", std::move(items)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "The cases the caller works on (assigned, or all for a district supervisor); ?scope=dong adds "
                "every case of the caller's dongs (stage and assignee only; opening one still needs work_case); "
                "?dong=; no personal data",
                "cases"});

    router.add({"GET", "/api/v1/cases/{id}",
                [&store, &ids, load, service_name](Request& req) {
                    identity::Principal p;
                    auto c = load(req, p);
                    // Reason: the official's; the assigned caseworker's own case may go without one.
                    identity::log_access(ids, p, req, c.district_id, "case", c.id, "read", "entries",
                                         identity::access_reason(req, p.account_id == c.assigned_account_id
                                                                          ? "assigned caseworker"
                                                                          : nullptr));
                    json::array entries, services;
                    for (const auto& en : store.entries(c.id))
                        entries.push_back(json::object{{"id", en.id}, {"at", en.at}, {"by_account", en.by_account},
                                                       {"kind", en.kind}, {"body", json::parse(en.body_json)}});
                    for (const auto& [id, kind] : store.services(c.id))
                        services.push_back(json::object{{"service_id", id}, {"name", service_name(id)}, {"kind", kind}});
                    auto out = summary(c);
                    out["entries"] = std::move(entries);
                    out["services"] = std::move(services);
                    Response r = http::json_response(200, out);
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "A case with every entry (assessment, plan, notes, visits) and linked services; the read is logged",
                "cases"});

    router.add({"POST", "/api/v1/cases/{id}/stage",
                [&store, load, service_name](Request& req) {
                    identity::Principal p;
                    auto c = load(req, p);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    auto next = r.string("stage", true, 20);
                    errors.throw_if_any();
                    if (c.stage == "closed") throw Error(ErrorKind::conflict, "the case is closed");
                    const auto& st = stages();
                    auto cur = std::find(st.begin(), st.end(), c.stage);
                    bool ok = *next == "closed" || (cur + 1 != st.end() && *(cur + 1) == *next);
                    if (!ok) {
                        errors.add("stage", "invalid_transition",
                                   "from " + c.stage + " the case goes to " + (cur + 1 != st.end() ? *(cur + 1) : "") + " or closed");
                        errors.throw_if_any();
                    }
                    json::object details{{"stage", *next}};
                    long long level = 0;
                    std::vector<std::string> needs;
                    std::string outcome;
                    if (*next == "assessment") {
                        r.allow_only({"stage", "crisis_level", "needs", "summary"});
                        level = r.integer("crisis_level", true, 1, 4).value_or(0);
                        needs = string_list(body, "needs", 1, 16, 40, errors);
                        for (std::size_t i = 0; i < needs.size(); ++i)
                            if (!contains(need_codes(), needs[i]))
                                errors.add("needs[" + std::to_string(i) + "]", "unknown_code", "a topic code of the catalogue");
                        if (auto s = r.string("summary", false, 2000)) details["summary"] = *s;
                        details["crisis_level"] = level;
                        details["needs"] = strings(needs);
                    } else if (*next == "plan") {
                        r.allow_only({"stage", "goals", "services", "referrals"});
                        details["goals"] = strings(string_list(body, "goals", 1, 10, 300, errors));
                        auto svc = string_list(body, "services", 0, 20, 64, errors);
                        for (std::size_t i = 0; i < svc.size(); ++i)
                            if (service_name(svc[i]).empty())
                                errors.add("services[" + std::to_string(i) + "]", "unknown_service", "no such catalogue service");
                        details["services"] = strings(svc);
                        details["referrals"] = strings(string_list(body, "referrals", 0, 10, 200, errors));
                    } else if (*next == "monitoring") {
                        r.allow_only({"stage", "note"});
                        if (auto s = r.string("note", false, 2000)) details["note"] = *s;
                    } else {
                        r.allow_only({"stage", "outcome", "note"});
                        outcome = r.string("outcome", true, 40).value_or("");
                        if (!outcome.empty() && !contains(outcomes(), outcome))
                            errors.add("outcome", "unknown_code",
                                       "resolved, linked_public, linked_private, moved, refused, unreachable or died");
                        if (auto s = r.string("note", false, 2000)) details["note"] = *s;
                        details["outcome"] = outcome;
                    }
                    errors.throw_if_any();
                    long long now = store::now_unix();
                    store.advance(c, *next, level, needs, outcome, json::serialize(details), p.account_id, now);
                    if (*next == "plan") {
                        for (const auto& s : details["services"].as_array()) store.link_service(c.id, std::string(s.as_string()), "linked", now);
                        for (const auto& s : details["referrals"].as_array())
                            store.link_service(c.id, "referral:" + std::string(s.as_string()), "referral", now);
                    }
                    return http::json_response(200, summary(c));
                },
                "Move a case to its next stage (assessment: crisis_level 1–4 and needs; plan: goals, services, "
                "referrals; monitoring; closed: outcome)",
                "cases", false,
                R"({"type":"object","additionalProperties":false,"required":["stage"],"properties":{)"
                R"("stage":{"enum":["assessment","plan","monitoring","closed"],"description":"the next stage, or closed"},)"
                R"("crisis_level":{"type":"integer","minimum":1,"maximum":4,"description":"assessment"},)"
                R"("needs":{"type":"array","minItems":1,"maxItems":16,"items":{"type":"string","maxLength":40},"description":"assessment: topic codes"},)"
                R"("summary":{"type":"string","maxLength":2000,"description":"assessment"},)"
                R"("goals":{"type":"array","minItems":1,"maxItems":10,"items":{"type":"string","maxLength":300},"description":"plan"},)"
                R"("services":{"type":"array","maxItems":20,"items":{"type":"string","maxLength":64},"description":"plan: catalogue service ids"},)"
                R"("referrals":{"type":"array","maxItems":10,"items":{"type":"string","maxLength":200},"description":"plan"},)"
                R"("note":{"type":"string","maxLength":2000,"description":"monitoring, closed"},)"
                R"("outcome":{"enum":["resolved","linked_public","linked_private","moved","refused","unreachable","died"],"description":"closed"}}})"});

    router.add({"POST", "/api/v1/cases/{id}/notes",
                [&store, load](Request& req) {
                    identity::Principal p;
                    auto c = load(req, p);
                    if (c.stage == "closed") throw Error(ErrorKind::conflict, "the case is closed");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"text"});
                    auto text = r.string("text", true, 5000);
                    errors.throw_if_any();
                    store.add_entry(c.id, "note", json::serialize(json::object{{"text", *text}}), p.account_id, store::now_unix());
                    return http::json_response(201, json::object{{"recorded", true}});
                },
                "Add a case note (encrypted)", "cases", false,
                R"({"type":"object","additionalProperties":false,"required":["text"],"properties":{"text":{"type":"string","maxLength":5000}}})",
                201});

    router.add({"POST", "/api/v1/cases/{id}/visits",
                [&store, load](Request& req) {
                    identity::Principal p;
                    auto c = load(req, p);
                    if (c.stage == "closed") throw Error(ErrorKind::conflict, "the case is closed");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"checklist", "result"});
                    auto result = r.string("result", true, 5000);
                    json::object checklist;
                    json::array concerns;
                    auto it = body.find("checklist");
                    if (it == body.end() || !it->value().is_object()) {
                        errors.add("checklist", "required", "an object of checklist items");
                    } else {
                        for (const auto& [k, v] : it->value().as_object()) {
                            std::string key(k);
                            if (!contains(checklist_items(), key)) {
                                errors.add("checklist." + key, "unknown_item", "not a checklist item");
                                continue;
                            }
                            if (!v.is_string() || (v.as_string() != "ok" && v.as_string() != "problem" && v.as_string() != "not_checked")) {
                                errors.add("checklist." + key, "invalid", "ok, problem or not_checked");
                                continue;
                            }
                            checklist[key] = v;
                            if (v.as_string() == "problem") concerns.emplace_back(key);
                        }
                        for (const auto& item : checklist_items())
                            if (!checklist.contains(item)) checklist[item] = "not_checked";
                    }
                    errors.throw_if_any();
                    store.add_entry(c.id, "visit",
                                    json::serialize(json::object{{"checklist", checklist}, {"result", *result}, {"concerns", concerns}}),
                                    p.account_id, store::now_unix());
                    return http::json_response(201, json::object{{"recorded", true}, {"concerns", concerns}});
                },
                "Record a home visit: checklist (meals, heating, medication, hygiene, mobility, mood, housing_safety, "
                "utilities: ok / problem / not_checked) and the result",
                "cases", false,
                R"({"type":"object","additionalProperties":false,"required":["checklist","result"],"properties":{)"
                R"("checklist":{"type":"object","additionalProperties":false,"properties":{)"
                R"("meals":{"enum":["ok","problem","not_checked"]},"heating":{"enum":["ok","problem","not_checked"]},)"
                R"("medication":{"enum":["ok","problem","not_checked"]},"hygiene":{"enum":["ok","problem","not_checked"]},)"
                R"("mobility":{"enum":["ok","problem","not_checked"]},"mood":{"enum":["ok","problem","not_checked"]},)"
                R"("housing_safety":{"enum":["ok","problem","not_checked"]},"utilities":{"enum":["ok","problem","not_checked"]}}},)"
                R"("result":{"type":"string","maxLength":5000}}})",
                201});

    router.add({"PUT", "/api/v1/cases/{id}/assignee",
                [&store, &ids, may_hold](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto c = store.get(id_param(req));
                    // A supervisor of the case's dong (or a district administrator): a caseworker who
                    // could hand a case to themselves could read any case of their dong.
                    identity::require_record(p, Action::reassign_case,
                                             c ? std::optional(identity::Target{c->district_id, c->dong_id}) : std::nullopt, "case");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"account_id"});
                    auto who = r.integer("account_id", true, 1, 1LL << 53);
                    errors.throw_if_any();
                    if (!may_hold(*who, c->district_id, c->dong_id)) {
                        errors.add("account_id", "not_a_caseworker", "a caseworker of this dong or a district administrator");
                        errors.throw_if_any();
                    }
                    long long now = store::now_unix();
                    // Who now reads the case's notes is a change to whose record is open to whom: logged.
                    identity::log_access(ids, p, req, c->district_id, "case", c->id, "reassign", "assigned_account_id",
                                         "case handed from account " + std::to_string(c->assigned_account_id) +
                                             " to account " + std::to_string(*who));
                    store.reassign(c->id, *who, p.account_id, now);
                    return http::json_response(200, json::object{{"id", c->id}, {"assigned_account_id", *who}});
                },
                "Hand a case to another caseworker of its dong (a supervisor of the dong or a district "
                "administrator; logged)",
                "cases", false,
                R"({"type":"object","additionalProperties":false,"required":["account_id"],"properties":{"account_id":{"type":"integer","minimum":1}}})"});
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/cases"},
             {"POST", "/api/v1/cases/{id}/stage"},
             {"POST", "/api/v1/cases/{id}/notes"},
             {"POST", "/api/v1/cases/{id}/visits"},
             {"PUT", "/api/v1/cases/{id}/assignee"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::cases
