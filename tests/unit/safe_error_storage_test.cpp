// A database error's text, as logged (dure::safe_what), names the statement but never the values
// bound to it: a unique violation on a phone number does not put the number in the journal.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "common/safe_error.hpp"
#include "scratch_database.hpp"
#include "store/database.hpp"

namespace dure {
namespace {

class SafeError : public ::testing::TestWithParam<std::string> {};

TEST_P(SafeError, BoundValuesAreWithheld) {
    testing::ScratchDatabase scratch(GetParam(), "se");
    auto db = store::Database::open(scratch.url, 2);
    db->write([](soci::session& s) { s << "CREATE TABLE se_t (phone TEXT PRIMARY KEY)"; });
    std::string phone = "01012345678";
    db->write([&](soci::session& s) { s << "INSERT INTO se_t (phone) VALUES (:p)", soci::use(phone, "p"); });
    std::string raw, safe;
    try {
        db->write([&](soci::session& s) { s << "INSERT INTO se_t (phone) VALUES (:p)", soci::use(phone, "p"); });
    } catch (const std::exception& e) {
        raw = e.what();
        safe = safe_what(e);
    }
    ASSERT_FALSE(raw.empty());
    EXPECT_NE(raw.find(phone), std::string::npos) << "SOCI no longer appends bound values: " << raw;
    EXPECT_EQ(safe.find(phone), std::string::npos) << safe;
    EXPECT_NE(safe.find("INSERT INTO se_t"), std::string::npos) << safe;
}

TEST(SafeErrorText, LeavesOtherMessagesAlone) {
    EXPECT_EQ(redact_bound_values("no such table: x"), "no such table: x");
}

INSTANTIATE_TEST_SUITE_P(Backends, SafeError, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure
