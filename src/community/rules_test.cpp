#include "community/rules.hpp"

#include <gtest/gtest.h>

namespace dure::community {

TEST(CommunityRules, WeeklyDaysCrossMonthsAndLeapYears) {
    auto d = weekly_days("2028-02-15", 3);
    ASSERT_EQ(d.size(), 3u);
    EXPECT_EQ(d[0], "2028-02-15");
    EXPECT_EQ(d[1], "2028-02-22");
    EXPECT_EQ(d[2], "2028-02-29");  // 2028 is a leap year
    auto y = weekly_days("2026-12-29", 2);
    EXPECT_EQ(y[1], "2027-01-05");
    EXPECT_TRUE(weekly_days("2026-02-30", 2).empty());
    EXPECT_TRUE(weekly_days("2026-12-01", 0).empty());
}

TEST(CommunityRules, AttendanceOnlyForConfirmedAtTheEvent) {
    long long start = 1'000'000;
    FieldErrors ok;
    check_attendance("open", start, "confirmed", "attended", start - 1800, ok);
    EXPECT_TRUE(ok.empty());
    FieldErrors early;
    check_attendance("open", start, "confirmed", "attended", start - 7200, early);
    EXPECT_TRUE(early.has("event_id"));
    FieldErrors waiting;
    check_attendance("open", start, "waitlisted", "no_show", start, waiting);
    EXPECT_TRUE(waiting.has("registration_id"));
    FieldErrors bad;
    check_attendance("open", start, "confirmed", "maybe", start, bad);
    EXPECT_TRUE(bad.has("status"));
    FieldErrors cancelled;
    check_attendance("cancelled", start, "confirmed", "attended", start, cancelled);
    EXPECT_TRUE(cancelled.has("event_id"));
}

TEST(CommunityRules, CompletionByAttendanceThreshold) {
    EXPECT_FALSE(completion_reached(2, 3));
    EXPECT_TRUE(completion_reached(3, 3));
    EXPECT_TRUE(completion_reached(4, 3));
    EXPECT_FALSE(completion_reached(5, 0));
    EXPECT_EQ(completion_reason(3, 4, 3).rfind("4회 중 3회 출석 (수료 기준 3회)", 0), 0u);
    FieldErrors e;
    check_attendance("open", 100000, "waitlisted", "attended", 100000, e, "session_id", "enrolment_id");
    EXPECT_TRUE(e.has("enrolment_id"));
}

TEST(CommunityRules, MarketTransitionsAndNoMoney) {
    EXPECT_TRUE(market_transition("give", "reserved", "handed_over"));
    EXPECT_FALSE(market_transition("give", "listed", "handed_over"));  // a request is chosen first
    EXPECT_FALSE(market_transition("give", "handed_over", "listed"));  // a gift does not come back
    EXPECT_TRUE(market_transition("lend", "handed_over", "listed"));
    EXPECT_TRUE(market_transition("give", "reserved", "listed"));
    EXPECT_FALSE(market_transition("give", "handed_over", "withdrawn"));
    EXPECT_TRUE(mentions_price("유모차 5,000원에 드려요"));
    EXPECT_TRUE(mentions_price("3만원"));
    EXPECT_TRUE(mentions_price("₩3000"));
    EXPECT_TRUE(mentions_price("2000 원"));
    EXPECT_FALSE(mentions_price("원목 책상 나눔합니다"));
    EXPECT_FALSE(mentions_price("공원 앞에서 드려요"));
}

}  // namespace dure::community
