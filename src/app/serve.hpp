#pragma once
// `dure serve`: opens the database, starts every module, adds the platform's own routes
// (/healthz, /readyz, /metrics, /api/openapi.json) around the modules' routes, runs the
// modules' scheduled jobs and serves until stopped.
#include <memory>
#include <string>
#include <vector>

#include "app/platform.hpp"
#include "common/rate_limit.hpp"
#include "http/server.hpp"
#include "identity/service.hpp"

namespace dure::app {

struct ServeConfig {
    Common common;
    std::string listen = "127.0.0.1:8080";
    std::string web_root = "web/dist";
    http::ServerOptions server;
    identity::IdentityOptions identity;
    PublicLimits limits;
};

// Returns the exit status (2 for a bad option).
int serve(ServeConfig cfg, std::vector<std::unique_ptr<Module>>& modules, const char* version);

// `dure serve` with its options (listen address, threads, timeouts, throttles).
struct ServeCommand {
    explicit ServeCommand(CLI::App& app);
    ServeCommand(const ServeCommand&) = delete;
    ServeCommand& operator=(const ServeCommand&) = delete;
    // Checks the throttles given and serves (the exit status).
    int run(std::vector<std::unique_ptr<Module>>& modules, const char* version);

    CLI::App* cmd = nullptr;
    ServeConfig cfg;
    long long header_ms = 10000, idle_ms = 30000;
    // Throttles: N/SECONDS lets a key act N times at once and earns the N back over SECONDS;
    // "off" disables one. 429 with Retry-After beyond it (docs/architecture.md, "Throttles").
    struct LimitFlag {
        const char* flag;
        const char* env;
        RateLimit* target;
        const char* what;
        std::string value;
    };
    std::vector<LimitFlag> limit_flags;
};

}  // namespace dure::app
