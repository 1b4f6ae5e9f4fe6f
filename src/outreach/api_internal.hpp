#pragma once
// Shared by outreach's route files (report_api, gatekeeper_api, triage_api, kakao_api); not a
// public header of the module.
#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.hpp"
#include "common/rate_limit.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "identity/authz.hpp"
#include "identity/service.hpp"
#include "outreach/store.hpp"

namespace dure::outreach {

// What every outreach handler needs; shared by the routes for the life of the router.
struct Context {
    Context(store::Database& db, const identity::Keyring& keys, identity::IdentityService& ids,
            catalog::Catalog& catalog, std::function<long long()> default_district, const PublicLimits& limits)
        : db(db),
          store(db, keys),
          ids(ids),
          catalog(catalog),
          default_district(std::move(default_district)),
          anonymous_reports(limits.reports_per_address),
          account_reports(limits.reports_per_account),
          chat_reports(limits.kakao_per_user),
          skill_callers(limits.kakao_per_address) {}

    store::Database& db;
    OutreachStore store;
    identity::IdentityService& ids;
    catalog::Catalog& catalog;
    std::function<long long()> default_district;
    // Anonymous reports per client address, reports per logged-in account, KakaoTalk reports per
    // chat user, and skill requests per calling address.
    RateLimiter anonymous_reports;
    RateLimiter account_reports;
    RateLimiter chat_reports;
    RateLimiter skill_callers;
    std::string kakao_secret;  // empty: the skill endpoint is off
};
using ContextPtr = std::shared_ptr<Context>;

void add_report_routes(http::Router& router, ContextPtr ctx);
void add_gatekeeper_routes(http::Router& router, ContextPtr ctx);
void add_triage_routes(http::Router& router, ContextPtr ctx);
void add_kakao_route(http::Router& router, ContextPtr ctx);
void add_workload_route(http::Router& router, ContextPtr ctx);
// GET /api/v1/outreach/staff: who serves a dong, by name and role (staff_api.cpp).
void add_staff_route(http::Router& router, ContextPtr ctx);

// The caseworker of household `h`'s dong with the lowest risk-weighted load (workload.hpp), and
// why; 422 on `field` when nobody serves that dong.
struct AutoAssignment {
    long long account_id = 0;
    std::string reason, reason_ko;
};
AutoAssignment pick_assignee(Context& c, const Household& h, const char* field);

// The dongs of a district; empty when there is no such district.
std::vector<identity::Dong> dongs_of(Context& c, long long district_id);
// "2025-03-01T00:00:00Z", or null for 0.
boost::json::value time_json(long long t);
// A positive id from a path segment; 404 otherwise.
long long path_id(const http::Request& req, const char* name, const char* what);
// ?page= (1 when absent); 422 when not a positive integer.
int page_param(const http::Request& req);
// The client's Idempotency-Key, hashed with who sent it ("" when none); 422 when malformed.
std::string idempotency_key(const http::Request& req, const std::string& caller);
// The hash an Idempotency-Key is bound to: the same key with another body is a 422.
std::string request_hash(const http::Request& req);
// X-Access-Reason, required to open personal data; 422 when missing or malformed.
std::string access_reason(const http::Request& req);
// Appends one row to identity's access log (who read whose record, which fields, why).
void log_access(Context& c, const identity::Principal& who, long long district_id, const char* kind,
                long long subject_id, const char* action, const char* fields, const std::string& reason,
                const http::Request& req);
// The dongs of `district` for which `who` may do `action`, and whether a district grant lets them
// see everything (households and gatekeepers with no dong too). Throws 403 with the reason when
// neither.
struct Reach {
    std::vector<long long> dongs;
    bool all_dongs = false;
    bool covers(long long dong_id) const;
};
Reach reach_of(Context& c, const identity::Principal& who, identity::Action action, long long district_id);
// 401 unless logged in.
identity::Principal require_login(Context& c, const http::Request& req);
// 403 (with the reason) unless `who` may do `action` at some scope: checked before reading a
// body whose own target decides the rest.
void require_somewhere(const identity::Principal& who, identity::Action action, long long district_id);

}  // namespace dure::outreach
