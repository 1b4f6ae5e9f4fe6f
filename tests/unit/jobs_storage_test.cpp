// Scheduled jobs on SQLite and (with DURE_TEST_PG) PostgreSQL: a run is claimed once per period
// across processes (each "process" here is a Database of its own), a lease keeps a second runner
// out until the run ends or the lease runs out, failures are recorded; and the scheduler runs
// each job on a thread of its own, so a hanging job holds up no other and is seen as stalled.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "jobs/scheduler.hpp"
#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure::jobs {
namespace {

class JobsStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "jb");
        a_ = store::Database::open(scratch_->url, 4);
        store::migrate(*a_);
        b_ = store::Database::open(scratch_->url, 4);
    }
    void TearDown() override {
        a_.reset();
        b_.reset();
        scratch_.reset();
    }
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<store::Database> a_, b_;
};

TEST_P(JobsStorage, ARunIsClaimedOncePerPeriodAcrossProcesses) {
    Job job{"tick", 10, 0, [](long long) {}};
    const long long t = 1'800'000'000;
    ensure(*a_, job, t);
    ensure(*b_, job, t);
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            if (claim(i % 2 ? *a_ : *b_, job, "p" + std::to_string(i), t)) ++won;
        });
    for (auto& th : threads) th.join();
    EXPECT_EQ(won, 1);
    auto rows = list(*a_);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].runs, 1);
    EXPECT_EQ(rows[0].last_run_at, t);
    EXPECT_EQ(rows[0].next_run_at, t + 10);
    finish(*a_, job, rows[0].lease_owner, t + 1, "");
    EXPECT_EQ(list(*a_)[0].last_success_at, t + 1);
    EXPECT_FALSE(claim(*a_, job, "x", t + 9)) << "not before the period is over";
    EXPECT_TRUE(claim(*b_, job, "y", t + 10));
    EXPECT_FALSE(claim(*a_, job, "x", t + 10));
}

TEST_P(JobsStorage, ALeaseKeepsASecondRunnerOutUntilItEnds) {
    Job job{"slow", 10, 0, [](long long) {}, 60};
    const long long t = 1'800'000'000;
    ensure(*a_, job, t);
    ASSERT_TRUE(claim(*a_, job, "a", t));
    EXPECT_FALSE(claim(*b_, job, "b", t + 20)) << "due again, but the first run still holds its lease";
    EXPECT_TRUE(claim(*b_, job, "b", t + 61)) << "the first runner died: its lease ran out";
    finish(*a_, job, "a", t + 62, "");  // the late runner's end does not clear b's lease
    EXPECT_GT(list(*a_)[0].lease_until, t + 62);
}

TEST_P(JobsStorage, TheFirstRunWaitsItsDelayAndAFailureIsRecordedAndRetriedSooner) {
    Job job{"daily", 86400, 60, [](long long) {}};
    const long long t = 1'800'000'000;
    ensure(*a_, job, t);
    ensure(*b_, job, t + 30);  // a second process starting later keeps the schedule
    EXPECT_FALSE(claim(*a_, job, "a", t + 59));
    ASSERT_TRUE(claim(*a_, job, "a", t + 60));
    finish(*a_, job, "a", t + 70, "database is locked");
    auto row = list(*a_)[0];
    EXPECT_EQ(row.failures, 1);
    EXPECT_EQ(row.last_error, "database is locked");
    EXPECT_EQ(row.last_success_at, 0);
    EXPECT_EQ(row.next_run_at, t + 70 + 300);
    EXPECT_EQ(row.lease_until, 0);
}

TEST_P(JobsStorage, EachJobRunsOnItsOwnThreadAndAHangingOneIsSeenAsStalled) {
    std::atomic<int> ticks{0};
    std::atomic<bool> release{false};
    Scheduler s(*a_, "p1");
    s.add({"hangs", 1, 0, [&](long long) {
               while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(20));
           }});
    s.add({"ticks", 1, 0, [&](long long) { ++ticks; }});
    s.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));
    EXPECT_GE(ticks.load(), 2) << "a hanging job holds up no other";
    EXPECT_TRUE(s.alive("ticks", 2));
    EXPECT_FALSE(s.alive("hangs", 2));
    release = true;
    s.stop();
    auto rows = list(*a_);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].name, "ticks");
    EXPECT_EQ(rows[1].runs, ticks.load());
}

INSTANTIATE_TEST_SUITE_P(Backends, JobsStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::jobs
