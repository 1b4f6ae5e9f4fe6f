#include "common/rate_limit.hpp"

#include <gtest/gtest.h>

namespace dure {
namespace {

TEST(RateLimit, ParsesBurstOverSecondsAndOff) {
    auto l = RateLimit::parse("10/3600");
    ASSERT_TRUE(l);
    EXPECT_EQ(l->burst, 10);
    EXPECT_EQ(l->period, 3600);
    EXPECT_EQ(l->str(), "10/3600");
    EXPECT_TRUE(RateLimit::parse("off")->unlimited());
    for (const char* bad : {"", "10", "/5", "5/", "5/0", "-1/5", "a/b", "1.5/3", "5/10/2"})
        EXPECT_FALSE(RateLimit::parse(bad)) << bad;
}

TEST(RateLimiter, AllowsTheBurstThenTellsHowLongToWait) {
    RateLimiter l(RateLimit{3, 30});  // one action back every 10 s
    for (int i = 0; i < 3; ++i) EXPECT_EQ(l.hit("a", 100), 0) << i;
    EXPECT_EQ(l.hit("a", 100), 10);
    EXPECT_EQ(l.peek("a", 100), 10);
    EXPECT_EQ(l.hit("b", 100), 0) << "other keys are not held up";
    EXPECT_EQ(l.hit("a", 104), 6);
    EXPECT_EQ(l.hit("a", 110), 0) << "a token is back after 10 s";
    EXPECT_EQ(l.hit("a", 110), 10);
}

TEST(RateLimiter, PeekCountsNothingAndRefundGivesBack) {
    RateLimiter l(RateLimit{2, 60});
    EXPECT_EQ(l.peek("a", 0), 0);
    EXPECT_EQ(l.size(), 0u) << "peeking at an unknown key stores nothing";
    EXPECT_EQ(l.hit("a", 0), 0);
    EXPECT_EQ(l.hit("a", 0), 0);
    EXPECT_GT(l.peek("a", 0), 0);
    l.refund("a", 0);
    EXPECT_EQ(l.hit("a", 0), 0);
    EXPECT_GT(l.hit("a", 0), 0);
}

TEST(RateLimiter, OffIsUnlimitedAndStoresNothing) {
    RateLimiter l(*RateLimit::parse("off"));
    for (int i = 0; i < 1000; ++i) EXPECT_EQ(l.hit("a", 0), 0);
    EXPECT_EQ(l.size(), 0u);
}

// The old limiters cleared their whole table once it held too many addresses, so spraying
// addresses reset everyone's counters. Now memory stays bounded and the throttled key stays
// throttled however many other keys arrive.
TEST(RateLimiter, SprayingKeysNeitherGrowsMemoryNorResetsAThrottledKey) {
    RateLimiter l(RateLimit{5, 300}, 100);
    for (int i = 0; i < 5; ++i) ASSERT_EQ(l.hit("victim-of-throttle", 0), 0);
    ASSERT_GT(l.hit("victim-of-throttle", 0), 0);
    for (int i = 0; i < 100000; ++i) l.hit("203.0.113." + std::to_string(i), 1 + i * 0.0001);
    EXPECT_LE(l.size(), 100u);
    EXPECT_GT(l.hit("victim-of-throttle", 20), 0) << "still throttled after the spray";
    // The newcomers beyond the table share one bucket: they are throttled together.
    EXPECT_GT(l.hit("198.51.100.1", 20), 0);
    // Once buckets refill they are forgotten and newcomers get their own again.
    EXPECT_EQ(l.hit("198.51.100.2", 400), 0);
    EXPECT_EQ(l.hit("victim-of-throttle", 400), 0);
}

}  // namespace
}  // namespace dure
