#pragma once
// Small pieces of outreach logic that keep state between requests: a sliding-window counter that
// keeps one address (or one chat user) from flooding the queue with anonymous reports.
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace dure::outreach {

class RateLimiter {
public:
    RateLimiter(int max_events, long long window_seconds) : max_(max_events), window_(window_seconds) {}

    // Counts one attempt by `key` at `now`; returns the seconds to wait (0: allowed, and counted).
    long long hit(const std::string& key, long long now);

private:
    int max_;
    long long window_;
    std::mutex mu_;
    std::unordered_map<std::string, std::deque<long long>> seen_;
};

}  // namespace dure::outreach
