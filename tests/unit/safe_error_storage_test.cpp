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
    auto pg = redact_bound_values("ERROR:  duplicate key\nDETAIL:  Key (phone, name)=(010 (x), 김) already exists.\n");
    EXPECT_EQ(pg.find("010"), std::string::npos) << pg;
    EXPECT_NE(pg.find("Key (phone, name)=([withheld]) already exists"), std::string::npos) << pg;
    auto nn = redact_bound_values("DETAIL:  Failing row contains (1, 01099998888, null).\n");
    EXPECT_EQ(nn.find("0109999"), std::string::npos) << nn;
}

INSTANTIATE_TEST_SUITE_P(Backends, SafeError, ::testing::ValuesIn(testing::storage_backends()));

}  // namespace
}  // namespace dure
