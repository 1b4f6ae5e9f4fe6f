#pragma once
// Meeting spaces (공간) booked by the hour: opening hours, equipment, accessibility, fees per
// the ordinance, uses it forbids (political, religious, commercial: the applicant declares the
// purpose, staff approve). One slot row per booked hour, under a primary key: never a double
// booking, on SQLite and PostgreSQL, whatever the concurrency.
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace dure::community {

struct Space {
    long long id = 0, district_id = 0, dong_id = 0, organization_id = 0, capacity = 0, opens_hour = 9, closes_hour = 22;
    std::string name, place, equipment, accessibility, fee_note, fee_source;
};

struct Booking {
    long long id = 0, space_id = 0, account_id = 0, start_hour = 0, end_hour = 0, attendees = 0, decided_by = 0,
              created_at = 0, series_id = 0;
    std::string day, purpose, status, decision_note;
};

// Pure checks of a requested booking against a space (no database): the day (YYYY-MM-DD), whole
// hours within one day (an end at or before the start crosses midnight), within opening hours,
// attendees within capacity. Adds errors naming the field.
void check_booking(const Space& s, const Booking& b, FieldErrors& errors);

// iCalendar (RFC 5545) of a space's bookings: requested ones TENTATIVE, approved CONFIRMED; no
// names or purposes (a public feed).
std::string icalendar(const Space& s, const std::vector<Booking>& bookings, long long now);

// 409 naming start_hour: some of the hours are booked already.
Error already_booked();
// 409 with one error per date already held (field "day"; the message starts with the date).
Error series_conflicts(const std::vector<std::string>& days, const std::vector<std::vector<long long>>& taken);

class SpaceStore {
public:
    explicit SpaceStore(store::Database& db) : db_(db) {}
    store::Database& db() { return db_; }

    long long create(const Space& s, long long now);
    std::optional<Space> space(long long id);
    std::vector<Space> list(long long district_id);

    // Requests a booking in the caller's transaction: its hours taken in the slot table. When any
    // hour is taken the insert fails with a unique violation (the transaction must roll back).
    Booking request_in(soci::session& s, const Booking& b, long long now);
    // The same in a transaction of its own; a taken hour becomes already_booked().
    Booking request(const Booking& b, long long now);
    // approve / reject (staff), cancel (its person or staff): rejected and cancelled give their
    // hours back.
    Booking decide(long long booking_id, const std::string& status, long long by, const std::string& note, long long now);

    // The hours of [start_hour, end_hour) already held on each of `days` (empty: free), in the
    // caller's session.
    std::vector<std::vector<long long>> taken_hours(soci::session& s, long long space_id,
                                                    const std::vector<std::string>& days, long long start_hour,
                                                    long long end_hour);
    std::vector<std::vector<long long>> taken_hours(long long space_id, const std::vector<std::string>& days,
                                                    long long start_hour, long long end_hour);
    // A weekly series: one booking per day of `days`, the same hours, all or nothing in one
    // transaction with the slot table. Any day already held is refused together (409, one
    // error per date, field "day", nothing written); a racing writer that takes an hour between
    // the check and the insert is refused by the slot table's primary key just the same.
    std::vector<Booking> request_series_in(soci::session& s, const Booking& b, const std::vector<std::string>& days,
                                           long long now);

    std::optional<Booking> booking(long long id);
    std::vector<Booking> of_space(long long space_id);  // requested and approved
    std::vector<Booking> of_account(long long account_id);

private:
    store::Database& db_;
};

}  // namespace dure::community
