#include "outreach/triage.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace dure::outreach {
namespace {

constexpr long long kHour = 3600;
constexpr long long t0 = 1'700'000'000;

TEST(OutreachTriage, DeadlinesPerUrgency) {
    EXPECT_EQ(response_window_seconds(Urgency::urgent), 24 * kHour);
    EXPECT_EQ(response_window_seconds(Urgency::high), 72 * kHour);
    EXPECT_EQ(response_window_seconds(Urgency::normal), 7 * 24 * kHour);
    EXPECT_EQ(deadline_rules().size(), 3u);
}

TEST(OutreachTriage, AnUrgentReportMustBeContactedWithin24Hours) {
    auto e = apply_report(TriageState{}, Urgency::urgent, t0);
    EXPECT_FALSE(e.reopened);
    EXPECT_EQ(e.state.status, HouseholdStatus::new_);
    EXPECT_EQ(e.state.due_at, t0 + 24 * kHour);
    EXPECT_EQ(deadline_view(e.state, t0 + 10 * kHour).status, DeadlineStatus::on_time);
    EXPECT_EQ(deadline_view(e.state, t0 + 20 * kHour).status, DeadlineStatus::due_soon);
    auto late = deadline_view(e.state, t0 + 30 * kHour);
    EXPECT_EQ(late.status, DeadlineStatus::breached);
    EXPECT_EQ(late.overdue_seconds, 6 * kHour);
}

TEST(OutreachTriage, ALaterMoreUrgentReportBringsTheDeadlineForward) {
    auto s = apply_report(TriageState{}, Urgency::normal, t0).state;
    s = apply_report(s, Urgency::urgent, t0 + 10 * kHour).state;
    EXPECT_EQ(s.priority, Urgency::urgent);
    EXPECT_EQ(s.due_at, t0 + 34 * kHour);
    // A milder report later never pushes a deadline back or lowers the priority.
    s = apply_report(s, Urgency::normal, t0 + 11 * kHour).state;
    EXPECT_EQ(s.priority, Urgency::urgent);
    EXPECT_EQ(s.due_at, t0 + 34 * kHour);
}

TEST(OutreachTriage, ContactStopsTheClockAndLateContactShows) {
    auto s = apply_report(TriageState{}, Urgency::urgent, t0).state;
    s = assign(s, 42);
    EXPECT_EQ(s.status, HouseholdStatus::assigned);
    auto on_time = record_contact(s, t0 + 5 * kHour);
    EXPECT_EQ(deadline_view(on_time, t0 + 100 * kHour).status, DeadlineStatus::met);
    auto late = record_contact(s, t0 + 30 * kHour);
    auto v = deadline_view(late, t0 + 100 * kHour);
    EXPECT_EQ(v.status, DeadlineStatus::met_late);
    EXPECT_EQ(v.overdue_seconds, 6 * kHour);
    // A second contact keeps the first one's time.
    EXPECT_EQ(record_contact(on_time, t0 + 50 * kHour).contacted_at, t0 + 5 * kHour);
}

TEST(OutreachTriage, ANewSignalAfterContactNeedsContactAgain) {
    auto s = record_contact(assign(apply_report(TriageState{}, Urgency::normal, t0).state, 42), t0 + kHour);
    auto e = apply_report(s, Urgency::high, t0 + 48 * kHour);
    EXPECT_EQ(e.state.status, HouseholdStatus::assigned);
    EXPECT_EQ(e.state.contacted_at, 0);
    EXPECT_EQ(e.state.due_at, t0 + 120 * kHour);
    EXPECT_EQ(e.state.priority, Urgency::high);
}

TEST(OutreachTriage, AReportAboutAClosedHouseholdReopensIt) {
    auto s = close(apply_report(TriageState{}, Urgency::urgent, t0).state, "not_in_need", t0 + kHour);
    EXPECT_EQ(deadline_view(s, t0 + 100 * kHour).status, DeadlineStatus::closed_uncontacted);
    auto e = apply_report(s, Urgency::normal, t0 + 200 * kHour);
    EXPECT_TRUE(e.reopened);
    EXPECT_EQ(e.state.status, HouseholdStatus::new_);
    EXPECT_EQ(e.state.priority, Urgency::normal);
    EXPECT_EQ(e.state.outcome, "");
    EXPECT_EQ(e.state.due_at, t0 + 200 * kHour + 168 * kHour);
}

TEST(OutreachTriage, ClosedAndMergedHouseholdsRefuseChanges) {
    auto closed = close(apply_report(TriageState{}, Urgency::normal, t0).state, "refused", t0);
    for (auto f : {+[](const TriageState& s) { return assign(s, 1); },
                   +[](const TriageState& s) { return record_contact(s, t0); },
                   +[](const TriageState& s) { return close(s, "refused", t0); }}) {
        try {
            f(closed);
            FAIL() << "closed household accepted a change";
        } catch (const Error& e) {
            EXPECT_EQ(e.kind(), ErrorKind::conflict);
        }
        TriageState merged;
        merged.status = HouseholdStatus::merged;
        EXPECT_THROW(f(merged), Error);
    }
}

TEST(OutreachTriage, MergingKeepsTheMostPressingState) {
    auto a = record_contact(apply_report(TriageState{}, Urgency::normal, t0).state, t0 + kHour);
    auto b = assign(apply_report(TriageState{}, Urgency::urgent, t0 + 2 * kHour).state, 7);
    auto m = merge_states(a, b);
    EXPECT_EQ(m.status, HouseholdStatus::assigned) << "a pending contact beats a made one";
    EXPECT_EQ(m.priority, Urgency::urgent);
    EXPECT_EQ(m.due_at, t0 + 26 * kHour);
    EXPECT_EQ(m.assigned_to, 7);

    auto c = apply_report(TriageState{}, Urgency::high, t0).state;
    auto d = apply_report(TriageState{}, Urgency::normal, t0 + kHour).state;
    auto both = merge_states(d, c);
    EXPECT_EQ(both.due_at, t0 + 72 * kHour) << "the earlier pending deadline";
    EXPECT_EQ(both.priority, Urgency::high);

    auto closed = close(c, "refused", t0);
    EXPECT_EQ(merge_states(closed, d).status, HouseholdStatus::new_) << "open beats closed";
    EXPECT_EQ(merge_states(d, closed).due_at, d.due_at);
}

TEST(OutreachTriage, WhatTheReporterSees) {
    EXPECT_EQ(report_status(HouseholdStatus::new_, 0), ReportStatus::received);
    EXPECT_EQ(report_status(HouseholdStatus::assigned, 0), ReportStatus::under_review);
    EXPECT_EQ(report_status(HouseholdStatus::contacted, 0), ReportStatus::under_review);
    EXPECT_EQ(report_status(HouseholdStatus::new_, t0), ReportStatus::closed)
        << "closed before the household reopened";
}

}  // namespace
}  // namespace dure::outreach
