#include "screening/api.hpp"

#include <boost/json.hpp>
#include <sstream>

#include "common/dates.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"

namespace dure::screening {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

std::string month_of_today(int back) {
    auto today = today_seoul();
    int y = std::stoi(today.substr(0, 4)), m = std::stoi(today.substr(5, 2)) - back;
    while (m < 1) {
        m += 12;
        --y;
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    return buf;
}

namespace {

long long id_param(const Request& req, const char* name) { return http::path_id(req, name, "record"); }

json::array why(const Model& m, std::uint64_t flags) {
    const auto& cat = IndicatorCatalog::embedded();
    json::array out;
    for (auto [i, w] : contributions(m, flags))
        out.push_back(json::object{{"indicator", cat.all()[i].code}, {"label_ko", cat.all()[i].label_ko},
                                   {"label_en", cat.all()[i].label_en}, {"contribution", w}});
    return out;
}

struct Tally {
    long long listed = 0, decided = 0, supported = 0, not_in_need = 0, unreachable = 0, refused = 0;
    json::object json() const {
        long long judged = supported + not_in_need;
        return {{"listed", listed}, {"decided", decided}, {"supported", supported}, {"not_in_need", not_in_need},
                {"unreachable", unreachable}, {"refused", refused},
                {"precision", judged ? json::value(static_cast<double>(supported) / static_cast<double>(judged)) : json::value(nullptr)}};
    }
    void add(const Item& it) {
        ++listed;
        if (it.outcome.empty()) return;
        ++decided;
        if (needed_support(it.outcome)) ++supported;
        else if (it.outcome == "not_in_need") ++not_in_need;
        else if (it.outcome == "unreachable") ++unreachable;
        else if (it.outcome == "refused") ++refused;
    }
};

// The start of month "YYYY-MM" in Korea (UTC+9), as Unix seconds; `next` gives the month after.
long long month_start_seoul(const std::string& ym, bool next) {
    int y = std::atoi(ym.substr(0, 4).c_str()), m = std::atoi(ym.substr(5, 2).c_str());
    if (next && ++m > 12) m = 1, ++y;
    std::chrono::sys_days d = std::chrono::year{y} / std::chrono::month{static_cast<unsigned>(m)} / 1;
    return std::chrono::duration_cast<std::chrono::seconds>(d.time_since_epoch()).count() - 9 * 3600;
}

// Reported households against what the round listed: the share the data alone missed.
json::object coverage_json(const ReportedCoverage& c) {
    long long missed = c.linked - c.found;
    return {{"reported", c.reported},
            {"linked", c.linked},
            {"found_by_data", c.found},
            {"missed_by_data", missed},
            {"missed_share", c.linked ? json::value(static_cast<double>(missed) / static_cast<double>(c.linked))
                                      : json::value(nullptr)}};
}

bool valid_month(const std::string& p) {
    return p.size() == 7 && p[4] == '-' && std::isdigit(static_cast<unsigned char>(p[0])) && p.substr(5) >= "01" &&
           p.substr(5) <= "12" && std::all_of(p.begin(), p.begin() + 4, ::isdigit) && std::isdigit(static_cast<unsigned char>(p[5])) &&
           std::isdigit(static_cast<unsigned char>(p[6]));
}

}  // namespace

std::vector<Round> run_due_rounds(ScreeningStore& store, const std::vector<long long>& districts, long long now) {
    std::vector<Round> out;
    const auto& cat = IndicatorCatalog::embedded();
    for (long long district : districts) {
        auto rounds = store.rounds(district);
        bool due = true;
        for (const auto& r : rounds) due = due && r.created_at <= now - kRoundEverySeconds;
        if (!due) continue;
        std::string from = month_of_today(5), to = month_of_today(0);
        auto hs = store.signals(district, from, to, cat);
        if (hs.empty()) continue;
        auto model = store.model(district, cat);
        auto ranked = rank_by_dong(model, hs, 30, 0.5);
        out.push_back(store.create_round(district, "schedule", from, to, model, hs, ranked));
    }
    return out;
}

void register_routes(http::Router& router, ScreeningStore& store, identity::IdentityService& ids,
                     std::function<long long()> default_district) {
    // Lists are per dong: a dong caseworker sees rounds, and in them only their dong's households.
    auto require_some_dong = [&ids](const identity::Principal& p, long long district) {
        if (identity::authorize(p, Action::read_household, {district}).allowed) return;
        for (const auto& d : ids.store().districts())
            if (d.id == district)
                for (const auto& g : d.dongs)
                    if (identity::authorize(p, Action::read_household, {district, g.id}).allowed) return;
        identity::require(p, Action::read_household, {district});  // throws 401 / 403 with the reason
    };
    // ?district_id= or the caller's own district (never the first district of the database).
    auto district_of = [](const Request& req, const identity::Principal& p) {
        if (auto d = req.query_param("district_id")) {
            try {
                return std::stoll(*d);
            } catch (...) {
                FieldErrors e;
                e.add("district_id", "invalid", "a district id");
                e.throw_if_any();
            }
        }
        return p.district_id;
    };
    auto actor = [](const identity::Principal& p) { return "account:" + std::to_string(p.account_id); };

    router.add({"GET", "/api/v1/screening/indicators",
                [](Request&) {
                    const auto& cat = IndicatorCatalog::embedded();
                    json::array items;
                    for (const auto& i : cat.all())
                        items.push_back(json::object{{"code", i.code}, {"label_ko", i.label_ko}, {"label_en", i.label_en},
                                                     {"agency", i.agency}, {"default_weight", i.weight}});
                    return http::json_response(200, json::object{{"items", std::move(items)}, {"default_bias", cat.default_bias()}});
                },
                "The crisis-indicator types institutions report, with their default weights", "screening", true});

    router.add({"POST", "/api/v1/screening/indicators",
                [&store, &ids, district_of](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = district_of(req, p);
                    identity::require(p, Action::take_report, {district});
                    auto dongs = ids.store().districts();
                    std::map<std::string, long long> dong_ids;
                    for (const auto& d : dongs)
                        if (d.id == district)
                            for (const auto& g : d.dongs) dong_ids[g.code] = g.id;
                    std::istringstream in(req.body);
                    const auto& cat = IndicatorCatalog::embedded();
                    auto rep = parse_indicator_csv(in, cat, [&](const std::string& c) { return dong_ids.count(c) > 0; });
                    if (rep.error_count) {
                        FieldErrors errors;
                        for (const auto& e : rep.errors)
                            errors.add("line " + std::to_string(e.line) + (e.field.empty() ? "" : "." + e.field), e.code, e.message);
                        if (rep.error_count > static_cast<long long>(rep.errors.size()))
                            errors.add("file", "more_errors", std::to_string(rep.error_count - static_cast<long long>(rep.errors.size())) +
                                                                  " more errors not listed; nothing was imported");
                        errors.throw_if_any();
                    }
                    auto res = store.import(district, rep.rows, dong_ids, cat, "upload:" + std::to_string(p.account_id));
                    return http::json_response(200, json::object{{"rows", res.rows}, {"households", res.households}});
                },
                "Upload an institution's indicator file (CSV household_key,dong,indicator,value,period); all or "
                "nothing, every bad row listed; importing the same rows again changes nothing",
                "screening", false,
                R"({"type":"string","contentMediaType":"text/csv","description":"UTF-8 CSV with a header row: household_key,dong,indicator,value,period"})"});

    router.add({"POST", "/api/v1/screening/rounds",
                [&store, &ids, district_of, actor](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = district_of(req, p);
                    identity::require(p, Action::triage_household, {district});
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"from", "to", "per_dong", "min_score"});
                    std::string from = r.string("from", false, 7).value_or(month_of_today(5));
                    std::string to = r.string("to", false, 7).value_or(month_of_today(0));
                    if (!valid_month(from)) errors.add("from", "invalid_month", "a month as YYYY-MM");
                    if (!valid_month(to)) errors.add("to", "invalid_month", "a month as YYYY-MM");
                    if (errors.empty() && from > to) errors.add("from", "after_to", "must not be after to");
                    long long per_dong = r.integer("per_dong", false, 1, 500).value_or(30);
                    double min_score = 0.5;
                    if (auto it = body.find("min_score"); it != body.end()) {
                        if (!it->value().is_number() || it->value().to_number<double>() < 0 || it->value().to_number<double>() > 1)
                            errors.add("min_score", "out_of_range", "a number from 0 to 1");
                        else min_score = it->value().to_number<double>();
                    }
                    errors.throw_if_any();
                    const auto& cat = IndicatorCatalog::embedded();
                    auto model = store.model(district, cat);
                    auto hs = store.signals(district, from, to, cat);
                    auto ranked = rank_by_dong(model, hs, static_cast<std::size_t>(per_dong), min_score);
                    auto round = store.create_round(district, actor(p), from, to, model, hs, ranked);
                    Response resp = http::json_response(201, json::object{{"id", round.id}, {"households", round.households},
                                                                          {"listed", round.listed}, {"model_version", round.model_version},
                                                                          {"from", from}, {"to", to}});
                    return resp;
                },
                "Run a screening round: score every household with indicators in the period and list the highest "
                "in each dong (bimonthly, or on demand)",
                "screening", false,
                R"({"type":"object","additionalProperties":false,"x-body-optional":true,"properties":{)"
                R"("from":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$","description":"YYYY-MM; five months ago when left out"},)"
                R"("to":{"type":"string","pattern":"^[0-9]{4}-[0-9]{2}$","description":"YYYY-MM; this month when left out"},)"
                R"("per_dong":{"type":"integer","minimum":1,"maximum":500},"min_score":{"type":"number","minimum":0,"maximum":1}}})",
                201});

    router.add({"GET", "/api/v1/screening/rounds",
                [&store, &ids, district_of, require_some_dong](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = district_of(req, p);
                    require_some_dong(p, district);
                    json::array out;
                    for (const auto& r : store.rounds(district))
                        out.push_back(json::object{{"id", r.id}, {"created_at", r.created_at}, {"from", r.period_from},
                                                   {"to", r.period_to}, {"households", r.households}, {"listed", r.listed},
                                                   {"model_version", r.model_version}});
                    return http::json_response(200, json::object{{"items", std::move(out)}});
                },
                "Screening rounds of the district, newest first", "screening"});

    // Items of a round, only in the dongs the caller may see; no household keys here.
    router.add({"GET", "/api/v1/screening/rounds/{id}",
                [&store, &ids, require_some_dong](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto round = store.round(id_param(req, "id"));
                    // Another district's round answers like a missing one.
                    if (!round || round->district_id != p.district_id) {
                        require_some_dong(p, p.district_id);
                        throw Error(ErrorKind::not_found, "no such round");
                    }
                    require_some_dong(p, round->district_id);
                    long long dong = 0;
                    if (auto d = req.query_param("dong")) dong = std::atoll(d->c_str());
                    const auto& cat = IndicatorCatalog::embedded();
                    auto model = store.model(round->district_id, cat);
                    json::array items;
                    std::map<long long, Tally> per_dong;
                    Tally all;
                    std::map<long long, bool> allowed;
                    for (const auto& it : store.items(round->id, dong)) {
                        auto a = allowed.find(it.dong_id);
                        if (a == allowed.end())
                            a = allowed.emplace(it.dong_id, identity::authorize(p, Action::read_household,
                                                                                {round->district_id, it.dong_id}).allowed).first;
                        if (!a->second) continue;
                        per_dong[it.dong_id].add(it);
                        all.add(it);
                        items.push_back(json::object{{"id", it.id}, {"dong_id", it.dong_id}, {"rank", it.rank},
                                                     {"score", it.score}, {"why", why(model, it.flags)},
                                                     {"outcome", it.outcome.empty() ? json::value(nullptr) : json::value(it.outcome)}});
                    }
                    // Households people reported in the period, in the dongs the caller may see.
                    ReportedCoverage reported;
                    std::map<long long, ReportedCoverage> reported_by_dong;
                    for (const auto& [d, cov] : store.reported_coverage(*round, month_start_seoul(round->period_from, false),
                                                                        month_start_seoul(round->period_to, true))) {
                        if (dong && d != dong) continue;
                        if (!identity::authorize(p, Action::read_household, {round->district_id, d}).allowed) continue;
                        reported.reported += cov.reported;
                        reported.linked += cov.linked;
                        reported.found += cov.found;
                        reported_by_dong[d] = cov;
                    }
                    json::object dongs;
                    for (const auto& [d, t] : per_dong) dongs[std::to_string(d)] = t.json();
                    for (const auto& [d, cov] : reported_by_dong) {
                        auto& o = dongs[std::to_string(d)];
                        if (!o.is_object()) o = Tally{}.json();
                        o.as_object()["reported"] = coverage_json(cov);
                    }
                    auto report = all.json();
                    report["reported"] = coverage_json(reported);
                    return http::json_response(200, json::object{{"id", round->id}, {"from", round->period_from},
                                                                 {"to", round->period_to}, {"households", round->households},
                                                                 {"report", std::move(report)}, {"by_dong", std::move(dongs)},
                                                                 {"items", std::move(items)}});
                },
                "A round's ranked households (the caller's dongs only) with each score's reasons, and the round's "
                "report: listed, decided, outcomes and precision, and of the households people reported in the "
                "period those linked to a household key, found by the data and missed by it",
                "screening"});

    router.add({"GET", "/api/v1/screening/items/{id}",
                [&store, &ids](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto it = store.item(id_param(req, "id"));
                    auto round = it ? store.round(it->round_id) : std::nullopt;
                    identity::require_record(p, Action::read_household,
                                             round ? std::optional(identity::Target{round->district_id, it->dong_id}) : std::nullopt,
                                             "item");
                    identity::log_access(ids, p, req, round->district_id, "screening_item", it->id, "read",
                                         "household_key", identity::access_reason(req));
                    const auto& cat = IndicatorCatalog::embedded();
                    return http::json_response(200, json::object{
                        {"id", it->id}, {"round_id", it->round_id}, {"dong_id", it->dong_id}, {"rank", it->rank},
                        {"score", it->score}, {"why", why(store.model(round->district_id, cat), it->flags)},
                        {"household_key", store.household_key(round->district_id, it->household_hash)},
                        {"outcome", it->outcome.empty() ? json::value(nullptr) : json::value(it->outcome)}});
                },
                "One listed household with the institution's household key, to visit (logged as a read)", "screening"});

    router.add({"PUT", "/api/v1/screening/items/{id}/outcome",
                [&store, &ids, actor](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
                    auto it = store.item(id_param(req, "id"));
                    auto round = it ? store.round(it->round_id) : std::nullopt;
                    identity::require_record(p, Action::triage_household,
                                             round ? std::optional(identity::Target{round->district_id, it->dong_id}) : std::nullopt,
                                             "item");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"outcome"});
                    auto outcome = r.string("outcome", true, 40);
                    const auto& codes = outcome_codes();
                    if (outcome && std::find(codes.begin(), codes.end(), *outcome) == codes.end())
                        errors.add("outcome", "unknown_code",
                                   "supported_public, supported_private, case_management, not_in_need, unreachable or refused");
                    errors.throw_if_any();
                    store.set_outcome(it->id, *outcome, actor(p));
                    return http::json_response(200, json::object{{"id", it->id}, {"outcome", *outcome}});
                },
                "Record what happened to a listed household", "screening", false,
                R"({"type":"object","additionalProperties":false,"required":["outcome"],"properties":{"outcome":{"enum":[)"
                R"("supported_public","supported_private","case_management","not_in_need","unreachable","refused"]}}})"});

    router.add({"POST", "/api/v1/screening/model/recalibrate",
                [&store, &ids, district_of](Request& req) {
                    auto p = identity::principal_of(ids, req);
                    long long district = district_of(req, p);
                    identity::require(p, Action::triage_household, {district});
                    const auto& cat = IndicatorCatalog::embedded();
                    auto current = store.model(district, cat);
                    auto data = store.training_set(district);
                    if (data.size() < 20) {
                        FieldErrors e;
                        e.add("outcomes", "too_few", "at least 20 recorded outcomes (supported or not in need) are needed; there are " +
                                                         std::to_string(data.size()));
                        e.throw_if_any();
                    }
                    auto fitted = recalibrate(current, data);
                    store.save_model(district, fitted);
                    json::object weights;
                    for (std::size_t i = 0; i < cat.all().size(); ++i)
                        weights[cat.all()[i].code] = json::object{{"before", current.weights[i]}, {"after", fitted.weights[i]}};
                    return http::json_response(200, json::object{{"version", fitted.version}, {"trained_on", fitted.trained_on},
                                                                 {"bias", fitted.bias}, {"weights", std::move(weights)}});
                },
                "Refit the screening weights to the outcomes recorded so far (L2-regularized towards the defaults)",
                "screening", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/screening/rounds"},
             {"PUT", "/api/v1/screening/items/{id}/outcome"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::screening
