#include "surveys/published.hpp"

#include <gtest/gtest.h>

namespace dure::surveys {
namespace {

// Two dongs and their total; dong b has one respondent.
Structure two_dongs() {
    Structure s;
    s.relations = {{"total", {"a", "b"}}};
    s.rows = {{"a"}, {"b"}};
    return s;
}

TEST(PublishedStatistics, ASmallCellAndItsComplementAreHidden) {
    auto p = suppress({{"total", 8}, {"a", 7}, {"b", 1}}, two_dongs(), {});
    EXPECT_FALSE(p["b"]) << "1 respondent";
    EXPECT_FALSE(p["a"]) << "else b = total - a";
    ASSERT_TRUE(p["total"]);
    EXPECT_EQ(*p["total"], 8);
}

TEST(PublishedStatistics, HiddenCellsThatAddUpToLessThanFiveHideMore) {
    Structure s;
    s.relations = {{"total", {"a", "b", "c"}}};
    // b and c are 1 each: two hidden cells adding up to 2 would both be known to be 1.
    auto p = suppress({{"total", 22}, {"a", 20}, {"b", 1}, {"c", 1}}, s, {});
    EXPECT_FALSE(p["b"]);
    EXPECT_FALSE(p["c"]);
    EXPECT_FALSE(p["a"]);
}

TEST(PublishedStatistics, AHiddenTotalHidesAPartToo) {
    Structure s;
    s.relations = {{"total", {"a", "b"}}};
    auto p = suppress({{"total", 3}, {"a", 0}, {"b", 3}}, s, {});
    EXPECT_FALSE(p["total"]);
    EXPECT_FALSE(p["b"]);
    ASSERT_TRUE(p["a"]);
    EXPECT_EQ(*p["a"], 0);
}

TEST(PublishedStatistics, ASmallComplementHidesThePart) {
    Structure s;
    s.subsets = {{"surveyed", "flagged"}};
    auto p = suppress({{"surveyed", 9}, {"flagged", 8}}, s, {});
    EXPECT_TRUE(p["surveyed"]);
    EXPECT_FALSE(p["flagged"]) << "else the one person without a flag is known";
}

TEST(PublishedStatistics, ACellThatChangedByOneToFourSinceAnEarlierSnapshotIsHidden) {
    Structure s;
    PublishedCells before{{"flag", 7}, {"other", 20}};
    auto p = suppress({{"flag", 8}, {"other", 20}}, s, {before});
    EXPECT_FALSE(p["flag"]);
    EXPECT_EQ(*p["other"], 20);
    p = suppress({{"flag", 13}, {"other", 20}}, s, {before, {{"flag", std::nullopt}}});
    ASSERT_TRUE(p["flag"]);
    EXPECT_EQ(*p["flag"], 13) << "a change of 6 names nobody";
}

TEST(PublishedStatistics, HiddenCellsThatTogetherChangedByOneToFourHideTheTotal) {
    Structure s;
    s.relations = {{"total", {"a", "b", "c"}}};
    // a and c were shown before (10 and 10); now both are hidden (a is small, c its complement)
    // and together grew by 1: the total minus b would tell.
    PublishedCells before{{"total", 50}, {"a", 10}, {"b", 30}, {"c", 10}};
    auto p = suppress({{"total", 60}, {"a", 3}, {"b", 39}, {"c", 18}}, s, {before});
    EXPECT_FALSE(p["a"]);
    EXPECT_FALSE(p["c"]) << "the complement of a";
    EXPECT_FALSE(p["total"]) << "a + c went from 20 to 21";
    EXPECT_EQ(*p["b"], 39);
}

}  // namespace
}  // namespace dure::surveys
