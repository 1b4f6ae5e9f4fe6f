#pragma once
// Calendar dates as Korean users and officials see them (Asia/Seoul, UTC+9, no daylight saving).
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cctype>
#include <string>

namespace dure {

// The date in Korea at `now`, as YYYY-MM-DD.
inline std::string seoul_date(std::chrono::system_clock::time_point now) {
    auto t = std::chrono::system_clock::to_time_t(now + std::chrono::hours(9));
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

// A moment (Unix seconds) as a Korean reader sees it: "YYYY-MM-DD HH:MM" in Korea.
inline std::string kst(long long unix_time) {
    std::time_t t = static_cast<std::time_t>(unix_time + 9 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
    return buf;
}

// Today's date in Korea.
inline std::string today_seoul() { return seoul_date(std::chrono::system_clock::now()); }

// A calendar date written YYYY-MM-DD (1900 or later; leap years counted).
inline bool valid_date(const std::string& s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
    static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

}  // namespace dure
