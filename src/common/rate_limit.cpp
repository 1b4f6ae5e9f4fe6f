#include "common/rate_limit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace dure {

std::optional<RateLimit> RateLimit::parse(std::string_view text) {
    if (text == "off" || text == "0") return RateLimit{0, 1};
    auto slash = text.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    auto number = [](std::string_view s) -> std::optional<double> {
        if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        return std::strtod(std::string(s).c_str(), nullptr);
    };
    auto n = number(text.substr(0, slash)), secs = number(text.substr(slash + 1));
    if (!n || !secs || *secs <= 0) return std::nullopt;
    return RateLimit{*n, *secs};
}

std::string RateLimit::str() const {
    if (unlimited()) return "off";
    return std::to_string(static_cast<long long>(burst)) + "/" + std::to_string(static_cast<long long>(period));
}

double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

RateLimiter::RateLimiter(RateLimit limit, std::size_t max_keys) : limit_(limit), max_keys_(std::max<std::size_t>(1, max_keys)) {}

double RateLimiter::level(const Bucket& b, double now) const {
    double rate = limit_.burst / limit_.period;
    return std::min(limit_.burst, b.tokens + std::max(0.0, now - b.at) * rate);
}

long long RateLimiter::wait_for(const Bucket& b, double now) const {
    double rate = limit_.burst / limit_.period;
    double missing = 1.0 - level(b, now);
    return std::max(1LL, static_cast<long long>(std::ceil(missing / rate)));
}

RateLimiter::Bucket* RateLimiter::bucket(const std::string& key, double now, bool create) {
    if (auto it = buckets_.find(key); it != buckets_.end()) return &it->second;
    if (!create) return nullptr;
    if (buckets_.size() >= max_keys_ && now - last_sweep_ >= 1.0) {
        // Forget only full buckets: they are indistinguishable from keys never seen.
        last_sweep_ = now;
        for (auto it = buckets_.begin(); it != buckets_.end();)
            it = level(it->second, now) >= limit_.burst ? buckets_.erase(it) : std::next(it);
        if (overflow_used_ && level(overflow_, now) >= limit_.burst) overflow_used_ = false;
    }
    if (buckets_.size() >= max_keys_) {
        if (!overflow_used_) overflow_ = Bucket{limit_.burst, now};
        overflow_used_ = true;
        return &overflow_;
    }
    return &(buckets_[key] = Bucket{limit_.burst, now});
}

long long RateLimiter::hit(const std::string& key, double now) {
    if (limit_.unlimited()) return 0;
    std::lock_guard lk(mu_);
    Bucket* b = bucket(key, now, true);
    double tokens = level(*b, now);
    if (tokens < 1.0) return wait_for(*b, now);
    b->tokens = tokens - 1.0;
    b->at = now;
    return 0;
}

long long RateLimiter::peek(const std::string& key, double now) {
    if (limit_.unlimited()) return 0;
    std::lock_guard lk(mu_);
    Bucket* b = bucket(key, now, false);
    if (!b && buckets_.size() >= max_keys_ && overflow_used_) b = &overflow_;
    if (!b || level(*b, now) >= 1.0) return 0;
    return wait_for(*b, now);
}

void RateLimiter::refund(const std::string& key, double now) {
    if (limit_.unlimited()) return;
    std::lock_guard lk(mu_);
    Bucket* b = bucket(key, now, false);
    if (!b) return;
    b->tokens = std::min(limit_.burst, level(*b, now) + 1.0);
    b->at = now;
}

std::size_t RateLimiter::size() const {
    std::lock_guard lk(mu_);
    return buckets_.size();
}

}  // namespace dure
