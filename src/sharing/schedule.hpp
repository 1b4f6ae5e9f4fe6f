#pragma once
// Recurring schedules of projects (사업): a pure subset of the iCalendar RRULE (RFC 5545
// §3.3.10), parsed and expanded into dates (no database, no HTTP). Supported: FREQ=DAILY, WEEKLY
// or MONTHLY; INTERVAL (1-99); BYDAY (MO…SU; in MONTHLY also with an ordinal, e.g. 2TU or -1FR);
// COUNT (1-1000) or UNTIL (YYYYMMDD, or YYYYMMDDTHHMMSS[Z]: the date part counts). Anything else
// (other frequencies, BYMONTHDAY, BYSETPOS, WKST …, repeated parts, COUNT with UNTIL) is refused
// with a problem naming the field. docs/sharing.md "Projects".
#include <string>
#include <string_view>
#include <vector>

namespace dure::sharing {

struct Recurrence {
    enum class Freq { daily, weekly, monthly } freq = Freq::weekly;
    int interval = 1;
    // BYDAY: weekday 0 Monday … 6 Sunday; ordinal 0 = every such weekday (MONTHLY: nth of the
    // month, negative from the end).
    struct Day {
        int weekday = 0, ordinal = 0;
        bool operator==(const Day&) const = default;
    };
    std::vector<Day> byday;
    int count = 0;      // 0: none
    std::string until;  // YYYY-MM-DD, "" none
};

// Throws Error(validation) naming `field` with a code: too_long, not_a_rule, unknown_part,
// repeated_part, unsupported_freq, bad_interval, bad_byday, bad_count, bad_until, count_and_until,
// missing_freq.
Recurrence parse_rrule(std::string_view text, const char* field = "rrule");

// The dates (YYYY-MM-DD, ascending) on which the rule occurs from `dtstart` on: at most `max`, none
// after `horizon` (YYYY-MM-DD) nor after UNTIL, at most COUNT. Dates are only those the rule
// produces (a DTSTART that does not match the rule is not added). Bounded work: at most
// `max` dates and a scan of at most 20 years.
std::vector<std::string> expand(const Recurrence& r, const std::string& dtstart, std::size_t max,
                                const std::string& horizon);

// The rule written back in RRULE form (canonical order), for storage and display.
std::string to_string(const Recurrence& r);

}  // namespace dure::sharing
