// store::is_unique_violation recognizes a UNIQUE conflict on both databases (so a race between two
// first saves answers 409, not 500) and nothing else.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure::store {
namespace {

class UniqueViolation : public ::testing::TestWithParam<std::string> {};

TEST_P(UniqueViolation, IsRecognizedAndOtherErrorsAreNot) {
    testing::ScratchDatabase scratch(GetParam(), "uv");
    auto db = Database::open(scratch.url, 2);
    db->write([](soci::session& s) { s << "CREATE TABLE uv_t (k TEXT PRIMARY KEY, n BIGINT NOT NULL)"; });
    db->write([](soci::session& s) { s << "INSERT INTO uv_t (k, n) VALUES ('a', 1)"; });
    bool unique = false, other = true;
    try {
        db->write([](soci::session& s) { s << "INSERT INTO uv_t (k, n) VALUES ('a', 2)"; });
    } catch (const std::exception& e) {
        unique = is_unique_violation(e);
    }
    try {
        db->write([](soci::session& s) { s << "INSERT INTO uv_t (k) VALUES ('b')"; });  // NOT NULL
    } catch (const std::exception& e) {
        other = is_unique_violation(e);
    }
    EXPECT_TRUE(unique);
    EXPECT_FALSE(other);
}

INSTANTIATE_TEST_SUITE_P(Backends, UniqueViolation, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure::store
