#pragma once
// Calendar dates as Korean users and officials see them (Asia/Seoul, UTC+9, no daylight saving).
#include <chrono>
#include <cstdio>
#include <ctime>
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

// Today's date in Korea.
inline std::string today_seoul() { return seoul_date(std::chrono::system_clock::now()); }

}  // namespace dure
