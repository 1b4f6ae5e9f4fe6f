// Welfare news input as an official meets it: required fields, the 20,000-character body
// limit, plain text only, and publication times in ISO 8601.
#include "news/news.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace dure::catalog {
namespace {

namespace json = boost::json;

std::vector<std::string> fields(const json::object& body, bool creating, NewsItem* out = nullptr) {
    NewsItem n;
    FieldErrors errors;
    read_news(body, n, creating, 1'000'000, errors);
    if (out) *out = n;
    std::vector<std::string> f;
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        for (const auto& x : e.fields()) f.push_back(x.field + ":" + x.code);
    }
    return f;
}

TEST(NewsInput, CreatingNeedsTitleAndBodyAndDefaultsThePublicationTime) {
    NewsItem n;
    EXPECT_TRUE(fields({{"title", " 난방비 지원 "}, {"body", "첫 줄\n둘째 줄"}}, true, &n).empty());
    EXPECT_EQ(n.title, "난방비 지원");
    EXPECT_EQ(n.body, "첫 줄\n둘째 줄");
    EXPECT_EQ(n.published_at, 1'000'000);
    auto f = fields({{"title", ""}}, true);
    EXPECT_EQ(f, (std::vector<std::string>{"title:required", "body:required"}));
    EXPECT_TRUE(fields({{"title", "제목만 바꿈"}}, false).empty());
}

TEST(NewsInput, BodyIsPlainTextUpTo20000Characters) {
    std::string ok;
    for (int i = 0; i < 20000; ++i) ok += "가";
    EXPECT_TRUE(fields({{"title", "t"}, {"body", ok}}, true).empty());
    EXPECT_EQ(fields({{"title", "t"}, {"body", ok + "가"}}, true),
              (std::vector<std::string>{"body:too_long"}));
    EXPECT_EQ(fields({{"title", "t"}, {"body", std::string("a\x01") + "b"}}, true),
              (std::vector<std::string>{"body:control_characters"}));
    EXPECT_EQ(fields({{"title", "a\nb"}, {"body", "b"}}, true),
              (std::vector<std::string>{"title:control_characters"}));
    EXPECT_EQ(fields({{"title", "t"}, {"body", "b"}, {"html", "<b>"}}, true),
              (std::vector<std::string>{"html:unknown_field"}));
}

TEST(NewsInput, PublicationTimesAreIso8601) {
    EXPECT_EQ(parse_timestamp("2025-03-01T00:00:00Z"), 1740787200);
    EXPECT_EQ(parse_timestamp("2025-03-01T09:00:00+09:00"), 1740787200);
    EXPECT_EQ(parse_timestamp("2025-03-01T09:00:00.250+09:00"), 1740787200);
    EXPECT_EQ(parse_timestamp("2025-03-01"), 1740787200 - 9 * 3600);  // midnight in Korea
    EXPECT_FALSE(parse_timestamp("2025-02-29"));
    EXPECT_FALSE(parse_timestamp("2025-03-01 09:00"));
    EXPECT_FALSE(parse_timestamp("yesterday"));
    EXPECT_EQ(format_timestamp(1740787200), "2025-03-01T00:00:00Z");
    EXPECT_EQ(fields({{"title", "t"}, {"body", "b"}, {"published_at", "soon"}}, true),
              (std::vector<std::string>{"published_at:not_a_time"}));
}

}  // namespace
}  // namespace dure::catalog
