#include "outreach/api.hpp"

#include <algorithm>
#include <cstdlib>

#include "news/news.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "outreach/api_internal.hpp"

namespace dure::outreach {

std::vector<identity::Dong> dongs_of(Context& c, long long district_id) {
    for (auto& d : c.ids.store().districts())
        if (d.id == district_id) return d.dongs;
    return {};
}

boost::json::value time_json(long long t) {
    return t ? boost::json::value(catalog::format_timestamp(t)) : boost::json::value(nullptr);
}

long long path_id(const http::Request& req, const char* name, const char* what) {
    const auto& s = req.param(name);
    if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos ||
        std::stoll(s) < 1)
        throw Error(ErrorKind::not_found, std::string("no such ") + what);
    return std::stoll(s);
}

int page_param(const http::Request& req) {
    auto p = req.query_param("page");
    if (!p) return 1;
    if (p->empty() || p->size() > 6 || p->find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(*p) < 1)
        throw Error(ErrorKind::validation, "page must be a positive integer",
                    {{"page", "invalid_page", "a positive integer"}});
    return std::stoi(*p);
}

std::string idempotency_key(const http::Request& req, const std::string& caller) {
    return identity::idempotency_key(req, caller);
}

std::string request_hash(const http::Request& req) { return identity::request_hash(req); }

std::string access_reason(const http::Request& req) { return identity::access_reason(req); }

void log_access(Context& c, const identity::Principal& who, long long district_id, const char* kind,
                long long subject_id, const char* action, const char* fields, const std::string& reason,
                const http::Request& req) {
    identity::log_access(c.ids, who, req, district_id, kind, subject_id, action, fields, reason);
}

bool Reach::covers(long long dong_id) const {
    if (all_dongs) return true;
    return dong_id != 0 && std::find(dongs.begin(), dongs.end(), dong_id) != dongs.end();
}

Reach reach_of(Context& c, const identity::Principal& who, identity::Action action, long long district_id) {
    Reach r;
    r.all_dongs = identity::authorize(who, action, {district_id}).allowed;
    for (const auto& d : dongs_of(c, district_id))
        if (r.all_dongs || identity::authorize(who, action, {district_id, d.id}).allowed)
            r.dongs.push_back(d.id);
    if (!r.all_dongs && r.dongs.empty()) identity::require(who, action, {district_id});
    return r;
}

identity::Principal require_login(Context& c, const http::Request& req) {
    auto p = identity::principal_of(c.ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

void require_somewhere(const identity::Principal& who, identity::Action action, long long district_id) {
    if (!identity::may_ever(who, action)) identity::require(who, action, {district_id});
}

void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids, catalog::Catalog& catalog,
                     std::function<long long()> default_district, const PublicLimits& limits) {
    auto ctx = std::make_shared<Context>(db, keys, ids, catalog, std::move(default_district), limits);
    if (const char* secret = std::getenv("DURE_KAKAO_SKILL_SECRET")) ctx->kakao_secret = secret;
    add_report_routes(router, ctx);
    add_gatekeeper_routes(router, ctx);
    add_triage_routes(router, ctx);
    add_kakao_route(router, ctx);
    add_workload_route(router, ctx);
    add_staff_route(router, ctx);
}

}  // namespace dure::outreach
