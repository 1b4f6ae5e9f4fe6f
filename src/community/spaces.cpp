#include "community/spaces.hpp"

#include <soci/soci.h>

#include <ctime>

#include "common/dates.hpp"

namespace dure::community {

using soci::into;
using soci::use;

namespace {

constexpr const char* kSpaceCols =
    "id, district_id, dong_id, organization_id, name, place, capacity, opens_hour, closes_hour, equipment, "
    "accessibility, fee_note, fee_source";
constexpr const char* kBookingCols =
    "id, space_id, account_id, day, start_hour, end_hour, purpose, attendees, status, decided_by, decision_note, "
    "created_at, series_id";

std::vector<Space> spaces(soci::session& s, const std::string& where, long long p) {
    std::vector<Space> out;
    Space x;
    soci::statement st = (s.prepare << std::string("SELECT ") + kSpaceCols + " FROM community_spaces WHERE " + where,
                          into(x.id), into(x.district_id), into(x.dong_id), into(x.organization_id), into(x.name),
                          into(x.place), into(x.capacity), into(x.opens_hour), into(x.closes_hour), into(x.equipment),
                          into(x.accessibility), into(x.fee_note), into(x.fee_source), use(p));
    st.execute();
    while (st.fetch()) out.push_back(x);
    return out;
}

std::vector<Booking> bookings(soci::session& s, const std::string& where, long long p) {
    std::vector<Booking> out;
    Booking b;
    soci::statement st = (s.prepare << std::string("SELECT ") + kBookingCols + " FROM community_bookings WHERE " + where,
                          into(b.id), into(b.space_id), into(b.account_id), into(b.day), into(b.start_hour),
                          into(b.end_hour), into(b.purpose), into(b.attendees), into(b.status), into(b.decided_by),
                          into(b.decision_note), into(b.created_at), into(b.series_id), use(p));
    st.execute();
    while (st.fetch()) out.push_back(b);
    return out;
}

// "20261209T050000Z" for hour `h` of Seoul day `day` (UTC+9, no daylight saving).
std::string utc_stamp(const std::string& day, long long h) {
    std::tm tm{};
    tm.tm_year = std::stoi(day.substr(0, 4)) - 1900;
    tm.tm_mon = std::stoi(day.substr(5, 2)) - 1;
    tm.tm_mday = std::stoi(day.substr(8, 2));
    std::time_t t = timegm(&tm) + h * 3600 - 9 * 3600;
    std::tm u{};
    gmtime_r(&t, &u);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &u);
    return buf;
}

std::string ics_text(std::string v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == ';' || c == ',') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

void check_booking(const Space& s, const Booking& b, FieldErrors& errors) {
    if (!valid_date(b.day)) errors.add("day", "invalid_date", "a date YYYY-MM-DD");
    if (b.start_hour < 0 || b.start_hour > 23) errors.add("start_hour", "out_of_range", "0 to 23");
    if (b.end_hour <= b.start_hour || b.end_hour > 24)
        errors.add("end_hour", "crosses_midnight", "a booking ends after it starts, on the same day (by 24)");
    else if (b.start_hour < s.opens_hour || b.end_hour > s.closes_hour)
        errors.add(b.start_hour < s.opens_hour ? "start_hour" : "end_hour", "outside_opening_hours",
                   "the space is open " + std::to_string(s.opens_hour) + ":00 to " + std::to_string(s.closes_hour) + ":00");
    if (b.attendees < 1 || b.attendees > s.capacity)
        errors.add("attendees", "over_capacity", "1 to " + std::to_string(s.capacity) + " people");
}

std::string icalendar(const Space& s, const std::vector<Booking>& bs, long long now) {
    std::time_t t = static_cast<std::time_t>(now);
    std::tm u{};
    gmtime_r(&t, &u);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &u);
    std::string o = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//dure//community spaces//KO\r\nCALSCALE:GREGORIAN\r\n"
                    "X-WR-CALNAME:" + ics_text(s.name) + "\r\n";
    for (const auto& b : bs) {
        if (b.status != "requested" && b.status != "approved") continue;
        o += "BEGIN:VEVENT\r\nUID:booking-" + std::to_string(b.id) + "@dure\r\nDTSTAMP:" + stamp + "\r\nDTSTART:" +
             utc_stamp(b.day, b.start_hour) + "\r\nDTEND:" + utc_stamp(b.day, b.end_hour) + "\r\nSUMMARY:" +
             (b.status == "approved" ? "예약됨 (Booked)" : "예약 신청 중 (Requested)") + "\r\nSTATUS:" +
             (b.status == "approved" ? "CONFIRMED" : "TENTATIVE") + "\r\nLOCATION:" + ics_text(s.name + " " + s.place) +
             "\r\nEND:VEVENT\r\n";
    }
    return o + "END:VCALENDAR\r\n";
}

long long SpaceStore::create(const Space& x, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        s << "INSERT INTO community_spaces (district_id, dong_id, organization_id, name, place, capacity, opens_hour, "
             "closes_hour, equipment, accessibility, fee_note, fee_source, created_at) VALUES (:d, :g, :o, :n, :p, :c, :oh, "
             ":ch, :e, :a, :f, :fs, :t) RETURNING id",
            use(x.district_id), use(x.dong_id), use(x.organization_id), use(x.name), use(x.place), use(x.capacity),
            use(x.opens_hour), use(x.closes_hour), use(x.equipment), use(x.accessibility), use(x.fee_note),
            use(x.fee_source), use(now), into(id);
    });
    return id;
}

std::optional<Space> SpaceStore::space(long long id) {
    std::vector<Space> v;
    db_.read([&](soci::session& s) { v = spaces(s, "id = :i", id); });
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Space> SpaceStore::list(long long district_id) {
    std::vector<Space> v;
    db_.read([&](soci::session& s) { v = spaces(s, "district_id = :d ORDER BY id", district_id); });
    return v;
}

Error already_booked() {
    return Error(ErrorKind::conflict, "some of these hours are booked already",
                 {{"start_hour", "already_booked", "the space is booked for some of these hours; see its calendar"}});
}

Booking SpaceStore::request_in(soci::session& s, const Booking& in, long long now) {
    Booking b = in;
    b.status = "requested";
    b.created_at = now;
    s << "INSERT INTO community_bookings (space_id, account_id, day, start_hour, end_hour, purpose, attendees, "
         "status, created_at) VALUES (:s, :a, :d, :sh, :eh, :p, :n, 'requested', :t) RETURNING id",
        use(b.space_id), use(b.account_id), use(b.day), use(b.start_hour), use(b.end_hour), use(b.purpose),
        use(b.attendees), use(now), into(b.id);
    // One row per hour: the primary key (space, day, hour) refuses a second holder.
    for (long long h = b.start_hour; h < b.end_hour; ++h)
        s << "INSERT INTO community_booking_slots (space_id, day, hour, booking_id) VALUES (:s, :d, :h, :b)",
            use(b.space_id), use(b.day), use(h), use(b.id);
    return b;
}

Error series_conflicts(const std::vector<std::string>& days, const std::vector<std::vector<long long>>& taken) {
    std::vector<FieldError> fields;
    for (std::size_t i = 0; i < days.size() && i < taken.size(); ++i) {
        if (taken[i].empty()) continue;
        std::string hours;
        for (auto h : taken[i]) hours += (hours.empty() ? "" : ", ") + std::to_string(h) + ":00";
        fields.push_back({"day", "already_booked", days[i] + ": booked already at " + hours});
    }
    return Error(ErrorKind::conflict,
                 std::to_string(fields.size()) + " of the " + std::to_string(days.size()) +
                     " dates are booked already; nothing was saved",
                 std::move(fields));
}

std::vector<std::vector<long long>> SpaceStore::taken_hours(soci::session& s, long long space_id,
                                                            const std::vector<std::string>& days, long long start_hour,
                                                            long long end_hour) {
    std::vector<std::vector<long long>> out;
    for (const auto& day : days) {
        std::vector<long long> hours;
        long long h = 0;
        soci::statement st = (s.prepare << "SELECT hour FROM community_booking_slots WHERE space_id = :s AND day = :d AND "
                                           "hour >= :a AND hour < :b ORDER BY hour",
                              into(h), use(space_id), use(day), use(start_hour), use(end_hour));
        st.execute();
        while (st.fetch()) hours.push_back(h);
        out.push_back(std::move(hours));
    }
    return out;
}

std::vector<std::vector<long long>> SpaceStore::taken_hours(long long space_id, const std::vector<std::string>& days,
                                                            long long start_hour, long long end_hour) {
    std::vector<std::vector<long long>> out;
    db_.read([&](soci::session& s) { out = taken_hours(s, space_id, days, start_hour, end_hour); });
    return out;
}

std::vector<Booking> SpaceStore::request_series_in(soci::session& s, const Booking& in, const std::vector<std::string>& days,
                                                   long long now) {
    auto taken = taken_hours(s, in.space_id, days, in.start_hour, in.end_hour);
    for (const auto& t : taken)
        if (!t.empty()) throw series_conflicts(days, taken);
    std::vector<Booking> out;
    for (const auto& day : days) {
        Booking b = in;
        b.day = day;
        out.push_back(request_in(s, b, now));
    }
    long long series = out.front().id;
    for (auto& b : out) {
        s << "UPDATE community_bookings SET series_id = :s WHERE id = :i", use(series), use(b.id);
        b.series_id = series;
    }
    return out;
}

Booking SpaceStore::request(const Booking& in, long long now) {
    Booking b;
    try {
        db_.write([&](soci::session& s) { b = request_in(s, in, now); });
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (!store::is_unique_violation(e)) throw;
        throw already_booked();
    }
    return b;
}

Booking SpaceStore::decide(long long id, const std::string& status, long long by, const std::string& note, long long now) {
    Booking out;
    db_.write([&](soci::session& s) {
        auto v = bookings(s, "id = :i", id);
        if (v.empty()) throw Error(ErrorKind::not_found, "no such booking");
        auto b = v.front();
        bool open = b.status == "requested" || b.status == "approved";
        if (!open || (status == "approved" && b.status != "requested") || (status == "rejected" && b.status != "requested"))
            throw Error(ErrorKind::conflict, "the booking is " + b.status);
        s << "UPDATE community_bookings SET status = :st, decided_by = :b, decided_at = :t, decision_note = :n WHERE id = :i",
            use(status), use(by), use(now), use(note), use(id);
        if (status != "approved") s << "DELETE FROM community_booking_slots WHERE booking_id = :i", use(id);
        out = bookings(s, "id = :i", id).front();
    });
    return out;
}

std::optional<Booking> SpaceStore::booking(long long id) {
    std::vector<Booking> v;
    db_.read([&](soci::session& s) { v = bookings(s, "id = :i", id); });
    if (v.empty()) return std::nullopt;
    return v.front();
}

std::vector<Booking> SpaceStore::of_space(long long space_id) {
    std::vector<Booking> v;
    db_.read([&](soci::session& s) {
        v = bookings(s, "space_id = :s AND status IN ('requested', 'approved') ORDER BY day, start_hour", space_id);
    });
    return v;
}

std::vector<Booking> SpaceStore::of_account(long long account_id) {
    std::vector<Booking> v;
    db_.read([&](soci::session& s) { v = bookings(s, "account_id = :a ORDER BY id DESC", account_id); });
    return v;
}

}  // namespace dure::community
