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

namespace {
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
    return o.str();
}

}  // namespace dure::http
