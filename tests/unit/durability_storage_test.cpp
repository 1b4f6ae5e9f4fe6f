// SQLite commits are durable before write() returns: the writer runs in WAL mode with
// synchronous=FULL (2), so an acknowledged write survives a power loss, not only a crash.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure::store {
namespace {

TEST(SqliteDurability, WriterCommitsWithSynchronousFull) {
    testing::ScratchDatabase scratch("sqlite", "dur");
    auto db = Database::open(scratch.url, 2);
    int sync = -1;
    std::string mode;
    db->write([&](soci::session& s) {
        s << "PRAGMA synchronous", soci::into(sync);
        s << "PRAGMA journal_mode", soci::into(mode);
    });
    EXPECT_EQ(sync, 2) << "0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA";
    EXPECT_EQ(mode, "wal");
}

}  // namespace
}  // namespace dure::store
