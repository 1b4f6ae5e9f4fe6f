#include "outreach/service.hpp"

namespace dure::outreach {

long long RateLimiter::hit(const std::string& key, long long now) {
    std::lock_guard lk(mu_);
    // Forget idle keys now and then, so spoofed addresses cannot grow the map without end.
    if (seen_.size() > 10000)
        for (auto it = seen_.begin(); it != seen_.end();)
            it = it->second.empty() || it->second.back() <= now - window_ ? seen_.erase(it) : std::next(it);
    auto& q = seen_[key];
    while (!q.empty() && q.front() <= now - window_) q.pop_front();
    if (static_cast<int>(q.size()) >= max_) return q.front() + window_ - now;
    q.push_back(now);
    return 0;
}

}  // namespace dure::outreach
