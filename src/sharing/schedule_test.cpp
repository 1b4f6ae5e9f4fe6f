// The RRULE subset of projects' schedules: expansion of DAILY, WEEKLY and MONTHLY with INTERVAL,
// BYDAY (with ordinals in MONTHLY), COUNT and UNTIL; hostile input refused naming the field.
#include "sharing/schedule.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace dure::sharing {
namespace {

std::vector<std::string> run(const char* rule, const char* start, std::size_t max = 100, const char* horizon = "2027-12-31") {
    return expand(parse_rrule(rule), start, max, horizon);
}

TEST(SharingSchedule, DailyWithIntervalCountAndByday) {
    // 2026-12-07 is a Monday.
    EXPECT_EQ(run("FREQ=DAILY;COUNT=3", "2026-12-07"), (std::vector<std::string>{"2026-12-07", "2026-12-08", "2026-12-09"}));
    EXPECT_EQ(run("FREQ=DAILY;INTERVAL=10;COUNT=3", "2026-12-25"),
              (std::vector<std::string>{"2026-12-25", "2027-01-04", "2027-01-14"}));
    EXPECT_EQ(run("FREQ=DAILY;BYDAY=SA,SU;UNTIL=20261220", "2026-12-07"),
              (std::vector<std::string>{"2026-12-12", "2026-12-13", "2026-12-19", "2026-12-20"}));
}

TEST(SharingSchedule, WeeklyDefaultsToTheStartWeekdayAndHonoursInterval) {
    EXPECT_EQ(run("FREQ=WEEKLY;COUNT=3", "2026-12-09"), (std::vector<std::string>{"2026-12-09", "2026-12-16", "2026-12-23"}));
    // Every other week, Monday and Wednesday, starting on a Wednesday: that week's Monday is before the start.
    EXPECT_EQ(run("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=4", "2026-12-09"),
              (std::vector<std::string>{"2026-12-09", "2026-12-21", "2026-12-23", "2027-01-04"}));
    // Across a year end and a leap day.
    EXPECT_EQ(run("FREQ=WEEKLY;BYDAY=TH;UNTIL=20280302", "2028-02-24", 100, "2028-12-31"),
              (std::vector<std::string>{"2028-02-24", "2028-03-02"}));
}

TEST(SharingSchedule, MonthlyByDateSkipsShortMonthsAndByOrdinalWeekday) {
    EXPECT_EQ(run("FREQ=MONTHLY;COUNT=4", "2027-01-31"),
              (std::vector<std::string>{"2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31"}));
    // The second Tuesday and the last Friday of every month.
    EXPECT_EQ(run("FREQ=MONTHLY;BYDAY=2TU,-1FR;COUNT=4", "2026-12-01"),
              (std::vector<std::string>{"2026-12-08", "2026-12-25", "2027-01-12", "2027-01-29"}));
    EXPECT_EQ(run("FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO;UNTIL=20270701", "2027-01-01"),
              (std::vector<std::string>{"2027-01-04", "2027-04-05"}));
}

TEST(SharingSchedule, BoundedByMaxHorizonAndUntil) {
    EXPECT_EQ(run("FREQ=DAILY", "2026-12-07", 5).size(), 5u);
    EXPECT_EQ(run("FREQ=DAILY", "2026-12-07", 1000, "2026-12-10").size(), 4u);
    EXPECT_TRUE(run("FREQ=DAILY;UNTIL=20261201", "2026-12-07").empty());
    // No end at all: still bounded by the scan limit.
    EXPECT_LE(run("FREQ=DAILY", "2026-12-07", 100000, "2999-12-31").size(), 20u * 366u + 1u);
    EXPECT_TRUE(run("FREQ=DAILY", "not-a-date").empty());
}

TEST(SharingSchedule, RoundTrip) {
    for (const char* r : {"FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=10", "FREQ=MONTHLY;BYDAY=2TU,-1FR;UNTIL=20271231", "FREQ=DAILY"})
        EXPECT_EQ(to_string(parse_rrule(r)), r);
    EXPECT_EQ(to_string(parse_rrule("RRULE:FREQ=DAILY;UNTIL=20271231T235959Z")), "FREQ=DAILY;UNTIL=20271231");
}

TEST(SharingSchedule, HostileInputIsRefusedNamingTheField) {
    struct Case {
        std::string rule;
        const char* code;
    };
    std::vector<Case> cases = {
        {"", "not_a_rule"},
        {std::string(300, 'A'), "too_long"},
        {"FREQ=HOURLY", "unsupported_freq"},
        {"FREQ=YEARLY;BYMONTH=1", "unsupported_freq"},
        {"FREQ=DAILY;BYSETPOS=1", "unknown_part"},
        {"FREQ=DAILY;FREQ=WEEKLY", "repeated_part"},
        {"FREQ=DAILY;INTERVAL=0", "bad_interval"},
        {"FREQ=DAILY;INTERVAL=99999999999999999999", "bad_interval"},
        {"FREQ=DAILY;INTERVAL=-3", "bad_interval"},
        {"FREQ=DAILY;COUNT=1001", "bad_count"},
        {"FREQ=DAILY;COUNT=x", "bad_count"},
        {"FREQ=DAILY;UNTIL=20270230", "bad_until"},
        {"FREQ=DAILY;UNTIL=tomorrow", "bad_until"},
        {"FREQ=DAILY;COUNT=3;UNTIL=20271231", "count_and_until"},
        {"FREQ=WEEKLY;BYDAY=XX", "bad_byday"},
        {"FREQ=WEEKLY;BYDAY=2TU", "bad_byday"},
        {"FREQ=MONTHLY;BYDAY=9TU", "bad_byday"},
        {"FREQ=MONTHLY;BYDAY=0TU", "bad_byday"},
        {"FREQ=MONTHLY;BYDAY=,", "bad_byday"},
        {"INTERVAL=2", "missing_freq"},
        {"FREQ", "not_a_rule"},
        {"FREQ=DAILY;;COUNT=2", "not_a_rule"},
        {std::string("FREQ=DAILY\0;COUNT=2", 19), "unsupported_freq"},
    };
    for (const auto& c : cases) {
        try {
            parse_rrule(c.rule, "schedule");
            ADD_FAILURE() << "accepted: " << c.rule;
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::validation) << c.rule;
            ASSERT_EQ(e.fields().size(), 1u) << c.rule;
            EXPECT_EQ(e.fields()[0].field, "schedule") << c.rule;
            EXPECT_EQ(e.fields()[0].code, c.code) << c.rule;
        }
    }
}

}  // namespace
}  // namespace dure::sharing
