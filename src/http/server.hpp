#pragma once
// The HTTP/1.1 server: Boost.Beast on Asio coroutines, one io thread per core. Handlers that
// may block (database) run on a separate worker pool, and the ones that hash a password on their
// own smaller pool at low CPU priority, so a sign-up flood cannot take the workers staff need.
// Both queues are bounded: when one is full the answer is 503 with Retry-After. io threads only
// parse, route and write. Beast and Asio stay inside server.cpp.
#include <chrono>
#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/static_files.hpp"

namespace dure::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;  // 0 picks a free port
    int io_threads = 0;          // 0: one per core
    int worker_threads = 8;      // handlers doing database and CPU work
    std::size_t queue_limit = 512;  // requests waiting for a worker; beyond it 503 with Retry-After
    int hash_threads = 0;           // password hashing (sign-up, login), at low priority; 0: half the cores
    std::size_t hash_queue = 64;    // requests waiting for a hashing thread; beyond it 503 with Retry-After
    std::size_t header_limit = 16 * 1024;
    std::size_t body_limit = 1024 * 1024;
    std::chrono::milliseconds header_timeout{10'000};  // whole request head must arrive in this
    std::chrono::milliseconds idle_timeout{30'000};    // keep-alive wait for the next request
    std::chrono::milliseconds body_timeout{15'000};    // minimum for a body; grows with its size
    std::chrono::milliseconds write_timeout{30'000};
    std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long
    bool trust_proxy = false;      // believe X-Forwarded-For / X-Forwarded-Proto
    std::string access_log = "-";  // JSON lines; "-" stdout, "" off
};

class Server {
public:
    Server(ServerOptions opts, const Router& router, const StaticFiles* files, Metrics& metrics);
    ~Server();

    // Binds the listening socket; returns the port (useful when the option was 0).
    unsigned short listen();
    // Serves until SIGTERM/SIGINT or stop(), then shuts down gracefully. Blocks.
    void run();
    // Begins a graceful shutdown from any thread.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace dure::http
