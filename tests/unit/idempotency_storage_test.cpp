// store::run_idempotent: one key writes once, replays the first answer, refuses another body,
// and under concurrency (8 threads, one key) exactly one write commits.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "common/error.hpp"
#include "scratch_database.hpp"
#include "store/idempotency.hpp"

namespace dure::store {
namespace {

class Idempotency : public ::testing::TestWithParam<std::string> {};

long long count(Database& db) {
    long long n = 0;
    db.read([&](soci::session& s) { s << "SELECT COUNT(*) FROM idem_t", soci::into(n); });
    return n;
}

TEST_P(Idempotency, WritesOnceAndReplays) {
    testing::ScratchDatabase scratch(GetParam(), "idem");
    auto db = Database::open(scratch.url, 8);
    migrate(*db);
    db->write([](soci::session& s) { s << "CREATE TABLE idem_t (n BIGINT NOT NULL)"; });
    auto write = [](soci::session& s) {
        s << "INSERT INTO idem_t (n) VALUES (1)";
        return std::pair<int, std::string>{201, "{\"ok\":true}"};
    };
    auto a = run_idempotent(*db, "k1", "body1", write);
    auto b = run_idempotent(*db, "k1", "body1", write);
    EXPECT_FALSE(a.replayed);
    EXPECT_TRUE(b.replayed);
    EXPECT_EQ(b.status, 201);
    EXPECT_EQ(b.body, "{\"ok\":true}");
    EXPECT_EQ(count(*db), 1);
    EXPECT_THROW(run_idempotent(*db, "k1", "other body", write), Error);
    run_idempotent(*db, "", "", write);  // no key: an ordinary write
    EXPECT_EQ(count(*db), 2);
    // A failing write stores no key: the retry writes.
    EXPECT_THROW(run_idempotent(*db, "k2", "b",
                                [](soci::session& s) -> std::pair<int, std::string> {
                                    s << "INSERT INTO idem_t (n) VALUES (1)";
                                    throw std::runtime_error("boom");
                                }),
                 std::runtime_error);
    EXPECT_EQ(count(*db), 2);
    EXPECT_FALSE(run_idempotent(*db, "k2", "b", write).replayed);
    EXPECT_EQ(count(*db), 3);
}

TEST_P(Idempotency, ConcurrentRequestsWithOneKeyWriteOnce) {
    testing::ScratchDatabase scratch(GetParam(), "idemc");
    auto db = Database::open(scratch.url, 8);
    migrate(*db);
    db->write([](soci::session& s) { s << "CREATE TABLE idem_t (n BIGINT NOT NULL)"; });
    std::atomic<int> fresh{0}, replayed{0}, failed{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < 8; ++i)
        ts.emplace_back([&] {
            try {
                auto r = run_idempotent(*db, "same", "body", [](soci::session& s) {
                    s << "INSERT INTO idem_t (n) VALUES (1)";
                    return std::pair<int, std::string>{201, "{}"};
                });
                (r.replayed ? replayed : fresh)++;
            } catch (...) {
                failed++;
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(fresh.load(), 1);
    EXPECT_EQ(replayed.load(), 7);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(count(*db), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, Idempotency, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::store
