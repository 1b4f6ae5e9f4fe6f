#include "jobs/api.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>

#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "common/error.hpp"
#include "jobs/scheduler.hpp"

namespace dure::jobs {

namespace json = boost::json;
using http::Request;

namespace {

identity::Principal require_admin(identity::IdentityService& svc, const Request& req, long long district) {
    auto p = identity::principal_of(svc, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
    identity::require(p, identity::Action::manage_roles, {district});
    return p;
}

}  // namespace

void register_routes(http::Router& router, store::Database& db, identity::IdentityService& identity,
                     std::function<long long()> default_district) {
    router.add({"GET", "/api/v1/admin/jobs",
                [&db, &identity, default_district](Request& req) {
                    // Deployment-wide (no personal data): an administrator of any district.
                    auto p = identity::principal_of(identity, req);
                    require_admin(identity, req, p.authenticated() ? p.district_id : default_district());
                    json::array items;
                    for (const auto& j : list(db))
                        items.push_back(json::object{{"name", j.name},
                                                     {"period_seconds", j.period_seconds},
                                                     {"last_run_at", j.last_run_at},
                                                     {"last_success_at", j.last_success_at},
                                                     {"next_run_at", j.next_run_at},
                                                     {"runs", j.runs},
                                                     {"failures", j.failures},
                                                     {"last_error", j.last_error},
                                                     {"running", j.lease_until > store::now_unix()}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Scheduled jobs: last run, last success, next run, last error", "admin"});

    router.add({"GET", "/api/v1/admin/outbox/dead",
                [&db, &identity, default_district](Request& req) {
                    auto caller = identity::principal_of(identity, req);
                    long long district = caller.authenticated() ? caller.district_id : default_district();
                    require_admin(identity, req, district);
                    // Who, which channel, when, and why: never the message itself (it names people).
                    json::array items;
                    long long total = 0;
                    db.read([&](soci::session& s) {
                        std::string dead = "dead";
                        s << "SELECT COUNT(*) FROM outbox o JOIN accounts a ON a.id = o.account_id WHERE o.status = :s AND "
                             "a.district_id = :d",
                            soci::into(total), soci::use(dead), soci::use(district);
                        long long id = 0, account = 0, attempts = 0, created = 0, urgent = 0;
                        std::string channel, error;
                        soci::statement st =
                            (s.prepare << "SELECT o.id, o.account_id, o.channel, o.attempts, o.last_error, o.created_at, o.urgent "
                                          "FROM outbox o JOIN accounts a ON a.id = o.account_id WHERE o.status = :s AND "
                                          "a.district_id = :d ORDER BY o.id DESC LIMIT 200",
                             soci::into(id), soci::into(account), soci::into(channel), soci::into(attempts), soci::into(error),
                             soci::into(created), soci::into(urgent), soci::use(dead), soci::use(district));
                        st.execute();
                        while (st.fetch())
                            items.push_back(json::object{{"id", id},
                                                         {"account_id", account},
                                                         {"channel", channel},
                                                         {"attempts", attempts},
                                                         {"last_error", error},
                                                         {"created_at", created},
                                                         {"urgent", urgent != 0}});
                    });
                    return http::json_response(200, json::object{{"total", total}, {"items", std::move(items)}});
                },
                "Dead letters: outbox messages that could not be decoded or sent after their retries", "admin"});
}

}  // namespace dure::jobs
