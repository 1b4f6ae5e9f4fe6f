#pragma once
// Process-wide request counters, exported in the Prometheus text format.
#include <array>
#include <atomic>
#include <chrono>
#include <string>

namespace dure::http {

class Metrics {
public:
    Metrics() : started_(std::chrono::steady_clock::now()) {}

    void record(int status, double seconds);
    void connection_opened() { ++connections_open_; ++connections_total_; }
    void connection_closed() { --connections_open_; }
    void request_started() { ++in_flight_; }
    void request_finished() { --in_flight_; }

    // The metrics in Prometheus text exposition format 0.0.4.
    std::string prometheus() const;

private:
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
