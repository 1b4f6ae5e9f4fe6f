#pragma once
// Pure rules of the community module (no database, no HTTP): attendance marks, weekly series of
// space bookings, course completion. Tested in rules_test.cpp.
#include <string>
#include <vector>

#include "common/error.hpp"

namespace dure::community {

// Attendance a staff member marks at the event: "attended" or "no_show".
bool valid_attendance_mark(const std::string& mark);

// Staff may mark attendance of a confirmed registration from an hour before the start (the desk
// opens) of an open event. Adds errors naming the field.
// `what` names the field of the event (or course session) in errors.
void check_attendance(const std::string& event_status, long long starts_at, const std::string& registration_status,
                      const std::string& mark, long long now, FieldErrors& errors, const std::string& what = "event_id",
                      const std::string& who = "registration_id");

// A course is completed when the sessions attended reach the course's rule (e.g. 3 of 4).
bool completion_reached(long long attended, long long required);
// The reason carried with a completion (and printed on the certificate).
std::string completion_reason(long long attended, long long sessions, long long required);

// The dates of a weekly series: `first` (YYYY-MM-DD) and the same weekday for `weeks` weeks in
// all (weeks >= 1). Empty when `first` is not a date.
std::vector<std::string> weekly_days(const std::string& first, int weeks);

// The sharing market: may an item of `kind` (give, lend) go from `from` to `to` by its owner?
// listed → reserved (a request chosen) → handed_over; a loan handed_over → listed (returned);
// reserved → listed (released); listed or reserved → withdrawn.
bool market_transition(const std::string& kind, const std::string& from, const std::string& to);

// No money changes hands in the market: a price in the text (e.g. "5,000원", "만원", "₩3000")
// is refused.
bool mentions_price(const std::string& utf8_text);

// Largest weekly series (half a year).
inline constexpr int kMaxSeriesWeeks = 26;

}  // namespace dure::community
