#include "app/serve.hpp"

#include <algorithm>
#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <iostream>
#include <soci/soci.h>
#include <sstream>
#include <tuple>

#include "http/json.hpp"
#include "http/metrics.hpp"
#include "app/idempotent.hpp"
#include "http/openapi.hpp"
#include "http/static_files.hpp"
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "jobs/scheduler.hpp"
#include "store/change_feed.hpp"
#include "store/database.hpp"
#include "store/db_stats.hpp"

namespace dure::app {
namespace {

bool parse_listen(const std::string& s, std::string& host, unsigned short& port) {
    auto colon = s.rfind(':');
    if (colon == std::string::npos) return false;
    host = s.substr(0, colon);
    if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    try {
        int p = std::stoi(s.substr(colon + 1));
        if (p < 0 || p > 65535) return false;
        port = static_cast<unsigned short>(p);
    } catch (...) {
        return false;
    }
    return !host.empty();
}

// Background threads end before the modules they use are destroyed, also on an exception.
struct StopFirst {
    std::function<void()> f;
    ~StopFirst() { f(); }
};

// The platform's own routes: liveness, readiness (the database and the check-in escalation
// loop), Prometheus metrics on loopback.
void add_operations_routes(http::Router& router, store::Database& db, jobs::Scheduler& scheduler,
                           http::Metrics& metrics) {
    router.add({"GET", "/healthz",
                [](http::Request&) { return http::json_response(200, boost::json::object{{"status", "ok"}}); },
                "Liveness: the process is up", "operations", true});
    router.add({"GET", "/readyz",
                [&db, &scheduler](http::Request&) {
                    bool db_ok = db.ping();
                    // The escalation loop went round within three of its periods (and 10 s).
                    long long period = scheduler.period("checkin_escalation");
                    bool esc_ok = scheduler.alive("checkin_escalation", std::max(10LL, 3 * period));
                    bool ok = db_ok && esc_ok;
                    return http::json_response(ok ? 200 : 503,
                                               boost::json::object{{"status", ok ? "ready" : "not ready"},
                                                                   {"db", db_ok ? "ok" : "unreachable"},
                                                                   {"escalation", esc_ok ? "ok" : "stalled"}});
                },
                "Readiness: the database answers and the escalation loop is ticking", "operations"});
    // At each scrape: the database pool and what the background work has left undone.
    metrics.add_source([&db] {
        std::ostringstream o;
        auto st = store::db_stats(db);
        o << "# HELP dure_db_pool_waits_total Database calls that waited for a connection (SQLite: for the writer).\n"
          << "# TYPE dure_db_pool_waits_total counter\n"
          << "dure_db_pool_waits_total " << st.waits << "\n"
          << "# HELP dure_db_pool_wait_seconds_total Time those calls waited.\n"
          << "# TYPE dure_db_pool_wait_seconds_total counter\n"
          << "dure_db_pool_wait_seconds_total " << st.wait_seconds << "\n";
        if (db.dialect() == store::Dialect::sqlite)
            o << "# HELP dure_db_commits_total SQLite write transactions committed (one per group-commit batch).\n"
              << "# TYPE dure_db_commits_total counter\n"
              << "dure_db_commits_total " << st.commits << "\n"
              << "# HELP dure_db_grouped_writes_total Writes committed in those transactions.\n"
              << "# TYPE dure_db_grouped_writes_total counter\n"
              << "dure_db_grouped_writes_total " << st.grouped_writes << "\n";
        long long now = store::now_unix();
        long long backlog = 0, oldest = 0, dead = 0;
        std::vector<std::pair<long long, long long>> steps;  // step, open escalations
        std::vector<std::tuple<std::string, long long, long long>> jobs;  // name, last success, period
        db.read([&](soci::session& s) {
            soci::indicator ind = soci::i_ok;
            s << "SELECT count(*), min(created_at) FROM outbox WHERE status IN ('pending', 'sending')", soci::into(backlog),
                soci::into(oldest, ind);
            if (ind == soci::i_null) oldest = 0;
            s << "SELECT count(*) FROM outbox WHERE status = 'dead'", soci::into(dead);
            std::vector<long long> step_no(64), open_n(64);
            s << "SELECT step, count(*) FROM escalations WHERE closed_at = 0 GROUP BY step ORDER BY step",
                soci::into(step_no), soci::into(open_n);
            for (std::size_t i = 0; i < step_no.size(); ++i) steps.emplace_back(step_no[i], open_n[i]);
            std::vector<std::string> names(256);
            std::vector<long long> last(256), period(256);
            s << "SELECT name, last_success_at, period_seconds FROM scheduled_jobs ORDER BY name", soci::into(names),
                soci::into(last), soci::into(period);
            for (std::size_t i = 0; i < names.size(); ++i) jobs.emplace_back(names[i], last[i], period[i]);
        });
        o << "# HELP dure_outbox_backlog Messages waiting to be sent (pending or being sent).\n"
          << "# TYPE dure_outbox_backlog gauge\n"
          << "dure_outbox_backlog " << backlog << "\n"
          << "# HELP dure_outbox_oldest_pending_age_seconds Age of the oldest message waiting (0 when none).\n"
          << "# TYPE dure_outbox_oldest_pending_age_seconds gauge\n"
          << "dure_outbox_oldest_pending_age_seconds " << (backlog > 0 && oldest > 0 ? now - oldest : 0) << "\n"
          << "# HELP dure_outbox_dead_letters Messages given up on (staff see them at /api/v1/admin/outbox/dead).\n"
          << "# TYPE dure_outbox_dead_letters gauge\n"
          << "dure_outbox_dead_letters " << dead << "\n"
          << "# HELP dure_escalations_open Open check-in escalations, by step (4 = 119/112).\n"
          << "# TYPE dure_escalations_open gauge\n";
        for (long long step = 1; step <= 4; ++step) {
            long long n = 0;
            for (auto& [st2, c] : steps)
                if (st2 == step) n = c;
            o << "dure_escalations_open{step=\"" << step << "\"} " << n << "\n";
        }
        for (auto& [st2, c] : steps)
            if (st2 < 1 || st2 > 4) o << "dure_escalations_open{step=\"" << st2 << "\"} " << c << "\n";
        o << "# HELP dure_job_seconds_since_success Seconds since each scheduled job last succeeded (on any process; -1 never).\n"
          << "# TYPE dure_job_seconds_since_success gauge\n";
        for (auto& [name, last, period] : jobs)
            o << "dure_job_seconds_since_success{job=\"" << name << "\"} " << (last > 0 ? now - last : -1) << "\n";
        o << "# HELP dure_job_period_seconds Each scheduled job's period.\n"
          << "# TYPE dure_job_period_seconds gauge\n";
        for (auto& [name, last, period] : jobs) o << "dure_job_period_seconds{job=\"" << name << "\"} " << period << "\n";
        return o.str();
    });
    router.add({"GET", "/metrics",
                [&metrics](http::Request& req) {
                    bool local = req.remote_addr == "127.0.0.1" || req.remote_addr == "::1";
                    if (!local) throw Error(ErrorKind::forbidden, "metrics are served on loopback only");
                    http::Response r;
                    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                    r.body = metrics.prometheus();
                    return r;
                },
                "Prometheus metrics (loopback only)", "operations", true});
}

}  // namespace

int serve(ServeConfig cfg, std::vector<std::unique_ptr<Module>>& modules, const char* version) {
    auto& opts = cfg.server;
    if (!parse_listen(cfg.listen, opts.host, opts.port)) {
        std::cerr << "dure: --listen must be HOST:PORT, got '" << cfg.listen << "'\n";
        return 2;
    }
    // The check-ins' passive-signal webhook secret (checked before anything starts).
    if (auto secret = Platform::env("DURE_SIGNAL_SECRET"); !secret.empty() && secret.size() < 32) {
        std::cerr << "dure: DURE_SIGNAL_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)\n";
        return 2;
    }
    auto db = open_database(cfg.common, std::max(4, opts.worker_threads + std::max(1, opts.hash_threads)));
    auto keys = load_keys(cfg.common, *db);
    identity::IdentityStore id_store(*db, keys);
    identity::IdentityService identity(id_store, cfg.identity);

    http::Router router;
    http::Metrics metrics;
    // Scheduled work (src/jobs): each job on its own thread, each run claimed cluster-wide.
    jobs::Scheduler scheduler(*db);
    // Every process's caches follow changes made by any process (store/change_feed.hpp).
    store::ChangeFeed changes(*db, cfg.common.db);
    add_operations_routes(router, *db, scheduler, metrics);

    auto districts = id_store.districts();
    long long first_district = districts.empty() ? 0 : districts.front().id;
    auto default_district = [&id_store, first_district]() {
        if (first_district) return first_district;
        auto ds = id_store.districts();
        return ds.empty() ? 0LL : ds.front().id;
    };
    Platform platform{*db,
                      keys,
                      id_store,
                      &identity,
                      default_district,
                      Platform::env("DURE_PUBLIC_URL", "http://" + cfg.listen),
                      &cfg.limits,
                      {}};
    platform.key_file = cfg.common.key_file;
    platform.changes = &changes;
    // The modules (src/app/modules.cpp): start, then routes, in list order.
    for (auto& m : modules) m->start(platform);
    changes.start();
    StopFirst stop_changes{[&changes] { changes.stop(); }};
    for (auto& m : modules) m->routes(router, platform);
    make_idempotent(router, *db, keys, identity);  // every route marked idempotent
    auto openapi = std::make_shared<std::string>();
    router.add({"GET", "/api/openapi.json",
                [openapi](http::Request&) {
                    http::Response r;
                    r.body = *openapi;
                    return r;
                },
                "This OpenAPI 3.1 document", "operations", true});
    *openapi = http::openapi_document(router, version);
    for (auto& m : modules)
        for (auto& j : m->jobs(platform)) scheduler.add(std::move(j));

    http::StaticFiles files(cfg.web_root);
    if (files.size() == 0)
        std::cerr << "dure: no web UI found in '" << cfg.web_root << "' (run `make build`); serving the API only\n";
    http::Server server(opts, router, &files, metrics);
    unsigned short port = server.listen();
    std::cerr << "dure " << version << ": " << db->describe() << ", listening on http://"
              << (opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host) << ":" << port
              << std::endl;
    StopFirst stop_jobs{[&scheduler] { scheduler.stop(); }};
    scheduler.start();
    server.run();
    scheduler.stop();
    changes.stop();
    for (auto& m : modules) m->stop(platform);
    std::cerr << "dure: stopped" << std::endl;
    return 0;
}

ServeCommand::ServeCommand(CLI::App& app) {
    cmd = app.add_subcommand("serve", "Run the HTTP server (applies migrations first)");
    add_common(cmd, cfg.common);
    cmd->add_option("--listen", cfg.listen, "HOST:PORT to listen on (port 0 picks one)")
        ->envname("DURE_LISTEN")
        ->capture_default_str();
    cmd->add_option("--web-root", cfg.web_root, "Folder of the built web UI")
        ->envname("DURE_WEB_ROOT")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->capture_default_str();
    cmd->add_option("--access-log", cfg.server.access_log, "JSON-lines access log file, - for stdout, empty for none")
        ->envname("DURE_ACCESS_LOG")
        ->capture_default_str();
    cmd->add_option("--io-threads", cfg.server.io_threads, "io threads (0: one per core)")->capture_default_str();
    cmd->add_option("--workers", cfg.server.worker_threads, "worker threads for database and CPU work")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--header-timeout-ms", header_ms, "time allowed for a request head")
        ->check(CLI::Range(100LL, 600000LL))
        ->capture_default_str();
    cmd->add_option("--idle-timeout-ms", idle_ms, "keep-alive idle time")
        ->check(CLI::Range(100LL, 3600000LL))
        ->capture_default_str();
    cmd->add_option("--body-limit", cfg.server.body_limit, "largest request body in bytes")->capture_default_str();
    cmd->add_option("--session-ttl", cfg.identity.session_ttl, "session lifetime in seconds")
        ->envname("DURE_SESSION_TTL")
        ->check(CLI::Range(1LL, 30LL * 86400))
        ->capture_default_str();
    cmd->add_flag("--trust-proxy", cfg.server.trust_proxy,
                        "believe X-Forwarded-For/-Proto (behind nginx); the throttles then key on the client's address");
    cmd->add_option("--queue-limit", cfg.server.queue_limit, "requests waiting for a worker; beyond it 503 + Retry-After")
        ->envname("DURE_QUEUE_LIMIT")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    cmd->add_option("--hash-threads", cfg.server.hash_threads,
                          "password-hashing threads for sign-up and login, at low priority (0: half the cores)")
        ->envname("DURE_HASH_THREADS")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    cmd->add_option("--hash-queue", cfg.server.hash_queue,
                          "sign-ups and logins waiting for a hashing thread; beyond it 503 + Retry-After")
        ->envname("DURE_HASH_QUEUE")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    limit_flags = {
        {"--limit-signup", "DURE_LIMIT_SIGNUP", &cfg.identity.signup_per_address, "sign-ups per client address", ""},
        {"--limit-login-address", "DURE_LIMIT_LOGIN_ADDRESS", &cfg.identity.login_per_address,
         "failed logins per client address", ""},
        {"--limit-login", "DURE_LIMIT_LOGIN", &cfg.identity.login_per_login,
         "failed logins per login name at one client address (no account is ever locked)", ""},
        {"--limit-reports-address", "DURE_LIMIT_REPORTS_ADDRESS", &cfg.limits.reports_per_address,
         "anonymous web reports per client address", ""},
        {"--limit-reports-account", "DURE_LIMIT_REPORTS_ACCOUNT", &cfg.limits.reports_per_account,
         "web reports per logged-in account", ""},
        {"--limit-kakao-user", "DURE_LIMIT_KAKAO_USER", &cfg.limits.kakao_per_user, "KakaoTalk reports per chat user", ""},
        {"--limit-kakao-address", "DURE_LIMIT_KAKAO_ADDRESS", &cfg.limits.kakao_per_address,
         "KakaoTalk skill requests per calling address", ""},
        {"--limit-simulations", "DURE_LIMIT_SIMULATIONS", &cfg.limits.simulations,
         "eligibility simulations per client address (per account when logged in)", ""},
    };
    CLI::Validator limit_check(
        [](std::string& v) {
            return RateLimit::parse(v) ? std::string() : std::string("must be N/SECONDS (e.g. 10/3600) or off");
        },
        "N/SECONDS|off");
    for (auto& f : limit_flags) {
        f.value = f.target->str();
        cmd->add_option(f.flag, f.value, f.what)->envname(f.env)->check(limit_check)->capture_default_str();
    }

}

int ServeCommand::run(std::vector<std::unique_ptr<Module>>& modules, const char* version) {
    cfg.server.header_timeout = std::chrono::milliseconds(header_ms);
    cfg.server.idle_timeout = std::chrono::milliseconds(idle_ms);
    for (const auto& f : limit_flags) {
        auto l = RateLimit::parse(f.value);
        if (!l) {
            std::cerr << "dure: " << f.flag << " must be N/SECONDS (e.g. 10/3600) or off, got '" << f.value << "'\n";
            return 2;
        }
        *f.target = *l;
    }
    return serve(cfg, modules, version);
}

}  // namespace dure::app
