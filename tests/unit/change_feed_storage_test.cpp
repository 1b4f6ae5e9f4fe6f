// The change feed on SQLite and (with DURE_TEST_PG) PostgreSQL: a catalogue write made through
// another connection (another process) reaches a subscriber within a second, by the triggers of
// migration 0080 and by publish(); on PostgreSQL, a listener whose connection was cut reconnects
// and catches up on what changed meanwhile.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "scratch_database.hpp"
#include "store/change_feed.hpp"
#include "store/database.hpp"

namespace dure::store {
namespace {

class ChangeFeedStorage : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        scratch_ = std::make_unique<testing::ScratchDatabase>(GetParam(), "cf");
        a_ = Database::open(scratch_->url, 2);
        migrate(*a_);
        b_ = Database::open(scratch_->url, 2);
        identity::IdentityStore ids(*a_, keys_);
        district_ = ids.create_district("d" + scratch_->name, "구", "gu");
    }
    void TearDown() override {
        a_.reset();
        b_.reset();
        scratch_.reset();
    }
    void add_service(Database& db, const std::string& id) {
        db.write([&](soci::session& s) {
            s << "INSERT INTO services (id, district_id, name, status, hsds_json, version, created_at, updated_at) "
                 "VALUES (:i, :d, '시험', 'active', '{}', 1, 0, 0)",
                soci::use(id), soci::use(district_);
        });
    }
    // Waits up to `ms` for `n` to reach `want`; returns the time it took.
    static long long wait_for(const std::atomic<int>& n, int want, int ms = 1000) {
        auto t0 = std::chrono::steady_clock::now();
        while (n.load() < want && std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(ms))
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    }
    identity::Keyring keys_ = identity::Keyring::from_master(std::string(32, 'c'));
    std::unique_ptr<testing::ScratchDatabase> scratch_;
    std::unique_ptr<Database> a_, b_;
    long long district_ = 0;
};

TEST_P(ChangeFeedStorage, AnotherProcessesCatalogueWriteArrivesWithinASecond) {
    ChangeFeed feed(*a_, scratch_->url);
    std::atomic<int> calls{0};
    feed.subscribe("catalog", [&] { ++calls; });
    feed.start();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(calls, 0) << "nothing changed yet";
    add_service(*b_, "s1");
    wait_for(calls, 1);
    EXPECT_EQ(calls, 1);
    b_->write([&](soci::session& s) { ChangeFeed::publish(s, b_->dialect(), "catalog"); });
    wait_for(calls, 2);
    EXPECT_EQ(calls, 2);
    feed.stop();
}

TEST_P(ChangeFeedStorage, AListenerThatLostItsConnectionCatchesUp) {
    if (GetParam() != "postgresql") GTEST_SKIP() << "SQLite has no connection to lose";
    ChangeFeed feed(*a_, scratch_->url);
    std::atomic<int> calls{0};
    feed.subscribe("catalog", [&] { ++calls; });
    feed.start();
    auto t0 = std::chrono::steady_clock::now();
    while (feed.connects() < 1 && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3))
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(feed.connects(), 1);
    // Cut the listener off, and change the catalogue while it is away.
    b_->write([&](soci::session& s) {
        s << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'dure_change_feed'";
    });
    add_service(*b_, "s2");
    wait_for(calls, 1, 3000);
    EXPECT_EQ(calls, 1);
    for (int i = 0; i < 300 && feed.connects() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    EXPECT_GE(feed.connects(), 2) << "the listener reconnected";
    feed.stop();
}

INSTANTIATE_TEST_SUITE_P(Backends, ChangeFeedStorage, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::store
