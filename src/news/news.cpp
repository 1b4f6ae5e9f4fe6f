#include "news/news.hpp"

#include <boost/json.hpp>
#include <cstdio>
#include <ctime>

#include "common/text.hpp"

namespace dure::catalog {

namespace json = boost::json;

namespace {

// Control characters other than line breaks and tabs.
bool bad_body_chars(std::string_view s) {
    std::string cleaned;
    cleaned.reserve(s.size());
    for (char c : s) cleaned += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    return has_control_chars(cleaned);
}

long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

}  // namespace

std::optional<long long> parse_timestamp(std::string_view s) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
    long long offset = 9 * 3600;  // a bare date is a Korean date
    std::string str(s);
    if (str.size() == 10) {
        char extra = 0;
        if (std::sscanf(str.c_str(), "%4d-%2d-%2d%c", &y, &mo, &d, &extra) != 3) return std::nullopt;
    } else {
        if (str.size() < 20 || str.size() > 35) return std::nullopt;
        if (std::sscanf(str.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6 ||
            str[4] != '-' || str[7] != '-' || (str[10] != 'T' && str[10] != 't') || str[13] != ':' ||
            str[16] != ':')
            return std::nullopt;
        std::string rest = str.substr(19);
        if (!rest.empty() && rest[0] == '.') {
            std::size_t i = 1;
            while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i]))) ++i;
            if (i == 1) return std::nullopt;
            rest = rest.substr(i);
        }
        if (rest == "Z" || rest == "z") {
            offset = 0;
        } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
            int oh = 0, om = 0;
            if (std::sscanf(rest.c_str() + 1, "%2d:%2d", &oh, &om) != 2 || oh > 23 || om > 59)
                return std::nullopt;
            offset = (rest[0] == '+' ? 1 : -1) * (oh * 3600LL + om * 60LL);
        } else {
            return std::nullopt;
        }
    }
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 60)
        return std::nullopt;
    if (d > kDays[mo - 1] + (mo == 2 && leap(y) ? 1 : 0)) return std::nullopt;
    return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600LL +
           mi * 60LL + sec - offset;
}

std::string format_timestamp(long long t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

void read_news(const json::object& body, NewsItem& item, bool creating, long long now, FieldErrors& errors) {
    for (const auto& kv : body) {
        std::string_view k = kv.key();
        if (k != "title" && k != "body" && k != "published_at")
            errors.add(std::string(k), "unknown_field", "not a field of a news item");
    }
    auto text = [&](const char* key, std::size_t max, std::string& into, bool multiline) {
        auto it = body.find(key);
        if (it == body.end() || it->value().is_null()) {
            if (creating) errors.add(key, "required", "required");
            return;
        }
        if (!it->value().is_string()) return errors.add(key, "not_a_string", "expected a string");
        std::string v(it->value().as_string());
        auto b = v.find_first_not_of(" \t\r\n");
        v = b == std::string::npos ? std::string() : v.substr(b, v.find_last_not_of(" \t\r\n") - b + 1);
        if (v.empty()) return errors.add(key, "required", "must not be empty");
        if (utf8_length(v) > max)
            return errors.add(key, "too_long", "at most " + std::to_string(max) + " characters");
        if (multiline ? bad_body_chars(v) : has_control_chars(v))
            return errors.add(key, "control_characters", "plain text without control characters");
        into = std::move(v);
    };
    text("title", kNewsTitleMax, item.title, false);
    text("body", kNewsBodyMax, item.body, true);
    if (auto it = body.find("published_at"); it != body.end() && !it->value().is_null()) {
        std::optional<long long> t;
        if (it->value().is_string()) t = parse_timestamp(std::string_view(it->value().as_string()));
        if (!t)
            errors.add("published_at", "not_a_time", "an ISO 8601 time such as 2025-03-01T09:00:00+09:00");
        else
            item.published_at = *t;
    } else if (creating) {
        item.published_at = now;
    }
}

json::object news_json(const NewsItem& n) {
    return {{"id", n.id},
            {"title", n.title},
            {"body", n.body},
            {"published_at", format_timestamp(n.published_at)},
            {"updated_at", format_timestamp(n.updated_at)}};
}

}  // namespace dure::catalog
