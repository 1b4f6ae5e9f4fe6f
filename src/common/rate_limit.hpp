#pragma once
// The one rate limiter of the server: a token bucket per key (a client address, an account, a
// login-and-address pair). Every throttle (sign-up, login, reports, simulations, the KakaoTalk
// skill) is an instance of it, configured by a RateLimit ("N/SECONDS": a fresh key may act N
// times at once, and earns the N back over SECONDS).
//
// Memory is bounded: at most `max_keys` buckets. A full bucket is the same as no bucket, so those
// are the only ones ever forgotten. When every bucket still holds a debt (someone sprays more
// addresses than `max_keys` inside one refill period), new keys share one overflow bucket with
// the same limit instead of pushing out the keys that are being throttled: spraying addresses
// cannot reset anyone's counter; at worst it slows the newcomers down together.
//
// Counters live in this process; with several `dure serve` processes each counts on its own
// (docs/architecture.md).
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace dure {

struct RateLimit {
    double burst = 0;   // actions a fresh key may take at once; 0 = unlimited
    double period = 1;  // seconds to earn `burst` actions back

    bool unlimited() const { return burst <= 0; }
    // "N/SECONDS" (e.g. "10/3600") or "off"; nullopt when malformed.
    static std::optional<RateLimit> parse(std::string_view text);
    std::string str() const;
};

// Seconds on a monotonic clock, for RateLimiter's `now`.
double steady_seconds();

class RateLimiter {
public:
    explicit RateLimiter(RateLimit limit, std::size_t max_keys = 100000);

    // Takes one action for `key` at `now` (seconds): 0 when allowed (and counted), otherwise the
    // whole seconds (≥ 1) until the key may act again, with nothing counted.
    long long hit(const std::string& key, double now);
    // Like hit, but counts nothing.
    long long peek(const std::string& key, double now);
    // Gives one action back to `key` (e.g. a login that turned out right).
    void refund(const std::string& key, double now);

    const RateLimit& limit() const { return limit_; }
    std::size_t size() const;  // buckets held (tests)

private:
    struct Bucket {
        double tokens = 0;
        double at = 0;
    };
    double level(const Bucket& b, double now) const;
    long long wait_for(const Bucket& b, double now) const;
    Bucket* bucket(const std::string& key, double now, bool create);

    RateLimit limit_;
    std::size_t max_keys_;
    mutable std::mutex mu_;
    std::unordered_map<std::string, Bucket> buckets_;
    Bucket overflow_;
    bool overflow_used_ = false;
    double last_sweep_ = -1e300;
};

// Limits of the public endpoints besides sign-up and login (those are identity's options); set
// by `dure serve` flags (README, "Configuration").
struct PublicLimits {
    RateLimit reports_per_address{10, 600};   // anonymous web reports per client address
    RateLimit reports_per_account{30, 3600};  // web reports per logged-in account
    RateLimit kakao_per_user{10, 600};        // KakaoTalk reports per chat user
    RateLimit kakao_per_address{600, 60};     // skill requests per calling address (Kakao's servers)
    RateLimit simulations{120, 60};           // per client address, or per account when logged in
};

}  // namespace dure
