// The gatekeeper registry over HTTP: officials list, register and update honorary welfare
// officers and partner-institution workers. Their names and phones are personal data: every
// listing and read goes to the access log.
#include "news/news.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "outreach/api_internal.hpp"
#include "outreach/normalize.hpp"

namespace dure::outreach {

namespace json = boost::json;
using http::Request;
using identity::Action;

namespace {

constexpr int kPageSize = 50;

json::object gatekeeper_json(const Gatekeeper& g) {
    auto opt = [](const std::string& v) { return v.empty() ? json::value(nullptr) : json::value(v); };
    auto id = [](long long v) { return v ? json::value(v) : json::value(nullptr); };
    return {{"id", g.id},
            {"district_id", g.district_id},
            {"dong_id", id(g.dong_id)},
            {"account_id", id(g.account_id)},
            {"kind", to_string(g.kind)},
            {"occupation", g.occupation},
            {"organization", g.organization},
            {"name", g.name},
            {"phone", opt(g.phone)},
            {"training_date", opt(g.training_date)},
            {"agreement_date", opt(g.agreement_date)},
            {"active", g.active},
            {"created_at", time_json(g.created_at)},
            {"updated_at", time_json(g.updated_at)}};
}

// Reads the registry fields present in `body` into `g`; `creating` makes the essentials required.
void read_gatekeeper(Context& c, const json::object& body, Gatekeeper& g, bool creating,
                     FieldErrors& errors) {
    http::BodyReader r(body, errors);
    r.allow_only({"kind", "occupation", "organization", "name", "phone", "dong_id", "training_date",
                  "agreement_date", "account_id", "active"});
    if (!creating && body.contains("account_id"))
        errors.add("account_id", "read_only", "the account of a registry entry cannot change; register anew");
    if (auto k = r.string("kind", creating, 30)) {
        if (auto kind = parse_gatekeeper_kind(*k))
            g.kind = *kind;
        else
            errors.add("kind", "unknown_kind", "honorary_officer or partner_worker");
    }
    if (auto o = r.string("occupation", creating, 30)) {
        if (is_code(occupation_codes(), *o))
            g.occupation = *o;
        else
            errors.add("occupation", "unknown_occupation", "see GET /api/v1/outreach/vocabulary");
    }
    if (auto o = r.string("organization", creating, 100)) g.organization = *o;
    if (auto n = r.string("name", creating, 50)) g.name = *n;
    if (body.contains("phone")) {
        auto p = r.string("phone", false, 30);
        g.phone = p ? normalize_any_phone(*p) : "";
        if (p && g.phone.empty()) errors.add("phone", "invalid_phone", "a Korean mobile or landline number");
    }
    if (body.contains("dong_id")) {
        g.dong_id = r.integer("dong_id", false, 1, 1LL << 53).value_or(0);
        auto dongs = dongs_of(c, g.district_id);
        if (g.dong_id &&
            std::none_of(dongs.begin(), dongs.end(), [&](const auto& d) { return d.id == g.dong_id; }))
            errors.add("dong_id", "unknown_dong", "no such dong in this district");
    }
    for (auto [key, into] : {std::pair<const char*, std::string*>{"training_date", &g.training_date},
                             {"agreement_date", &g.agreement_date}}) {
        if (!body.contains(key)) continue;
        auto d = r.string(key, false, 10).value_or("");
        if (!d.empty() && (d.size() != 10 || !catalog::parse_timestamp(d)))
            errors.add(key, "invalid_date", "a date as YYYY-MM-DD");
        else
            *into = d;
    }
    if (auto it = body.find("active"); it != body.end()) {
        if (!it->value().is_bool())
            errors.add("active", "not_a_boolean", "true or false");
        else
            g.active = it->value().as_bool();
    }
    if (creating) {
        g.account_id = r.integer("account_id", false, 1, 1LL << 53).value_or(0);
        if (g.account_id) {
            auto acc = c.ids.store().account(g.account_id);
            if (!acc || acc->district_id != g.district_id)
                errors.add("account_id", "unknown_account", "no such account in your district");
        }
    }
}

// The registry entry `req` names, once the caller is allowed to manage it (same 403 for
// missing and not-yours, so ids cannot be probed).
Gatekeeper managed_gatekeeper(Context& c, const identity::Principal& p, const Request& req) {
    auto g = c.store.gatekeeper(path_id(req, "id", "gatekeeper"));
    identity::Target t =
        g ? identity::Target{g->district_id, g->dong_id} : identity::Target{p.district_id, 0};
    identity::require(p, Action::manage_gatekeepers, t);
    if (!g) throw Error(ErrorKind::not_found, "no such gatekeeper");
    return *g;
}

const char* kGatekeeperSchema = R"({"type":"object","additionalProperties":false,
 "required":["kind","occupation","organization","name"],
 "properties":{"kind":{"enum":["honorary_officer","partner_worker"]},"occupation":{"type":"string"},
 "organization":{"type":"string","maxLength":100},"name":{"type":"string","maxLength":50},"phone":{"type":"string"},
 "dong_id":{"type":"integer"},"training_date":{"type":"string","format":"date"},
 "agreement_date":{"type":"string","format":"date"},"account_id":{"type":"integer"},"active":{"type":"boolean"}}})";

}  // namespace

void add_gatekeeper_routes(http::Router& router, ContextPtr ctx) {
    router.add({"GET", "/api/v1/outreach/gatekeepers",
                [ctx](Request& req) {
                    auto& c = *ctx;
                    auto p = require_login(c, req);
                    auto reach = reach_of(c, p, Action::manage_gatekeepers, p.district_id);
                    int page = page_param(req);
                    auto list = c.store.gatekeepers(p.district_id, reach.dongs, reach.all_dongs,
                                                    (page - 1) * kPageSize, kPageSize);
                    json::array items;
                    for (const auto& g : list.items) {
                        log_access(c, p, g.district_id, "gatekeeper", g.id, "list", "name,phone",
                                   "gatekeeper registry", req);
                        items.push_back(gatekeeper_json(g));
                    }
                    return http::json_response(200, json::object{{"items", std::move(items)},
                                                                 {"total", list.total},
                                                                 {"page", page},
                                                                 {"page_size", kPageSize}});
                },
                "Gatekeepers of the dongs the caller manages (caseworker, district_admin); listing is logged",
                "outreach"});

    router.add({"POST", "/api/v1/outreach/gatekeepers",
                [ctx](Request& req) {
                    auto& c = *ctx;
                    auto p = require_login(c, req);
                    require_somewhere(p, Action::manage_gatekeepers, p.district_id);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    Gatekeeper g;
                    g.district_id = p.district_id;
                    read_gatekeeper(c, body, g, true, errors);
                    errors.throw_if_any();
                    identity::require(p, Action::manage_gatekeepers, {g.district_id, g.dong_id});
                    long long now = store::now_unix();
                    g.id = c.store.create_gatekeeper(g, p.account_id, now);
                    log_access(c, p, g.district_id, "gatekeeper", g.id, "create", "name,phone", "registered",
                               req);
                    return http::json_response(201, gatekeeper_json(*c.store.gatekeeper(g.id)));
                },
                "Register a gatekeeper: honorary welfare officer or partner-institution worker, with "
                "organization, dong, training and agreement dates and an optional login account",
                "outreach", false, kGatekeeperSchema, 201});

    router.add({"GET", "/api/v1/outreach/gatekeepers/{id}",
                [ctx](Request& req) {
                    auto& c = *ctx;
                    auto p = require_login(c, req);
                    auto g = managed_gatekeeper(c, p, req);
                    log_access(c, p, g.district_id, "gatekeeper", g.id, "read", "name,phone",
                               "gatekeeper registry", req);
                    auto counts = c.store.gatekeeper_report_counts(g.id);
                    auto o = gatekeeper_json(g);
                    o["reports"] = json::object{{"received", counts.received},
                                                {"under_review", counts.under_review},
                                                {"closed", counts.closed}};
                    return http::json_response(200, o);
                },
                "One gatekeeper with how their reports stand (counts only)", "outreach"});

    router.add({"PATCH", "/api/v1/outreach/gatekeepers/{id}",
                [ctx](Request& req) {
                    auto& c = *ctx;
                    auto p = require_login(c, req);
                    auto g = managed_gatekeeper(c, p, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    read_gatekeeper(c, body, g, false, errors);
                    errors.throw_if_any();
                    identity::require(p, Action::manage_gatekeepers, {g.district_id, g.dong_id});
                    c.store.update_gatekeeper(g, store::now_unix());
                    log_access(c, p, g.district_id, "gatekeeper", g.id, "update", "name,phone",
                               "registry update", req);
                    return http::json_response(200, gatekeeper_json(*c.store.gatekeeper(g.id)));
                },
                "Update a gatekeeper (training, agreement, dong, organization, active …)", "outreach", false,
                R"({"type":"object","additionalProperties":false,"properties":{"kind":{"type":"string"},)"
                R"("occupation":{"type":"string"},"organization":{"type":"string"},"name":{"type":"string"},)"
                R"("phone":{"type":["string","null"]},"dong_id":{"type":["integer","null"]},)"
                R"("training_date":{"type":["string","null"]},"agreement_date":{"type":["string","null"]},)"
                R"("active":{"type":"boolean"}}})"});
}

}  // namespace dure::outreach
