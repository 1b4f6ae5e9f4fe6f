#include "common/safe_error.hpp"
#include "http/server.hpp"

#include <sodium.h>

#include <boost/asio.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "common/error.hpp"
#include "http/json.hpp"

namespace dure::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// True for errors the HTTP parser raises about the bytes it was sent.
bool is_parse_error(const boost::system::error_code& ec) {
    return ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
}

namespace {

// One open client connection, as seen by the shutdown logic.
struct Conn {
    asio::any_io_executor ex;  // the connection's strand
    beast::tcp_stream* stream = nullptr;
    bool busy = false;  // touched only on the strand
};

bool sane_request_id(const std::string& s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
    return true;
}

std::string new_request_id() {
    unsigned char b[8];
    randombytes_buf(b, sizeof b);
    static const char* kHex = "0123456789abcdef";
    std::string s;
    for (unsigned char c : b) {
        s += kHex[c >> 4];
        s += kHex[c & 15];
    }
    return s;
}

std::string utc_now_iso() {
    auto now = std::chrono::system_clock::now();
    auto t = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

// A thread pool whose queue is bounded: `waiting` counts tasks posted and not yet started.
struct BoundedPool {
    BoundedPool(std::size_t threads, std::size_t limit, int niceness)
        : pool(threads), limit(std::max<std::size_t>(1, limit)), niceness(niceness) {}
    asio::thread_pool pool;
    std::atomic<std::size_t> waiting{0};
    std::size_t limit;
    int niceness;  // added to the threads' nice value (0: unchanged)

    // Reserves a place in the queue; false when it is full.
    bool try_enter() {
        if (waiting.fetch_add(1) >= limit) {
            waiting.fetch_sub(1);
            return false;
        }
        return true;
    }
};

// Runs a blocking function on `bp` (after try_enter) and resumes the awaiting coroutine on its
// own executor with the result.
template <class F>
auto on_pool(BoundedPool& bp, F f) {
    return asio::async_initiate<decltype(asio::use_awaitable), void(Response)>(
        [&bp](auto handler, F fn) {
            auto ex = asio::get_associated_executor(handler);
            asio::post(bp.pool, [&bp, handler = std::move(handler), fn = std::move(fn), ex]() mutable {
                bp.waiting.fetch_sub(1);
                if (bp.niceness) {
                    thread_local bool niced = false;
                    if (!niced) {
                        niced = true;
                        // Linux: per-thread priority. Lowering it needs no privilege.
                        setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), bp.niceness);
                    }
                }
                Response r = fn();
                asio::post(ex, [handler = std::move(handler), r = std::move(r)]() mutable {
                    handler(std::move(r));
                });
            });
        },
        asio::use_awaitable, std::move(f));
}

int hashing_threads(int asked) {
    if (asked > 0) return asked;
    return static_cast<int>(std::max(1u, std::thread::hardware_concurrency() / 2));
}

}  // namespace

struct Server::Impl {
    ServerOptions opts;
    const Router& router;
    const StaticFiles* files;
    Metrics& metrics;
    asio::io_context ioc;
    BoundedPool workers;
    BoundedPool hashing;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    std::atomic<bool> stopping{false};
    std::mutex conns_mu;
    std::set<std::shared_ptr<Conn>> conns;
    std::FILE* log = nullptr;
    std::mutex log_mu;

    Impl(ServerOptions o, const Router& r, const StaticFiles* f, Metrics& m)
        : opts(std::move(o)),
          router(r),
          files(f),
          metrics(m),
          ioc(opts.io_threads > 0 ? opts.io_threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))),
          workers(static_cast<std::size_t>(std::max(1, opts.worker_threads)), opts.queue_limit, 0),
          hashing(static_cast<std::size_t>(hashing_threads(opts.hash_threads)), opts.hash_queue, 10),
          acceptor(ioc),
          signals(ioc, SIGINT, SIGTERM) {
        if (opts.access_log == "-") log = stdout;
        else if (!opts.access_log.empty()) log = std::fopen(opts.access_log.c_str(), "a");
    }

    ~Impl() {
        if (log && log != stdout) std::fclose(log);
    }

    // Calls a handler, turning every exception into a problem response.
    static Response call_safely(const Route& route, Request& req) {
        try {
            return route.handler(req);
        } catch (const Error& e) {
            return problem_response(e, req);
        } catch (const std::exception& e) {
            std::cerr << "dure: request " << req.request_id << " " << req.method << " " << route.path
                      << " failed: " << safe_what(e) << std::endl;
            return problem_response(500, "the server could not complete the request", req);
        }
    }

    // A request to a matched route: admission, a place on its pool, the handler.
    asio::awaitable<Response> dispatch_route(Request& req, const Route* route) {
        if (route->runs_inline) co_return call_safely(*route, req);
        if (route->admit) {
            // Cheap checks (throttles) before the request takes a place in a queue.
            std::optional<Response> refused;
            try {
                route->admit(req);
            } catch (const Error& e) {
                refused = problem_response(e, req);
            } catch (const std::exception& e) {
                std::cerr << "dure: request " << req.request_id << " admission failed: " << safe_what(e) << std::endl;
                refused = problem_response(500, "the server could not complete the request", req);
            }
            if (refused) co_return std::move(*refused);
        }
        BoundedPool& pool = route->hashes_password ? hashing : workers;
        if (!pool.try_enter()) {
            Response busy = problem_response(503, "the server is busy; try again in a moment", req);
            busy.set_header("Retry-After", route->hashes_password ? "2" : "1");
            co_return busy;
        }
        auto work = [route, &req]() { return call_safely(*route, req); };
        Response r = co_await on_pool(pool, std::move(work));
        co_return r;
    }

    asio::awaitable<Response> dispatch(Request& req) {
        auto m = router.match(req.method, req.path);
        if (m.route) {
            req.params = std::move(m.params);
            auto started = std::chrono::steady_clock::now();
            Response r = co_await dispatch_route(req, m.route);
            metrics.record_route(m.route->method, m.route->path, r.status,
                                 std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            co_return r;
        }
        if (!m.allowed.empty()) {
            std::string allow;
            for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
            Response r = problem_response(405, "this path does not accept " + req.method, req);
            r.set_header("Allow", allow);
            co_return r;
        }
        bool api = req.path.starts_with("/api/") || req.path == "/api";
        if (!api && files && (req.method == "GET" || req.method == "HEAD")) {
            if (auto r = files->serve(req)) co_return std::move(*r);
        }
        co_return problem_response(404, "no such resource", req);
    }

    void add_standard_headers(bhttp::response<bhttp::string_body>& res, const Request& req, bool api) {
        res.set(bhttp::field::server, "dure");
        res.set("X-Request-Id", req.request_id);
        res.set("X-Content-Type-Options", "nosniff");
        res.set("Referrer-Policy", "strict-origin-when-cross-origin");
        res.set("X-Frame-Options", "DENY");
        res.set("Cross-Origin-Opener-Policy", "same-origin");
        res.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)");
        res.set("Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
                "frame-ancestors 'none'");
        if (req.secure) res.set("Strict-Transport-Security", "max-age=31536000");
        if (api && res.find(bhttp::field::cache_control) == res.end()) res.set(bhttp::field::cache_control, "no-store");
    }

    void write_access_log(const Request& req, int status, std::size_t bytes, double seconds) {
        if (!log) return;
        boost::json::object o;
        o["ts"] = utc_now_iso();
        o["request_id"] = req.request_id;
        o["remote"] = req.remote_addr;
        o["method"] = req.method;
        o["path"] = req.path;  // never the query: it may carry personal data
        o["status"] = status;
        o["bytes"] = bytes;
        o["ms"] = std::round(seconds * 100000.0) / 100.0;
        std::string line = boost::json::serialize(o);
        line += '\n';
        std::lock_guard lk(log_mu);
        std::fwrite(line.data(), 1, line.size(), log);
        std::fflush(log);
    }

    // Sends a problem for a request the parser rejected, then closes politely.
    asio::awaitable<void> reject(beast::tcp_stream& stream, beast::flat_buffer& buf, int status,
                                 std::string detail, const std::string& remote) {
        Request req;
        req.request_id = new_request_id();
        req.remote_addr = remote;
        req.path = "";
        Response p = problem_response(status, detail, req);
        bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
        add_standard_headers(res, req, true);
        res.set(bhttp::field::content_type, p.content_type);
        res.keep_alive(false);
        res.body() = std::move(p.body);
        res.prepare_payload();
        stream.expires_after(opts.write_timeout);
        co_await bhttp::async_write(stream, res, use_tuple);
        metrics.record(status, 0);
        write_access_log(req, status, res.body().size(), 0);
        // Read and discard what the client is still sending so it sees our answer, not a reset.
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        stream.expires_after(std::chrono::seconds(2));
        std::size_t drained = 0;
        buf.consume(buf.size());
        while (drained < 32 * 1024 * 1024) {
            auto [rec, n] = co_await stream.async_read_some(buf.prepare(64 * 1024), use_tuple);
            if (rec) break;
            drained += n;
        }
    }

    Request to_request(bhttp::request<bhttp::string_body>& msg, const std::string& remote, bool& ok) {
        Request r;
        r.method = std::string(msg.method_string());
        r.target = std::string(msg.target());
        r.remote_addr = remote;
        for (const auto& f : msg) {
            std::string name(f.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers.emplace_back(std::move(name), std::string(f.value()));
        }
        auto rid = r.header("x-request-id");
        r.request_id = rid && sane_request_id(*rid) ? *rid : new_request_id();
        if (opts.trust_proxy) {
            if (auto p = r.header("x-forwarded-proto")) r.secure = *p == "https";
            // The last entry is the one our proxy appended; earlier ones are the client's word.
            if (auto f = r.header("x-forwarded-for")) {
                auto comma = f->rfind(',');
                std::string last = comma == std::string::npos ? *f : f->substr(comma + 1);
                auto b = last.find_first_not_of(' ');
                if (b != std::string::npos) r.remote_addr = last.substr(b);
            }
        }
        // `parsed` views the string it parsed, so the re-encoded target must outlive it.
        std::string encoded;
        auto parsed = boost::urls::parse_origin_form(r.target);
        if (!parsed) {
            // Clients such as curl send UTF-8 unencoded (…?q=기초연금); accept it by encoding
            // the bytes a URL may not carry raw, then parse again.
            static const char* kHex = "0123456789ABCDEF";
            for (unsigned char c : r.target) {
                if (c >= 0x80 || c == ' ' || c == '"' || c == '<' || c == '>' || c == '`' || c == '{' || c == '}' ||
                    c == '|' || c == '\\' || c == '^') {
                    encoded += '%';
                    encoded += kHex[c >> 4];
                    encoded += kHex[c & 15];
                } else {
                    encoded += static_cast<char>(c);
                }
            }
            parsed = boost::urls::parse_origin_form(encoded);
        }
        if (!parsed) {
            ok = false;
            return r;
        }
        r.path = std::string(parsed->path());
        if (r.path.find('\0') != std::string::npos) {
            ok = false;
            return r;
        }
        for (auto p : parsed->params()) r.query.emplace_back(std::string(p.key), std::string(p.value));
        r.body = std::move(msg.body());
        ok = true;
        return r;
    }

    asio::awaitable<void> session(tcp::socket sock) {
        auto conn = std::make_shared<Conn>();
        conn->ex = sock.get_executor();
        beast::tcp_stream stream(std::move(sock));
        conn->stream = &stream;
        std::string remote;
        {
            beast::error_code ec;
            auto ep = stream.socket().remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }
        {
            std::lock_guard lk(conns_mu);
            conns.insert(conn);
        }
        metrics.connection_opened();
        beast::flat_buffer buf;
        bool first = true;
        for (;;) {
            if (stopping) break;
            if (!first && buf.size() == 0) {
                // Keep-alive: wait for the next request's first bytes under the idle deadline.
                conn->busy = false;
                stream.expires_after(opts.idle_timeout);
                auto [ec, n] = co_await stream.async_read_some(buf.prepare(8192), use_tuple);
                if (ec) break;
                buf.commit(n);
            }
            first = false;
            conn->busy = true;
            bhttp::request_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(opts.header_limit));
            parser.body_limit(opts.body_limit);
            stream.expires_after(opts.header_timeout);
            auto [hec, hn] = co_await bhttp::async_read_header(stream, buf, parser, use_tuple);
            if (hec) {
                if (hec == bhttp::error::header_limit) {
                    co_await reject(stream, buf, 431, "the request head is too large", remote);
                } else if (hec == bhttp::error::body_limit) {
                    // The parser compares Content-Length with the limit as soon as the head is in.
                    co_await reject(stream, buf, 413,
                                    "the body is larger than " + std::to_string(opts.body_limit) + " bytes", remote);
                } else if (hec != bhttp::error::end_of_stream && hec != beast::error::timeout &&
                           hec != asio::error::operation_aborted && hec != asio::error::eof &&
                           hec != asio::error::connection_reset && is_parse_error(hec)) {
                    co_await reject(stream, buf, 400, "malformed request: " + hec.message(), remote);
                }
                break;
            }
            auto cl = parser.content_length();
            if (cl && *cl > opts.body_limit) {
                co_await reject(stream, buf, 413,
                                "the body is larger than " + std::to_string(opts.body_limit) + " bytes", remote);
                break;
            }
            auto& head = parser.get();
            // RFC 9112 §6.3: a request whose transfer coding does not end in chunked has no
            // knowable length; answering it would let a proxy and us disagree (smuggling).
            if (head.find(bhttp::field::transfer_encoding) != head.end() && !parser.chunked()) {
                co_await reject(stream, buf, 400, "Transfer-Encoding must end in chunked", remote);
                break;
            }
            if (beast::iequals(head[bhttp::field::expect], "100-continue")) {
                bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
                stream.expires_after(opts.write_timeout);
                auto [cec, cn] = co_await bhttp::async_write(stream, cont, use_tuple);
                if (cec) break;
            }
            // Body deadline: the minimum, plus one second per 64 KiB announced.
            auto body_deadline = opts.body_timeout + std::chrono::milliseconds(cl ? (*cl / 65536) * 1000 : 0);
            stream.expires_after(body_deadline);
            auto [bec, bn] = co_await bhttp::async_read(stream, buf, parser, use_tuple);
            if (bec) {
                if (bec == bhttp::error::body_limit)
                    co_await reject(stream, buf, 413,
                                    "the body is larger than " + std::to_string(opts.body_limit) + " bytes", remote);
                else if (is_parse_error(bec) && bec != bhttp::error::end_of_stream &&
                         bec != bhttp::error::partial_message)
                    co_await reject(stream, buf, 400, "malformed request: " + bec.message(), remote);
                break;
            }
            auto started = std::chrono::steady_clock::now();
            auto msg = parser.release();
            bool keep_alive = msg.keep_alive();
            unsigned version = msg.version();
            bool head_request = msg.method() == bhttp::verb::head;
            bool ok = true;
            Request req = to_request(msg, remote, ok);
            metrics.request_started();
            Response resp;
            if (ok) {
                resp = co_await dispatch(req);
            } else {
                resp = problem_response(400, "the request target is malformed", req);
            }
            metrics.request_finished();
            keep_alive = keep_alive && !stopping;

            bool api = !req.path.starts_with("/assets/");
            bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(resp.status), version};
            for (auto& [k, v] : resp.headers) res.insert(k, v);
            add_standard_headers(res, req, api);
            bool no_body = resp.status == 204 || resp.status == 304;
            if (!no_body) res.set(bhttp::field::content_type, resp.content_type);
            res.keep_alive(keep_alive);
            std::size_t size = resp.body.size();
            if (!no_body) {
                res.body() = std::move(resp.body);
                res.prepare_payload();
                if (head_request) res.body().clear();
            }
            stream.expires_after(opts.write_timeout);
            auto [wec, wn] = co_await bhttp::async_write(stream, res, use_tuple);
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            metrics.record(resp.status, secs);
            write_access_log(req, resp.status, size, secs);
            if (wec || !keep_alive) break;
        }
        beast::error_code ec;
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream.socket().close(ec);
        conn->stream = nullptr;
        {
            std::lock_guard lk(conns_mu);
            conns.erase(conn);
        }
        metrics.connection_closed();
    }

    asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, sock] = co_await acceptor.async_accept(asio::make_strand(ioc), use_tuple);
            if (ec) {
                if (stopping || ec == asio::error::operation_aborted) co_return;
                // Out of descriptors or a transient error: pause briefly instead of spinning.
                asio::steady_timer t(ioc, std::chrono::milliseconds(50));
                co_await t.async_wait(use_tuple);
                continue;
            }
            auto ex = sock.get_executor();
            asio::co_spawn(ex, session(std::move(sock)), asio::detached);
        }
    }

    void begin_shutdown() {
        if (stopping.exchange(true)) return;
        beast::error_code ec;
        acceptor.close(ec);
        signals.cancel();
        std::vector<std::shared_ptr<Conn>> snapshot;
        {
            std::lock_guard lk(conns_mu);
            snapshot.assign(conns.begin(), conns.end());
        }
        for (auto& c : snapshot) {
            asio::post(c->ex, [c]() {
                if (!c->busy && c->stream) {
                    beast::error_code e;
                    c->stream->socket().cancel(e);
                }
            });
        }
        asio::co_spawn(ioc, wait_for_drain(), asio::detached);
    }

    asio::awaitable<void> wait_for_drain() {
        auto deadline = std::chrono::steady_clock::now() + opts.shutdown_grace;
        asio::steady_timer t(ioc);
        for (;;) {
            std::size_t open;
            {
                std::lock_guard lk(conns_mu);
                open = conns.size();
            }
            if (open == 0 || std::chrono::steady_clock::now() >= deadline) break;
            t.expires_after(std::chrono::milliseconds(20));
            co_await t.async_wait(use_tuple);
        }
        ioc.stop();
    }
};

Server::Server(ServerOptions opts, const Router& router, const StaticFiles* files, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(opts), router, files, metrics)) {}

Server::~Server() = default;

unsigned short Server::listen() {
    auto& a = impl_->acceptor;
    tcp::endpoint ep(asio::ip::make_address(impl_->opts.host), impl_->opts.port);
    a.open(ep.protocol());
    a.set_option(asio::socket_base::reuse_address(true));
    a.bind(ep);
    a.listen(asio::socket_base::max_listen_connections);
    return a.local_endpoint().port();
}

void Server::run() {
    auto& im = *impl_;
    im.signals.async_wait([&im](const beast::error_code& ec, int) {
        if (!ec) im.begin_shutdown();
    });
    asio::co_spawn(im.ioc, im.accept_loop(), asio::detached);
    int n = im.opts.io_threads > 0 ? im.opts.io_threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (int i = 1; i < n; ++i) threads.emplace_back([&im] { im.ioc.run(); });
    im.ioc.run();
    for (auto& t : threads) t.join();
    im.workers.pool.join();
    im.hashing.pool.join();
}

void Server::stop() {
    asio::post(impl_->ioc, [this] { impl_->begin_shutdown(); });
}

}  // namespace dure::http
