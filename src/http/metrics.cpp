#include "http/metrics.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

namespace dure::http {

void Metrics::record(int status, double seconds) {
    int cls = status / 100;
    by_class_[(cls >= 1 && cls <= 5) ? cls : 0]++;
    duration_us_total_ += static_cast<long long>(seconds * 1e6);
    std::size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    buckets_[i]++;
}

void Metrics::record_route(const std::string& method, const std::string& path_template, int status, double seconds) {
    std::string key = method + " " + path_template;
    RouteStats* rs = nullptr;
    {
        std::shared_lock lk(routes_mu_);
        auto it = routes_.find(key);
        if (it != routes_.end()) rs = it->second.get();
    }
    if (!rs) {
        std::unique_lock lk(routes_mu_);
        auto& slot = routes_[key];
        if (!slot) slot = std::make_unique<RouteStats>();
        rs = slot.get();
    }
    std::size_t i = 0;
    while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
    rs->buckets[i]++;
    rs->duration_us += static_cast<long long>(seconds * 1e6);
    std::lock_guard lk(rs->mu);
    rs->by_status[status]++;
}

void Metrics::add_source(std::function<std::string()> source) {
    std::lock_guard lk(sources_mu_);
    sources_.push_back(std::move(source));
}

namespace {
// A label value in the exposition format (backslash, quote and newline escaped).
std::string label(const std::string& v) {
    std::string o;
    for (char c : v) {
        if (c == '\\' || c == '"') o += '\\';
        if (c == '\n') {
            o += "\\n";
            continue;
        }
        o += c;
    }
    return o;
}

long long resident_bytes() {
    std::ifstream in("/proc/self/statm");
    long long pages = 0, resident = 0;
    in >> pages >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}
}  // namespace

std::string Metrics::prometheus() const {
    std::ostringstream o;
    o << "# HELP dure_http_requests_total HTTP requests answered, by status class.\n"
      << "# TYPE dure_http_requests_total counter\n";
    static const char* kClass[] = {"other", "1xx", "2xx", "3xx", "4xx", "5xx"};
    for (int i = 0; i < 6; ++i)
        o << "dure_http_requests_total{code=\"" << kClass[i] << "\"} " << by_class_[i].load() << "\n";
    o << "# HELP dure_http_request_duration_seconds Time from a complete request to its response.\n"
      << "# TYPE dure_http_request_duration_seconds histogram\n";
    long long cum = 0;
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
        cum += buckets_[i].load();
        o << "dure_http_request_duration_seconds_bucket{le=\"" << kBuckets[i] << "\"} " << cum << "\n";
    }
    cum += buckets_[kBuckets.size()].load();
    o << "dure_http_request_duration_seconds_bucket{le=\"+Inf\"} " << cum << "\n"
      << "dure_http_request_duration_seconds_sum " << duration_us_total_.load() / 1e6 << "\n"
      << "dure_http_request_duration_seconds_count " << cum << "\n";
    o << "# HELP dure_http_requests_in_flight Requests being handled now.\n"
      << "# TYPE dure_http_requests_in_flight gauge\n"
      << "dure_http_requests_in_flight " << in_flight_.load() << "\n"
      << "# HELP dure_http_connections_open Open client connections.\n"
      << "# TYPE dure_http_connections_open gauge\n"
      << "dure_http_connections_open " << connections_open_.load() << "\n"
      << "# HELP dure_http_connections_total Connections accepted since start.\n"
      << "# TYPE dure_http_connections_total counter\n"
      << "dure_http_connections_total " << connections_total_.load() << "\n";
    auto up = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    o << "# HELP dure_uptime_seconds Seconds since the process started serving.\n"
      << "# TYPE dure_uptime_seconds gauge\n"
      << "dure_uptime_seconds " << up << "\n"
      << "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
      << "# TYPE process_resident_memory_bytes gauge\n"
      << "process_resident_memory_bytes " << resident_bytes() << "\n";
    {
        std::shared_lock lk(routes_mu_);
        o << "# HELP dure_http_route_requests_total Requests answered by each route template, by status.\n"
          << "# TYPE dure_http_route_requests_total counter\n";
        for (const auto& [key, rs] : routes_) {
            auto sp = key.find(' ');
            std::string labels = "method=\"" + label(key.substr(0, sp)) + "\",route=\"" + label(key.substr(sp + 1)) + "\"";
            std::lock_guard sl(rs->mu);
            for (const auto& [status, n] : rs->by_status)
                o << "dure_http_route_requests_total{" << labels << ",code=\"" << status << "\"} " << n << "\n";
        }
        o << "# HELP dure_http_route_duration_seconds Handler time (with the wait for a worker) per route template.\n"
          << "# TYPE dure_http_route_duration_seconds histogram\n";
        for (const auto& [key, rs] : routes_) {
            auto sp = key.find(' ');
            std::string labels = "method=\"" + label(key.substr(0, sp)) + "\",route=\"" + label(key.substr(sp + 1)) + "\"";
            long long c = 0;
            for (std::size_t i = 0; i < kBuckets.size(); ++i) {
                c += rs->buckets[i].load();
                o << "dure_http_route_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} " << c << "\n";
            }
            c += rs->buckets[kBuckets.size()].load();
            o << "dure_http_route_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << c << "\n"
              << "dure_http_route_duration_seconds_sum{" << labels << "} " << rs->duration_us.load() / 1e6 << "\n"
              << "dure_http_route_duration_seconds_count{" << labels << "} " << c << "\n";
        }
    }
    std::vector<std::function<std::string()>> sources;
    {
        std::lock_guard lk(sources_mu_);
        sources = sources_;
    }
    for (const auto& src : sources) {
        try {
            o << src();
        } catch (const std::exception&) {
            // A source that cannot be read now (the database is down) is left out of this scrape;
            // dure_up-style alerts come from /readyz and the scrape itself.
        }
    }
    return o.str();
}

}  // namespace dure::http
