#include "sharing/schedule.hpp"

#include <algorithm>
#include <cstdio>

#include "common/error.hpp"
#include "sharing/rules.hpp"

namespace dure::sharing {

namespace {

const char* const kWeekdays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};

[[noreturn]] void refuse(const char* field, const char* code, const std::string& why) {
    throw Error(ErrorKind::validation, "the schedule rule is not valid: " + why, {{field, code, why}});
}

bool digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int small_int(std::string_view s, int lo, int hi, const char* field, const char* code, const char* what) {
    bool neg = !s.empty() && (s[0] == '-' || s[0] == '+');
    std::string_view d = neg ? s.substr(1) : s;
    if (!digits(d) || d.size() > 4) refuse(field, code, std::string(what) + " must be a number from " + std::to_string(lo) +
                                                             " to " + std::to_string(hi));
    int v = std::stoi(std::string(d)) * (s[0] == '-' ? -1 : 1);
    if (v < lo || v > hi) refuse(field, code, std::string(what) + " must be from " + std::to_string(lo) + " to " + std::to_string(hi));
    return v;
}

// Civil date of a day number (days since 1970-01-01), H. Hinnant's algorithm.
void civil(long long z, int& y, int& m, int& d) {
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
std::string ymd(long long day) {
    int y, m, d;
    civil(day, y, m, d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}
int weekday(long long day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday (3)
int days_in_month(int y, int m) {
    static const int k[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : k[m - 1];
}
long long day_of(int y, int m, int d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return day_number(buf);
}

}  // namespace

Recurrence parse_rrule(std::string_view text, const char* field) {
    if (text.size() > 200) refuse(field, "too_long", "at most 200 characters");
    if (text.substr(0, 6) == "RRULE:") text.remove_prefix(6);
    if (text.empty()) refuse(field, "not_a_rule", "a rule such as FREQ=WEEKLY;BYDAY=MO,WE");
    Recurrence r;
    bool seen_freq = false, seen_interval = false, seen_byday = false, seen_count = false, seen_until = false;
    std::vector<std::pair<std::string, int>> ordinals;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto semi = text.find(';', start);
        auto part = text.substr(start, semi == std::string_view::npos ? std::string_view::npos : semi - start);
        start = semi == std::string_view::npos ? text.size() + 1 : semi + 1;
        if (part.empty()) {
            if (start > text.size()) break;  // a trailing ';'
            refuse(field, "not_a_rule", "empty part between ';'");
        }
        auto eq = part.find('=');
        if (eq == std::string_view::npos || eq == 0 || eq + 1 == part.size())
            refuse(field, "not_a_rule", "each part is NAME=VALUE");
        auto name = part.substr(0, eq), value = part.substr(eq + 1);
        auto once = [&](bool& seen) {
            if (seen) refuse(field, "repeated_part", std::string(name) + " is given twice");
            seen = true;
        };
        if (name == "FREQ") {
            once(seen_freq);
            if (value == "DAILY") r.freq = Recurrence::Freq::daily;
            else if (value == "WEEKLY") r.freq = Recurrence::Freq::weekly;
            else if (value == "MONTHLY") r.freq = Recurrence::Freq::monthly;
            else refuse(field, "unsupported_freq", "FREQ is DAILY, WEEKLY or MONTHLY");
        } else if (name == "INTERVAL") {
            once(seen_interval);
            r.interval = small_int(value, 1, 99, field, "bad_interval", "INTERVAL");
        } else if (name == "COUNT") {
            once(seen_count);
            r.count = small_int(value, 1, 1000, field, "bad_count", "COUNT");
        } else if (name == "UNTIL") {
            once(seen_until);
            std::string_view date = value.substr(0, 8), rest = value.size() > 8 ? value.substr(8) : std::string_view{};
            bool time_ok = rest.empty() || ((rest.size() == 7 || (rest.size() == 8 && rest[7] == 'Z')) && rest[0] == 'T' &&
                                            digits(rest.substr(1, 6)));
            std::string iso = value.size() >= 8 && digits(date)
                                  ? std::string(date.substr(0, 4)) + "-" + std::string(date.substr(4, 2)) + "-" +
                                        std::string(date.substr(6, 2))
                                  : "";
            if (!time_ok || iso.empty() || day_number(iso) < 0) refuse(field, "bad_until", "UNTIL is a date YYYYMMDD");
            r.until = iso;
        } else if (name == "BYDAY") {
            once(seen_byday);
            std::size_t s = 0;
            while (s <= value.size()) {
                auto comma = value.find(',', s);
                auto item = value.substr(s, comma == std::string_view::npos ? std::string_view::npos : comma - s);
                s = comma == std::string_view::npos ? value.size() + 1 : comma + 1;
                if (item.size() < 2 || item.size() > 5) refuse(field, "bad_byday", "BYDAY lists MO, TU, WE, TH, FR, SA, SU");
                auto code = item.substr(item.size() - 2);
                int wd = 0;
                while (wd < 7 && code != kWeekdays[wd]) ++wd;
                if (wd == 7) refuse(field, "bad_byday", "BYDAY lists MO, TU, WE, TH, FR, SA, SU");
                int ord = 0;
                if (item.size() > 2) {
                    ord = small_int(item.substr(0, item.size() - 2), -5, 5, field, "bad_byday", "a BYDAY ordinal");
                    if (ord == 0) refuse(field, "bad_byday", "a BYDAY ordinal is 1 to 5 or -1 to -5");
                }
                Recurrence::Day d{wd, ord};
                if (std::find(r.byday.begin(), r.byday.end(), d) == r.byday.end()) r.byday.push_back(d);
            }
        } else {
            refuse(field, "unknown_part", std::string(name.substr(0, 20)) +
                                              " is not supported (FREQ, INTERVAL, BYDAY, COUNT, UNTIL)");
        }
    }
    if (!seen_freq) refuse(field, "missing_freq", "FREQ is required");
    if (seen_count && seen_until) refuse(field, "count_and_until", "COUNT and UNTIL are not given together");
    if (r.freq != Recurrence::Freq::monthly)
        for (const auto& d : r.byday)
            if (d.ordinal) refuse(field, "bad_byday", "a BYDAY ordinal (e.g. 2TU) is only for FREQ=MONTHLY");
    return r;
}

std::vector<std::string> expand(const Recurrence& r, const std::string& dtstart, std::size_t max, const std::string& horizon) {
    std::vector<std::string> out;
    long long start = day_number(dtstart), end = day_number(horizon);
    if (start < 0 || end < 0 || max == 0) return out;
    if (!r.until.empty()) end = std::min(end, day_number(r.until));
    end = std::min(end, start + 20 * 366);  // bounded work, whatever the input
    std::size_t limit = r.count ? std::min<std::size_t>(max, static_cast<std::size_t>(r.count)) : max;
    auto has_day = [&](int wd) {
        for (const auto& d : r.byday)
            if (d.weekday == wd && d.ordinal == 0) return true;
        return false;
    };
    if (r.freq == Recurrence::Freq::daily) {
        for (long long d = start; d <= end && out.size() < limit; d += r.interval)
            if (r.byday.empty() || has_day(weekday(d))) out.push_back(ymd(d));
    } else if (r.freq == Recurrence::Freq::weekly) {
        long long week0 = start - weekday(start);  // the Monday of DTSTART's week (WKST=MO)
        for (long long w = week0; w <= end && out.size() < limit; w += 7LL * r.interval)
            for (int i = 0; i < 7 && out.size() < limit; ++i) {
                long long d = w + i;
                if (d < start || d > end) continue;
                if (r.byday.empty() ? i == weekday(start) : has_day(i)) out.push_back(ymd(d));
            }
    } else {
        int y, m, dd;
        civil(start, y, m, dd);
        for (int k = 0; out.size() < limit; k += r.interval) {
            int mm = (m - 1 + k) % 12 + 1, yy = y + (m - 1 + k) / 12;
            long long first = day_of(yy, mm, 1);
            if (first > end) break;
            int n = days_in_month(yy, mm);
            std::vector<long long> days;
            if (r.byday.empty()) {
                if (dd <= n) days.push_back(day_of(yy, mm, dd));  // months without that day are skipped (RFC 5545)
            } else {
                for (int i = 0; i < n; ++i) {
                    long long d = first + i;
                    int wd = weekday(d), nth = i / 7 + 1, from_end = -((n - 1 - i) / 7 + 1);
                    for (const auto& b : r.byday)
                        if (b.weekday == wd && (b.ordinal == 0 || b.ordinal == nth || b.ordinal == from_end)) {
                            days.push_back(d);
                            break;
                        }
                }
            }
            for (long long d : days)
                if (d >= start && d <= end && out.size() < limit) out.push_back(ymd(d));
        }
    }
    return out;
}

std::string to_string(const Recurrence& r) {
    std::string s = std::string("FREQ=") +
                    (r.freq == Recurrence::Freq::daily ? "DAILY" : r.freq == Recurrence::Freq::weekly ? "WEEKLY" : "MONTHLY");
    if (r.interval != 1) s += ";INTERVAL=" + std::to_string(r.interval);
    if (!r.byday.empty()) {
        s += ";BYDAY=";
        for (std::size_t i = 0; i < r.byday.size(); ++i) {
            if (i) s += ",";
            if (r.byday[i].ordinal) s += std::to_string(r.byday[i].ordinal);
            s += kWeekdays[r.byday[i].weekday];
        }
    }
    if (r.count) s += ";COUNT=" + std::to_string(r.count);
    if (!r.until.empty()) s += ";UNTIL=" + r.until.substr(0, 4) + r.until.substr(5, 2) + r.until.substr(8, 2);
    return s;
}

}  // namespace dure::sharing
