#pragma once
// Process-wide request counters, exported in the Prometheus text format.
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace dure::http {

class Metrics {
public:
    Metrics() : started_(std::chrono::steady_clock::now()) {}

    void record(int status, double seconds);
    // One request answered by the route `method path_template` (its handler's time, including
    // the wait for a worker), counted per route and exact status.
    void record_route(const std::string& method, const std::string& path_template, int status, double seconds);
    // Adds text in the exposition format, produced at each scrape (database pools, queue depths).
    void add_source(std::function<std::string()> source);
    void connection_opened() { ++connections_open_; ++connections_total_; }
    void connection_closed() { --connections_open_; }
    void request_started() { ++in_flight_; }
    void request_finished() { --in_flight_; }

    // The metrics in Prometheus text exposition format 0.0.4.
    std::string prometheus() const;

private:
    struct RouteStats {
        std::array<std::atomic<long long>, 11> buckets{};  // kBuckets + Inf
        std::atomic<long long> duration_us{0};
        std::mutex mu;                         // guards by_status
        std::map<int, long long> by_status;
    };
    mutable std::shared_mutex routes_mu_;
    std::map<std::string, std::unique_ptr<RouteStats>> routes_;  // key: method + ' ' + template
    mutable std::mutex sources_mu_;
    std::vector<std::function<std::string()>> sources_;
    static constexpr std::array<double, 10> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,  0.1,    0.25,  0.5,  1.0};
    std::chrono::steady_clock::time_point started_;
    std::array<std::atomic<long long>, 6> by_class_{};  // index: status / 100 (1..5), 0 other
    std::array<std::atomic<long long>, kBuckets.size() + 1> buckets_{};
    std::atomic<long long> duration_us_total_{0};
    std::atomic<long long> in_flight_{0};
    std::atomic<long long> connections_open_{0};
    std::atomic<long long> connections_total_{0};
};

}  // namespace dure::http
