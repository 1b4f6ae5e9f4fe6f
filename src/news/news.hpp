#pragma once
// Welfare news (복지 소식) that officials post for residents: plain-text title and body, shown
// from its publication time on. Pure logic: validation and the timestamp format of the API.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"

namespace dure::catalog {

struct NewsItem {
    long long id = 0;
    long long district_id = 0;
    std::string title;
    std::string body;            // plain text; line breaks kept, no markup interpreted
    long long published_at = 0;  // Unix seconds (UTC)
    std::string created_by, updated_by;
    long long created_at = 0, updated_at = 0;
};

constexpr std::size_t kNewsTitleMax = 200;
constexpr std::size_t kNewsBodyMax = 20000;

// Reads {title, body, published_at} into `item`. `creating` makes title and body required;
// published_at defaults to `now` when creating. Bodies may hold line breaks and tabs, no
// other control characters.
void read_news(const boost::json::object& body, NewsItem& item, bool creating, long long now,
               FieldErrors& errors);

// Parses an ISO 8601 / RFC 3339 time ("2025-03-01T09:00:00Z", "…+09:00", or a bare date
// "2025-03-01", read as midnight in Korea) into Unix seconds.
std::optional<long long> parse_timestamp(std::string_view s);
// Unix seconds as "YYYY-MM-DDTHH:MM:SSZ".
std::string format_timestamp(long long unix_seconds);

boost::json::object news_json(const NewsItem& n);

}  // namespace dure::catalog
