// dure — integrated community-welfare platform. Wiring only: parse the command line, open the
// database, build the modules, hand them to the server.
#include <CLI/CLI.hpp>
#include <atomic>
#include <thread>
#include <soci/soci.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "catalog/api.hpp"
#include "catalog/catalog.hpp"
#include "catalog/hsds.hpp"
#include "catalog/hsds_api.hpp"
#include "catalog/news.hpp"
#include "catalog/store.hpp"
#include "app/module.hpp"
#include "cli/demo.hpp"
#include "cli/demo_catalog.hpp"
#include "cli/demo_disclosures.hpp"
#include "cli/demo_stats.hpp"
#include "common/dates.hpp"
#include "common/embedded.hpp"
#include "common/rate_limit.hpp"
#include "eligibility/alerts.hpp"
#include "eligibility/alerts_api.hpp"
#include "eligibility/api.hpp"
#include "eligibility/casefile.hpp"
#include "eligibility/store.hpp"
#include "eligibility/rules.hpp"
#include "http/json.hpp"
#include "http/openapi.hpp"
#include "http/server.hpp"
#include "identity/api.hpp"
#include "identity/audit_anchor.hpp"
#include "notify/channels.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "identity/store.hpp"
#include "jobs/api.hpp"
#include "jobs/scheduler.hpp"
#include "cases/api.hpp"
#include "checkins/api.hpp"
#include "outreach/api.hpp"
#include "outreach/demo.hpp"
#include "privacy/api.hpp"
#include "privacy/retention.hpp"
#include "screening/api.hpp"
#include "screening/store.hpp"
#include "store/change_feed.hpp"
#include "store/database.hpp"
#include "surveys/surveys.hpp"

namespace {

constexpr const char* kVersion = "0.1.0";

struct Common {
    std::string db = "sqlite:var/dure.db";
    std::string key_file = "var/dure.key";
};

// Loads the master key. A new key beside a database that already holds encrypted data would
// make all of it unreadable, so that case stops with an explanation instead.
// Alerts: channels from the environment (DURE_SMTP_URL, DURE_SMTP_FROM, DURE_SMTP_USER,
// DURE_SMTP_PASSWORD; DURE_ALERT_WEBHOOK_URL, DURE_ALERT_WEBHOOK_SECRET) and the public address
// used in links (DURE_PUBLIC_URL).
std::string env_or(const char* name, const std::string& dflt = {}) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : dflt;
}

void configure_alerts(dure::eligibility::AlertService& alerts) {
    if (auto url = env_or("DURE_SMTP_URL"); !url.empty())
        alerts.set_email(std::make_unique<dure::notify::SmtpSender>(url, env_or("DURE_SMTP_FROM", "no-reply@dure.kr"),
                                                                    env_or("DURE_SMTP_USER"), env_or("DURE_SMTP_PASSWORD")));
    if (auto url = env_or("DURE_ALERT_WEBHOOK_URL"); !url.empty())
        alerts.set_webhook(std::make_unique<dure::notify::HttpWebhookSender>(url, env_or("DURE_ALERT_WEBHOOK_SECRET")));
}

dure::eligibility::Days today_days(const dure::eligibility::Rules& rules) {
    auto d = dure::eligibility::parse_date(dure::today_seoul()).value_or(rules.first_date());
    return std::clamp(d, rules.first_date(), rules.last_date());
}

dure::identity::Keyring load_keys(const Common& c, dure::store::Database& db) {
    bool created = false;
    auto keys = dure::identity::Keyring::load_or_create(c.key_file, &created);
    if (created) {
        long long accounts = 0;
        db.read([&](soci::session& s) { s << "SELECT COUNT(*) FROM accounts", soci::into(accounts); });
        if (accounts > 0) {
            std::filesystem::remove(c.key_file);
            throw std::runtime_error("the key file " + c.key_file + " is missing but " + db.describe() +
                                     " holds encrypted data; restore the key file from backup "
                                     "(see docs/operations.md)");
        }
        std::cerr << "dure: created a new master key in " << c.key_file << " (back it up)\n";
    }
    // A different key beside an existing database: refuse before writing anything with it.
    dure::identity::IdentityStore(db, keys).check_master_key(c.key_file);
    return keys;
}

// Where the signed access-log checkpoints go: DURE_AUDIT_CHECKPOINT_FILE, else beside the key
// file (var/audit-checkpoints.log by default).
std::filesystem::path checkpoint_file(const Common& c) {
    auto f = env_or("DURE_AUDIT_CHECKPOINT_FILE");
    if (!f.empty()) return f;
    return std::filesystem::path(c.key_file).parent_path() / "audit-checkpoints.log";
}

std::string_view embedded_text(const char* path) {
    auto t = dure::embedded::find(path);
    if (!t) throw std::runtime_error(std::string("missing embedded file ") + path);
    return *t;
}

// Opens the database (creating the SQLite file's folder) and applies pending migrations.
std::unique_ptr<dure::store::Database> open_db(const Common& c, int pool = 4) {
    if (c.db.starts_with("sqlite:")) {
        std::filesystem::path p = c.db.substr(7);
        if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
    }
    auto db = dure::store::Database::open(c.db, pool);
    int n = dure::store::migrate(*db);
    if (n > 0) std::cerr << "dure: applied " << n << " migration(s) to " << db->describe() << "\n";
    return db;
}

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

void add_common(CLI::App* cmd, Common& c) {
    cmd->add_option("--db", c.db, "Database: sqlite:PATH or postgresql://…")->envname("DURE_DB")->capture_default_str();
    cmd->add_option("--key-file", c.key_file, "Master key file (created with mode 0600 if missing)")
        ->envname("DURE_KEY_FILE")
        ->capture_default_str();
}

int serve(const Common& c, const std::string& listen, const std::string& web_root, dure::http::ServerOptions opts,
          dure::identity::IdentityOptions id_opts, const dure::PublicLimits& limits) {
    if (!parse_listen(listen, opts.host, opts.port)) {
        std::cerr << "dure: --listen must be HOST:PORT, got '" << listen << "'\n";
        return 2;
    }
    if (auto secret = env_or("DURE_SIGNAL_SECRET"); !secret.empty() && secret.size() < 32) {
        std::cerr << "dure: DURE_SIGNAL_SECRET must be at least 32 characters (e.g. `openssl rand -hex 32`)\n";
        return 2;
    }
    dure::privacy::Retention::embedded();  // a broken retention configuration stops the start
    auto db = open_db(c, std::max(4, opts.worker_threads + std::max(1, opts.hash_threads)));
    auto keys = load_keys(c, *db);
    dure::identity::IdentityStore id_store(*db, keys);
    dure::identity::IdentityService identity(id_store, id_opts);
    // The access log's head, signed, outside the database (and optionally to another host).
    std::unique_ptr<dure::notify::HttpWebhookSender> checkpoint_sink;
    if (auto url = env_or("DURE_AUDIT_CHECKPOINT_URL"); !url.empty())
        checkpoint_sink = std::make_unique<dure::notify::HttpWebhookSender>(url, env_or("DURE_AUDIT_CHECKPOINT_SECRET"));
    dure::identity::AuditAnchor anchor(id_store, keys, checkpoint_file(c), [&checkpoint_sink](const std::string& line) {
        if (checkpoint_sink) checkpoint_sink->post(line);
    });
    auto write_checkpoint = [&anchor] {
        try {
            anchor.checkpoint(dure::store::now_unix());
        } catch (const std::exception& e) {
            std::cerr << "dure: audit checkpoint: " << e.what() << std::endl;
        }
    };
    write_checkpoint();

    dure::http::Router router;
    dure::http::Metrics metrics;
    // Scheduled work (src/jobs): each job on its own thread, each run claimed cluster-wide.
    dure::jobs::Scheduler scheduler(*db);
    // Every process's caches follow changes made by any process (store/change_feed.hpp).
    dure::store::ChangeFeed changes(*db, c.db);
    router.add({"GET", "/healthz",
                [](dure::http::Request&) { return dure::http::json_response(200, boost::json::object{{"status", "ok"}}); },
                "Liveness: the process is up", "operations", true});
    router.add({"GET", "/readyz",
                [&db, &scheduler](dure::http::Request&) {
                    bool db_ok = db->ping();
                    // The escalation loop went round within three of its periods (and 10 s).
                    long long period = scheduler.period("checkin_escalation");
                    bool esc_ok = scheduler.alive("checkin_escalation", std::max(10LL, 3 * period));
                    bool ok = db_ok && esc_ok;
                    return dure::http::json_response(ok ? 200 : 503,
                                                     boost::json::object{{"status", ok ? "ready" : "not ready"},
                                                                         {"db", db_ok ? "ok" : "unreachable"},
                                                                         {"escalation", esc_ok ? "ok" : "stalled"}});
                },
                "Readiness: the database answers and the escalation loop is ticking", "operations"});
    router.add({"GET", "/metrics",
                [&metrics](dure::http::Request& req) {
                    bool local = req.remote_addr == "127.0.0.1" || req.remote_addr == "::1";
                    if (!local) throw dure::Error(dure::ErrorKind::forbidden, "metrics are served on loopback only");
                    dure::http::Response r;
                    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                    r.body = metrics.prometheus();
                    return r;
                },
                "Prometheus metrics (loopback only)", "operations", true});
    dure::identity::register_routes(router, identity);

    dure::catalog::CatalogStore catalog_store(*db);
    dure::catalog::Catalog catalog(catalog_store,
                                   dure::catalog::Synonyms::parse(std::string(embedded_text("data/catalog/synonyms.txt")) + "\n" +
                                                                   std::string(embedded_text("data/catalog/situations.txt"))),
                                   dure::catalog::Vocabulary::parse(embedded_text("data/catalog/taxonomy.json")));
    // A catalogue edit by any process (or `dure import hsds`) rebuilds this process's indexes;
    // the answer cache is keyed by their generation, so it follows.
    changes.subscribe("catalog", [&catalog, &id_store] {
        auto t0 = std::chrono::steady_clock::now();
        for (const auto& d : id_store.districts()) catalog.refresh(d.id);
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
        std::cerr << "dure: catalogue changed: search index refreshed in " << ms << " ms" << std::endl;
    });
    changes.start();
    // Background threads end before the modules they use are destroyed, also on an exception.
    struct StopFirst {
        std::function<void()> f;
        ~StopFirst() { f(); }
    } stop_changes{[&changes] { changes.stop(); }};
    auto districts = id_store.districts();
    for (const auto& d : districts) catalog.load(d.id);
    long long first_district = districts.empty() ? 0 : districts.front().id;
    auto default_district = [&id_store, first_district]() {
        if (first_district) return first_district;
        auto ds = id_store.districts();
        return ds.empty() ? 0LL : ds.front().id;
    };
    dure::catalog::register_routes(router, catalog, identity, default_district);
    dure::catalog::register_hsds_routes(router, catalog_store, first_district);
    dure::catalog::register_disclosure_routes(router, *db, catalog_store, identity, default_district);
    dure::catalog::register_stats_routes(router, *db, identity, default_district);
    auto rules = dure::eligibility::Rules::embedded();
    dure::eligibility::ProfileStore profiles(*db, keys);
    dure::eligibility::register_routes(
        router, rules, identity, profiles,
        [&catalog_store](long long district) {
            std::vector<dure::eligibility::CatalogProgram> out;
            for (const auto& s : catalog_store.services(district))
                if (!s.program_code.empty() && s.status == "active") out.push_back({s.program_code, s.id, s.name});
            return out;
        },
        default_district, limits.simulations);
    std::string public_url = env_or("DURE_PUBLIC_URL", "http://" + listen);
    dure::eligibility::AlertService alerts(*db, keys, id_store, profiles, rules, public_url);
    configure_alerts(alerts);
    dure::eligibility::RecommendationStore recs(*db);
    dure::eligibility::register_alert_routes(
        router, rules, identity, alerts, profiles, recs,
        [&catalog_store](long long district) {
            std::vector<dure::eligibility::ServiceInfo> out;
            for (const auto& s : catalog_store.services(district))
                if (s.status == "active")
                    out.push_back({s.id, s.name, s.program_code, s.provider_level, s.life_stages, s.situations, s.topics});
            return out;
        },
        default_district);
    dure::outreach::register_routes(router, *db, keys, identity, catalog, default_district, limits);
    dure::surveys::register_routes(router, *db, keys, identity, default_district);
    dure::cases::CaseStore case_store(*db, keys);
    dure::cases::register_routes(
        router, case_store, identity,
        [&catalog](const std::string& id) {
            auto s = catalog.summary(id);
            return s ? s->name : std::string();
        },
        default_district);
    dure::checkins::CheckinStore checkin_store(*db, keys);
    checkin_store.set_notifications(public_url, alerts.email_configured(), alerts.sms_configured());
    dure::checkins::register_routes(router, checkin_store, identity, default_district, env_or("DURE_SIGNAL_SECRET"));
    dure::screening::ScreeningStore screening_store(*db, keys);
    dure::screening::register_routes(router, screening_store, identity, default_district);
    dure::privacy::register_routes(router, *db, keys, identity);
    dure::jobs::register_routes(router, *db, identity, default_district);
    // Modules with an entry point (src/app/modules.cpp): start, routes.
    auto modules = dure::app::all_modules();
    dure::app::Platform platform{*db, keys, id_store, &identity, default_district, public_url, &limits, {}};
    for (auto& m : modules) m->start(platform);
    for (auto& m : modules) m->routes(router, platform);
    auto openapi = std::make_shared<std::string>();
    router.add({"GET", "/api/openapi.json",
                [openapi](dure::http::Request&) {
                    dure::http::Response r;
                    r.body = *openapi;
                    return r;
                },
                "This OpenAPI 3.1 document", "operations", true});
    *openapi = dure::http::openapi_document(router, kVersion);

    dure::http::StaticFiles files(web_root);
    if (files.size() == 0)
        std::cerr << "dure: no web UI found in '" << web_root << "' (run `make build`); serving the API only\n";
    dure::http::Server server(opts, router, &files, metrics);
    unsigned short port = server.listen();
    std::cerr << "dure " << kVersion << ": " << db->describe() << ", listening on http://"
              << (opts.host.find(':') != std::string::npos ? "[" + opts.host + "]" : opts.host) << ":" << port
              << std::endl;
    // Background work, one line per job: name, period (s), delay of the very first run (s), work.
    // Outbox delivery and the check-in escalation tick run every DURE_ALERT_INTERVAL seconds
    // (default 30) on threads of their own, so no delivery problem holds up an escalation.
    long long interval = std::max(1L, std::strtol(env_or("DURE_ALERT_INTERVAL", "30").c_str(), nullptr, 10));
    scheduler.add({"checkin_escalation", interval, 0, [&](long long now) {
                       // Missed check-ins open escalations; open ones climb the ladder.
                       auto t = checkin_store.tick(now);
                       if (t.opened || t.advanced)
                           std::cerr << "dure: check-ins: " << t.opened << " escalations opened, " << t.advanced << " advanced"
                                     << std::endl;
                   }, 30});
    scheduler.add({"outbox_delivery", interval, 0, [&](long long now) { alerts.deliver(now); }, 120});
    scheduler.add({"rescreen", 86400, 60, [&](long long now) {
                       auto st = alerts.rescreen(today_days(*rules), now);
                       std::cerr << "dure: re-screened " << st.members << " members, notified " << st.notified << std::endl;
                   }});
    scheduler.add({"screening_rounds", 86400, 60, [&](long long now) {
                       // Risk screening every two months per district (on demand too, over the API).
                       std::vector<long long> ids;
                       for (const auto& d : id_store.districts()) ids.push_back(d.id);
                       for (const auto& r : dure::screening::run_due_rounds(screening_store, ids, now))
                           std::cerr << "dure: screening round " << r.id << " of district " << r.district_id << ": "
                                     << r.listed << " of " << r.households << " households listed" << std::endl;
                   }});
    long long checkpoint_every =
        std::max(1L, std::strtol(env_or("DURE_AUDIT_CHECKPOINT_INTERVAL", "300").c_str(), nullptr, 10));
    scheduler.add({"audit_checkpoint", checkpoint_every, checkpoint_every, [&](long long) { write_checkpoint(); }});
    scheduler.add({"privacy_purge", 86400, 60, [&](long long now) {
                       // Retention: purge what is past its period (data/privacy/retention.json).
                       long long purged = 0;
                       for (const auto& c : dure::privacy::purge(*db, dure::privacy::Retention::embedded(), now, false))
                           purged += c.count;
                       if (purged) std::cerr << "dure: retention purge removed " << purged << " records" << std::endl;
                   }});
    for (auto& m : modules)
        for (auto& j : m->jobs(platform)) scheduler.add(std::move(j));
    StopFirst stop_jobs{[&scheduler] { scheduler.stop(); }};
    scheduler.start();
    server.run();
    scheduler.stop();
    changes.stop();
    write_checkpoint();  // the head as the server leaves it
    std::cerr << "dure: stopped" << std::endl;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"dure (두레) — integrated community-welfare platform"};
    app.require_subcommand(1);
    app.set_version_flag("--version", kVersion);
    Common common;

    auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP server (applies migrations first)");
    add_common(serve_cmd, common);
    std::string listen = "127.0.0.1:8080", web_root = "web/dist";
    dure::http::ServerOptions sopts;
    dure::identity::IdentityOptions iopts;
    long long header_ms = 10000, idle_ms = 30000;
    serve_cmd->add_option("--listen", listen, "HOST:PORT to listen on (port 0 picks one)")
        ->envname("DURE_LISTEN")
        ->capture_default_str();
    serve_cmd->add_option("--web-root", web_root, "Folder of the built web UI")
        ->envname("DURE_WEB_ROOT")
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
        ->capture_default_str();
    serve_cmd->add_option("--access-log", sopts.access_log, "JSON-lines access log file, - for stdout, empty for none")
        ->envname("DURE_ACCESS_LOG")
        ->capture_default_str();
    serve_cmd->add_option("--io-threads", sopts.io_threads, "io threads (0: one per core)")->capture_default_str();
    serve_cmd->add_option("--workers", sopts.worker_threads, "worker threads for database and CPU work")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    serve_cmd->add_option("--header-timeout-ms", header_ms, "time allowed for a request head")
        ->check(CLI::Range(100LL, 600000LL))
        ->capture_default_str();
    serve_cmd->add_option("--idle-timeout-ms", idle_ms, "keep-alive idle time")
        ->check(CLI::Range(100LL, 3600000LL))
        ->capture_default_str();
    serve_cmd->add_option("--body-limit", sopts.body_limit, "largest request body in bytes")->capture_default_str();
    serve_cmd->add_option("--session-ttl", iopts.session_ttl, "session lifetime in seconds")
        ->envname("DURE_SESSION_TTL")
        ->check(CLI::Range(1LL, 30LL * 86400))
        ->capture_default_str();
    serve_cmd->add_flag("--trust-proxy", sopts.trust_proxy,
                        "believe X-Forwarded-For/-Proto (behind nginx); the throttles then key on the client's address");
    serve_cmd->add_option("--queue-limit", sopts.queue_limit, "requests waiting for a worker; beyond it 503 + Retry-After")
        ->envname("DURE_QUEUE_LIMIT")
        ->check(CLI::Range(1, 1000000))
        ->capture_default_str();
    serve_cmd->add_option("--hash-threads", sopts.hash_threads,
                          "password-hashing threads for sign-up and login, at low priority (0: half the cores)")
        ->envname("DURE_HASH_THREADS")
        ->check(CLI::Range(0, 64))
        ->capture_default_str();
    serve_cmd->add_option("--hash-queue", sopts.hash_queue,
                          "sign-ups and logins waiting for a hashing thread; beyond it 503 + Retry-After")
        ->envname("DURE_HASH_QUEUE")
        ->check(CLI::Range(1, 100000))
        ->capture_default_str();
    // Throttles: N/SECONDS lets a key act N times at once and earns the N back over SECONDS; "off"
    // disables one. 429 with Retry-After beyond it (docs/architecture.md, "Throttles").
    dure::PublicLimits plimits;
    struct LimitFlag {
        const char* flag;
        const char* env;
        dure::RateLimit* target;
        const char* what;
        std::string value;
    };
    std::vector<LimitFlag> limit_flags = {
        {"--limit-signup", "DURE_LIMIT_SIGNUP", &iopts.signup_per_address, "sign-ups per client address", ""},
        {"--limit-login-address", "DURE_LIMIT_LOGIN_ADDRESS", &iopts.login_per_address,
         "failed logins per client address", ""},
        {"--limit-login", "DURE_LIMIT_LOGIN", &iopts.login_per_login,
         "failed logins per login name at one client address (no account is ever locked)", ""},
        {"--limit-reports-address", "DURE_LIMIT_REPORTS_ADDRESS", &plimits.reports_per_address,
         "anonymous web reports per client address", ""},
        {"--limit-reports-account", "DURE_LIMIT_REPORTS_ACCOUNT", &plimits.reports_per_account,
         "web reports per logged-in account", ""},
        {"--limit-kakao-user", "DURE_LIMIT_KAKAO_USER", &plimits.kakao_per_user, "KakaoTalk reports per chat user", ""},
        {"--limit-kakao-address", "DURE_LIMIT_KAKAO_ADDRESS", &plimits.kakao_per_address,
         "KakaoTalk skill requests per calling address", ""},
        {"--limit-simulations", "DURE_LIMIT_SIMULATIONS", &plimits.simulations,
         "eligibility simulations per client address (per account when logged in)", ""},
    };
    CLI::Validator limit_check(
        [](std::string& v) {
            return dure::RateLimit::parse(v) ? std::string() : std::string("must be N/SECONDS (e.g. 10/3600) or off");
        },
        "N/SECONDS|off");
    for (auto& f : limit_flags) {
        f.value = f.target->str();
        serve_cmd->add_option(f.flag, f.value, f.what)->envname(f.env)->check(limit_check)->capture_default_str();
    }

    auto* migrate_cmd = app.add_subcommand("migrate", "Apply database migrations");
    add_common(migrate_cmd, common);

    auto* demo_cmd = app.add_subcommand("demo", "Create (or refresh) the demo district and its accounts");
    add_common(demo_cmd, common);
    std::string accounts_out;
    demo_cmd->add_option("--accounts-out", accounts_out, "Also write the demo accounts (role, login, password, scope) as JSON");
    bool demo_no_outreach = false;
    demo_cmd->add_flag("--no-outreach", demo_no_outreach,
                       "Leave out the demo gatekeepers and reports (tests that count from an empty queue)");
    bool demo_second_district = false;
    demo_cmd->add_flag("--second-district", demo_second_district,
                       "Also create a second district (누리구) with its own dongs, staff and persons");

    auto* admin_cmd = app.add_subcommand("admin", "Administration");
    admin_cmd->require_subcommand(1);
    auto* admin_create = admin_cmd->add_subcommand("create", "Create a district administrator account");
    add_common(admin_create, common);
    std::string admin_login, admin_name = "관리자", admin_password, admin_district;
    admin_create->add_option("--login", admin_login, "E-mail or mobile number")->required();
    admin_create->add_option("--name", admin_name, "Display name")->capture_default_str();
    admin_create->add_option("--password", admin_password, "Password (generated and printed if omitted)")
        ->envname("DURE_ADMIN_PASSWORD");
    admin_create->add_option("--district", admin_district, "District code (default: the first district)");

    auto* import_cmd = app.add_subcommand("import", "Import data");
    import_cmd->require_subcommand(1);
    auto* import_hsds = import_cmd->add_subcommand(
        "hsds", "Import Open Referral HSDS 3.0 (JSON file or CSV datapackage); all or nothing per file");
    add_common(import_hsds, common);
    std::string hsds_path, hsds_district;
    import_hsds->add_option("PATH", hsds_path, "JSON file, datapackage.json or its folder")->required();
    import_hsds->add_option("--district", hsds_district, "District code (default: the first district)");
    auto* import_jobs_cmd = import_cmd->add_subcommand("jobs", "Import the jobs list (CSV or JSON); all or nothing");
    add_common(import_jobs_cmd, common);
    std::string jobs_path;
    import_jobs_cmd->add_option("PATH", jobs_path, "CSV file with a header row, or JSON")->required();
    import_jobs_cmd->add_option("--district", hsds_district, "District code (default: the first district)");
    auto* import_indicators = import_cmd->add_subcommand(
        "indicators", "Import an institution's crisis-indicator file (CSV household_key,dong,indicator,value,period); all or nothing");
    add_common(import_indicators, common);
    std::string indicators_path;
    import_indicators->add_option("PATH", indicators_path, "CSV file (UTF-8)")->required();
    import_indicators->add_option("--district", hsds_district, "District code (default: the first district)");
    auto* export_cmd = app.add_subcommand("export", "Export data");
    export_cmd->require_subcommand(1);
    auto* export_hsds = export_cmd->add_subcommand("hsds", "Export the catalogue as an HSDS 3.0 CSV datapackage");
    add_common(export_hsds, common);
    std::string export_dir;
    export_hsds->add_option("DIR", export_dir, "Folder to write (created if missing)")->required();
    export_hsds->add_option("--district", hsds_district, "District code (default: the first district)");

    auto* audit_cmd = app.add_subcommand("audit", "Access-log integrity");
    audit_cmd->require_subcommand(1);
    auto* audit_verify = audit_cmd->add_subcommand(
        "verify", "Check the access log's hash chain, its guards and its signed checkpoints; exit 1 if tampered");
    add_common(audit_verify, common);
    auto* audit_checkpoint = audit_cmd->add_subcommand(
        "checkpoint", "Append a signed checkpoint of the access log's head now (the server does this periodically)");
    add_common(audit_checkpoint, common);

    auto* elig_cmd = app.add_subcommand("eligibility", "Eligibility rules (data/eligibility)");
    elig_cmd->require_subcommand(1);
    std::string elig_data, elig_cases;
    auto* elig_check = elig_cmd->add_subcommand("check", "Load and validate the rules; print what they cover");
    elig_check->add_option("--data", elig_data, "A folder laid out like data/eligibility (default: the embedded rules)");
    auto* elig_test = elig_cmd->add_subcommand("test", "Run the rule test cases (tests/rules/*.json)");
    elig_test->add_option("DIR", elig_cases, "Folder of case files")->required();
    elig_test->add_option("--data", elig_data,
                          "A folder laid out like data/eligibility (default: DIR/../../data/eligibility if it exists, "
                          "else the embedded rules)");

    auto* privacy_cmd = app.add_subcommand("privacy", "Personal-data retention (docs/privacy.md)");
    privacy_cmd->require_subcommand(1);
    auto* privacy_purge = privacy_cmd->add_subcommand(
        "purge", "Delete what is past its retention period (data/privacy/retention.json); print counts per kind");
    add_common(privacy_purge, common);
    std::string purge_now;
    bool purge_dry = false;
    privacy_purge->add_option("--now", purge_now, "The clock: Unix seconds or YYYY-MM-DD (default: now)");
    privacy_purge->add_flag("--dry-run", purge_dry, "Count only; delete nothing");
    auto* alerts_cmd = app.add_subcommand("alerts", "Membership alerts");
    alerts_cmd->require_subcommand(1);
    std::string rescreen_date;
    auto* alerts_rescreen = alerts_cmd->add_subcommand("rescreen", "Re-screen every consenting member; notify the ones with news");
    add_common(alerts_rescreen, common);
    alerts_rescreen->add_option("--date", rescreen_date, "Simulation date (default: today in Korea)");
    auto* alerts_deliver = alerts_cmd->add_subcommand("deliver", "Deliver the due outbox messages once");
    add_common(alerts_deliver, common);

    // Modules' own subcommands (app::Module::commands).
    auto cli_modules = dure::app::all_modules();
    std::vector<std::pair<CLI::App*, dure::app::Command>> module_commands;
    for (auto& m : cli_modules)
        for (auto& c : m->commands()) {
            CLI::App* parent = &app;
            std::istringstream words(c.path);
            std::vector<std::string> ws{std::istream_iterator<std::string>(words), {}};
            for (std::size_t i = 0; i < ws.size(); ++i) {
                CLI::App* sub = nullptr;
                for (auto* existing : parent->get_subcommands([](CLI::App*) { return true; }))
                    if (existing->get_name() == ws[i]) sub = existing;
                if (!sub) {
                    sub = parent->add_subcommand(ws[i], i + 1 == ws.size() ? c.help : std::string());
                    if (i + 1 < ws.size()) sub->require_subcommand(1);
                }
                parent = sub;
            }
            if (!c.run_offline) add_common(parent, common);
            if (c.options) c.options(*parent);
            module_commands.emplace_back(parent, std::move(c));
        }

    CLI11_PARSE(app, argc, argv);
    sopts.header_timeout = std::chrono::milliseconds(header_ms);
    sopts.idle_timeout = std::chrono::milliseconds(idle_ms);

    try {
        if (*serve_cmd) {
            for (const auto& f : limit_flags) {
                auto l = dure::RateLimit::parse(f.value);
                if (!l) {
                    std::cerr << "dure: " << f.flag << " must be N/SECONDS (e.g. 10/3600) or off, got '" << f.value << "'\n";
                    return 2;
                }
                *f.target = *l;
            }
            return serve(common, listen, web_root, sopts, iopts, plimits);
        }
        if (*elig_cmd) {
            namespace fs = std::filesystem;
            if (elig_data.empty() && *elig_test) {
                auto guess = fs::path(elig_cases) / ".." / ".." / "data" / "eligibility";
                if (fs::is_directory(guess)) elig_data = guess.lexically_normal().string();
            }
            auto rules = elig_data.empty() ? dure::eligibility::Rules::embedded()
                                           : dure::eligibility::Rules::from_directory(elig_data);
            std::cout << "rules: " << (elig_data.empty() ? std::string("embedded") : elig_data) << ", "
                      << rules->programs().size() << " programs, " << rules->parameters().size()
                      << " parameters, dates " << dure::eligibility::format_date(rules->first_date()) << " to "
                      << dure::eligibility::format_date(rules->last_date()) << "\n";
            if (*elig_check) {
                auto src = dure::eligibility::check_sources(*rules);
                std::cout << "sources: " << src.values << " values, " << src.checked << " with a checked date, "
                          << src.estimates << " estimates, " << src.unsourced << " without an official source\n";
                std::cout << "estimates read by each program:\n";
                for (const auto& [code, n] : src.estimates_by_program) std::cout << "  " << code << " " << n << "\n";
                for (const auto& v : src.unsourced_values)
                    std::cout << "NO SOURCE " << v << " (cite an official source or mark it estimate: with the reason)\n";
                for (const auto& p : src.missing_newest_year)
                    std::cout << "MISSING " << p << " has no value for " << src.newest_year
                              << " (renewed yearly; see docs/sources.md)\n";
                return src.ok() ? 0 : 1;
            }
            auto rep = dure::eligibility::run_case_files(*rules, elig_cases, std::cout);
            std::cout << rep.files << " files, " << rep.cases << " cases, " << rep.checks << " checks, "
                      << rep.failures << " failures\n";
            return rep.failures == 0 && rep.cases > 0 ? 0 : 1;
        }
        for (auto& [sub, cmd] : module_commands) {
            if (!*sub) continue;
            if (cmd.run_offline) return cmd.run_offline();
            auto db = open_db(common);
            auto keys = load_keys(common, *db);
            dure::identity::IdentityStore ids(*db, keys);
            auto ds = ids.districts();
            long long d0 = ds.empty() ? 0 : ds.front().id;
            dure::app::Platform platform{*db, keys, ids, nullptr, [d0] { return d0; },
                                         env_or("DURE_PUBLIC_URL", "http://127.0.0.1:8080"), nullptr, {}};
            for (auto& m : cli_modules) m->start(platform);
            return cmd.run(platform);
        }
        if (*migrate_cmd) {
            open_db(common);
            std::cout << "migrations are up to date\n";
            return 0;
        }
        if (*privacy_purge) {
            long long now = dure::store::now_unix();
            if (!purge_now.empty()) {
                bool digits = purge_now.find_first_not_of("0123456789") == std::string::npos;
                std::optional<long long> day;
                if (!digits)
                    if (auto d = dure::eligibility::parse_date(purge_now)) day = *d;
                if (!digits && !day) {
                    std::cerr << "dure: --now must be Unix seconds or a YYYY-MM-DD date, got '" << purge_now << "'\n";
                    return 2;
                }
                now = digits ? std::stoll(purge_now) : static_cast<long long>(*day) * 86400 - 9 * 3600;  // midnight in Korea
            }
            auto db = open_db(common);
            for (const auto& c : dure::privacy::purge(*db, dure::privacy::Retention::embedded(), now, purge_dry)) {
                std::cout << c.kind << std::string(c.kind.size() < 20 ? 20 - c.kind.size() : 1, ' ');
                if (c.kept) std::cout << "kept (not purged by this job)\n";
                else std::cout << c.count << (purge_dry ? " (dry run)" : "") << "\n";
            }
            return 0;
        }
        auto db = open_db(common);
        auto keys = load_keys(common, *db);
        dure::identity::IdentityStore store(*db, keys);
        if (*alerts_cmd) {
            auto rules = dure::eligibility::Rules::embedded();
            dure::eligibility::ProfileStore profiles(*db, keys);
            dure::eligibility::AlertService alerts(*db, keys, store, profiles, rules, env_or("DURE_PUBLIC_URL", "http://127.0.0.1:8080"));
            configure_alerts(alerts);
            if (*alerts_rescreen) {
                auto date = rescreen_date.empty() ? today_days(*rules) : dure::eligibility::parse_date(rescreen_date).value_or(-1);
                if (date < rules->first_date() || date > rules->last_date()) {
                    std::cerr << "dure: --date must be a YYYY-MM-DD date from " << dure::eligibility::format_date(rules->first_date())
                              << " to " << dure::eligibility::format_date(rules->last_date()) << "\n";
                    return 2;
                }
                auto st = alerts.rescreen(date, dure::store::now_unix());
                std::cout << "re-screened " << st.members << " members (" << st.skipped << " skipped): " << st.notified
                          << " notified of " << st.changes << " changes\n";
            } else {
                auto st = alerts.deliver(dure::store::now_unix());
                std::cout << "delivered " << st.sent << ", retrying " << st.retried << ", deferred (quiet hours) "
                          << st.deferred << ", given up " << st.dead << "\n";
            }
            return 0;
        }
        if (*import_indicators) {
            auto districts = store.districts();
            const dure::identity::District* district = nullptr;
            for (const auto& d : districts)
                if (hsds_district.empty() || d.code == hsds_district) {
                    district = &d;
                    break;
                }
            if (!district) {
                std::cerr << "dure: no such district\n";
                return 2;
            }
            std::map<std::string, long long> dong_ids;
            for (const auto& g : district->dongs) dong_ids[g.code] = g.id;
            std::ifstream in(indicators_path, std::ios::binary);
            if (!in) {
                std::cerr << "dure: cannot read " << indicators_path << "\n";
                return 2;
            }
            const auto& cat = dure::screening::IndicatorCatalog::embedded();
            auto t0 = std::chrono::steady_clock::now();
            auto rep = dure::screening::parse_indicator_csv(
                in, cat, [&](const std::string& c) { return dong_ids.count(c) > 0; },
                [](long long lines) { std::cerr << "  read " << lines << " lines\r" << std::flush; });
            std::cerr << "  read " << rep.lines << " lines\n";
            if (rep.error_count) {
                std::cerr << indicators_path << ": " << rep.error_count << " errors; nothing was imported\n";
                for (const auto& e : rep.errors)
                    std::cerr << "  line " << e.line << (e.field.empty() ? "" : " (" + e.field + ")") << ": " << e.message << "\n";
                return 1;
            }
            dure::screening::ScreeningStore sst(*db, keys);
            auto res = sst.import(district->id, rep.rows, dong_ids, cat, "file:" + std::filesystem::path(indicators_path).filename().string());
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            char figures[96];
            std::snprintf(figures, sizeof figures, "%.2f s, %.0f rows/s", secs, secs > 0 ? res.rows / secs : 0.0);
            std::cout << "imported " << res.rows << " rows for " << res.households << " households in " << figures << "\n";
            return 0;
        }
        if (*demo_cmd) {
            auto accounts = dure::cli::load_demo(store, demo_second_district);
            dure::catalog::CatalogStore catalog_store(*db);
            auto services = dure::cli::load_demo_catalog(catalog_store, store, dure::today_seoul());
            dure::cli::load_demo_disclosures(*db, store);
            dure::cli::load_demo_stats(*db, store);
            int reports = demo_no_outreach ? 0 : dure::outreach::load_demo(*db, store, keys, dure::store::now_unix());
            std::vector<std::string> module_lines;
            {
                auto first = store.districts();
                long long d0 = first.empty() ? 0 : first.front().id;
                dure::app::Platform platform{*db, keys, store, nullptr, [d0] { return d0; },
                                             env_or("DURE_PUBLIC_URL", "http://127.0.0.1:8080"), nullptr, {}};
                dure::app::DemoOptions o;
                o.now = dure::store::now_unix();
                o.today = dure::today_seoul();
                o.second_district = demo_second_district;
                o.no_outreach = demo_no_outreach;
                auto modules = dure::app::all_modules();
                for (auto& m : modules) m->start(platform);
                for (auto& m : modules)
                    if (auto line = m->demo(platform, o); !line.empty()) module_lines.push_back(line);
            }
            if (!accounts_out.empty()) {
                auto old = ::umask(077);
                std::ofstream out(accounts_out, std::ios::trunc);
                ::umask(old);
                out << dure::cli::demo_accounts_json(accounts) << "\n";
                if (!out) throw std::runtime_error("cannot write " + accounts_out);
            }
            std::cout << "Demo district 한빛구 (Hanbit-gu) is ready with " << services
                      << " services in its catalogue"
                      << (reports ? ", " + std::to_string(reports) + " reports in its triage queue" : std::string())
                      << ". Demo accounts:\n";
            for (const auto& a : accounts)
                std::cout << "  " << a.role << std::string(18 - std::min<std::size_t>(17, a.role.size()), ' ') << a.login
                          << "  " << a.password << "\n";
            for (const auto& l : module_lines) std::cout << l << "\n";
            return 0;
        }
        if (*admin_create) {
            auto districts = store.districts();
            long long district_id = 0;
            for (const auto& d : districts)
                if (admin_district.empty() || d.code == admin_district) {
                    district_id = d.id;
                    break;
                }
            if (!district_id) {
                std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
                return 2;
            }
            std::string login = admin_login.find('@') != std::string::npos ? dure::identity::normalize_email(admin_login)
                                                                        : dure::identity::normalize_phone(admin_login);
            if (login.empty()) {
                std::cerr << "dure: --login must be an e-mail address or Korean mobile number\n";
                return 2;
            }
            bool generated = admin_password.empty();
            if (generated) admin_password = "Dure-" + dure::identity::random_token(12);
            dure::FieldErrors errors;
            dure::identity::check_password(admin_password, login, errors);
            try {
                errors.throw_if_any();
            } catch (const dure::Error& e) {
                std::cerr << "dure: " << e.fields().front().message << "\n";
                return 2;
            }
            auto hash = dure::identity::hash_password(admin_password);
            long long id;
            if (auto rec = store.find_login(login)) {
                id = rec->account_id;
                store.set_password(id, hash);
            } else {
                id = store.create_account(district_id, login.find('@') != std::string::npos ? login : "",
                                          login.find('@') != std::string::npos ? "" : login, admin_name, hash);
            }
            store.add_grant(id, dure::identity::Role::district_admin, dure::identity::ScopeKind::district, district_id,
                            district_id, 0);
            std::cout << "district administrator: " << login;
            if (generated) std::cout << "  password: " << admin_password;
            std::cout << "\n";
            return 0;
        }
        if (*import_jobs_cmd) return dure::cli::import_jobs(*db, store, jobs_path, hsds_district);
        if (*import_hsds || *export_hsds) {
            long long district_id = 0;
            for (const auto& d : store.districts())
                if (hsds_district.empty() || d.code == hsds_district) {
                    district_id = d.id;
                    break;
                }
            if (!district_id) {
                std::cerr << "dure: no such district (run `dure demo` or create one first)\n";
                return 2;
            }
            dure::catalog::CatalogStore catalog_store(*db);
            if (*export_hsds) {
                dure::catalog::export_hsds(catalog_store, district_id, export_dir);
                std::cout << "exported the catalogue of district " << district_id << " to " << export_dir << "\n";
                return 0;
            }
            auto rep = dure::catalog::import_hsds(catalog_store, district_id, hsds_path);
            for (const auto& w : rep.warnings) std::cerr << "warning: " << dure::catalog::describe(w) << "\n";
            if (!rep.ok()) {
                std::cerr << "import refused, nothing was written (" << rep.errors.size() << " problems):\n";
                for (const auto& e : rep.errors) std::cerr << "  " << dure::catalog::describe(e) << "\n";
                return 1;
            }
            std::cout << "imported:";
            for (const auto& [table, n] : rep.counts) std::cout << " " << table << "=" << n;
            std::cout << "\n";
            return 0;
        }
        if (*audit_checkpoint) {
            dure::identity::AuditAnchor anchor(store, keys, checkpoint_file(common));
            bool wrote = anchor.checkpoint(dure::store::now_unix());
            auto head = store.access_log_head();
            std::cout << (wrote ? "checkpoint written to " : "checkpoint already current in ")
                      << anchor.file().string() << ": " << head.first << " rows\n";
            return 0;
        }
        if (*audit_verify) {
            // The checkpoint file first, then the database in one snapshot: whatever the file
            // saw was committed before, so a live server never makes this cry wolf.
            auto file = checkpoint_file(common);
            std::vector<std::string> file_problems;
            auto cp = dure::identity::read_checkpoints(file, keys, file_problems);
            std::optional<dure::identity::AuditAnchorPoint> anchor;
            if (cp) anchor = dure::identity::AuditAnchorPoint{cp->last_id, cp->last_mac, cp->at};
            auto rep = store.verify_access_log(anchor);
            rep.problems.insert(rep.problems.begin(), file_problems.begin(), file_problems.end());
            if (!cp && rep.head_id > 0)
                rep.problems.push_back("no signed checkpoint in " + file.string() +
                                       ", so a cut tail cannot be ruled out (the file was removed, or no server "
                                       "has run since the upgrade: run `dure audit checkpoint` once)");
            if (rep.problems.empty()) {
                std::cout << "access log intact: " << rep.rows << " rows verified";
                if (cp)
                    std::cout << "; the latest signed checkpoint (" << cp->last_id << " rows, "
                              << dure::catalog::format_timestamp(cp->at) << ") is covered";
                std::cout << "\n";
                return 0;
            }
            std::cout << "ACCESS LOG TAMPERED (" << rep.rows << " rows read):\n";
            for (const auto& p : rep.problems) std::cout << "  " << p << "\n";
            return 1;
        }
    } catch (const dure::Error& e) {
        std::cerr << "dure: " << e.what() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "dure: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
