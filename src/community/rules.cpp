#include "community/rules.hpp"

#include <cctype>
#include <cstdio>
#include <ctime>

#include "common/dates.hpp"

namespace dure::community {

bool valid_attendance_mark(const std::string& mark) { return mark == "attended" || mark == "no_show"; }

void check_attendance(const std::string& event_status, long long starts_at, const std::string& registration_status,
                      const std::string& mark, long long now, FieldErrors& errors, const std::string& what,
                      const std::string& who) {
    if (!valid_attendance_mark(mark)) errors.add("status", "unknown_code", "attended or no_show");
    if (event_status != "open") errors.add(what, "event_cancelled", "it was cancelled");
    if (now < starts_at - 3600)
        errors.add(what, "not_started", "attendance is marked at the event (from an hour before the start)");
    if (registration_status != "confirmed")
        errors.add(who, "not_confirmed",
                   "only confirmed participants attend (this registration is " + registration_status + ")");
}

bool completion_reached(long long attended, long long required) { return required > 0 && attended >= required; }

std::string completion_reason(long long attended, long long sessions, long long required) {
    return std::to_string(sessions) + "회 중 " + std::to_string(attended) + "회 출석 (수료 기준 " + std::to_string(required) +
           "회) / attended " + std::to_string(attended) + " of " + std::to_string(sessions) + " sessions (rule: " +
           std::to_string(required) + ")";
}

bool market_transition(const std::string& kind, const std::string& from, const std::string& to) {
    if (to == "withdrawn") return from == "listed" || from == "reserved";
    if (from == "reserved" && to == "listed") return true;
    if (from == "reserved" && to == "handed_over") return true;
    if (from == "handed_over" && to == "listed") return kind == "lend";  // a loan came back
    return false;
}

bool mentions_price(const std::string& t) {
    if (t.find("₩") != std::string::npos) return true;
    // A digit (with , or spaces) or a Korean numeral unit right before "원".
    const std::string won = "원";
    for (std::size_t i = t.find(won); i != std::string::npos; i = t.find(won, i + won.size())) {
        std::size_t j = i;
        while (j > 0 && (t[j - 1] == ' ' || t[j - 1] == ',')) --j;
        if (j > 0 && std::isdigit(static_cast<unsigned char>(t[j - 1]))) return true;
        for (const char* unit : {"만", "천", "백"}) {
            std::string u = unit;
            if (j >= u.size() && t.compare(j - u.size(), u.size(), u) == 0) return true;
        }
    }
    return false;
}

std::vector<std::string> weekly_days(const std::string& first, int weeks) {
    std::vector<std::string> out;
    if (!valid_date(first) || weeks < 1) return out;
    std::tm tm{};
    tm.tm_year = std::stoi(first.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(first.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(first.substr(8, 2));
    std::time_t t = timegm(&tm);
    for (int w = 0; w < weeks; ++w) {
        std::time_t d = t + static_cast<std::time_t>(w) * 7 * 86400;
        std::tm u{};
        gmtime_r(&d, &u);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", u.tm_year + 1900, u.tm_mon + 1, u.tm_mday);
        out.emplace_back(buf);
    }
    return out;
}

}  // namespace dure::community
