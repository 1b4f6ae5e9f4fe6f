#include "community/events.hpp"
#include "common/dates.hpp"

#include <soci/soci.h>

#include <boost/json.hpp>
#include <ctime>

#include "common/error.hpp"
#include "identity/crypto.hpp"
#include "notify/outbox.hpp"
#include "community/rules.hpp"

namespace dure::community {

using soci::into;
using soci::use;

namespace {

constexpr const char* kDetailsCtx = "community_registrations.details";
constexpr const char* kLinkCtx = "community_events.meeting_link";
constexpr const char* kEventCols =
    "id, district_id, dong_id, organization_id, title, summary, mode, place, eligibility, starts_at, ends_at, "
    "closes_at, capacity, waitlist, offer_hours, allocation, status, taken, created_by, created_at, meeting_link_enc";

// "2026-12-09 14:00" in Korean time (UTC+9, no daylight saving).
std::optional<Event> fetch_event(soci::session& s, const identity::Keyring* keys, const std::string& where, long long p) {
    Event e;
    long long wl = 0;
    std::string link;
    s << std::string("SELECT ") + kEventCols + " FROM community_events WHERE " + where, into(e.id), into(e.district_id),
        into(e.dong_id), into(e.organization_id), into(e.title), into(e.summary), into(e.mode), into(e.place),
        into(e.eligibility), into(e.starts_at), into(e.ends_at), into(e.closes_at), into(e.capacity), into(wl),
        into(e.offer_hours), into(e.allocation), into(e.status), into(e.taken), into(e.created_by), into(e.created_at),
        into(link), use(p);
    if (!s.got_data()) return std::nullopt;
    e.waitlist = wl != 0;
    if (keys && !link.empty()) e.meeting_link = keys->decrypt(link, kLinkCtx);
    s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND status = 'waitlisted'", into(e.waitlisted),
        use(e.id);
    return e;
}

std::string seal(const identity::Keyring& keys, const Details& d) {
    if (d.empty()) return "";
    return keys.encrypt(boost::json::serialize(boost::json::object{{"name", d.name}, {"phone", d.phone}}), kDetailsCtx);
}

std::optional<Details> open_details(const identity::Keyring& keys, const std::string& enc) {
    if (enc.empty()) return std::nullopt;
    auto v = boost::json::parse(keys.decrypt(enc, kDetailsCtx)).as_object();
    return Details{std::string(v.at("name").as_string()), std::string(v.at("phone").as_string())};
}

Registration fetch_registration(soci::session& s, const identity::Keyring& keys, long long id) {
    Registration r;
    std::string enc;
    s << "SELECT id, event_id, account_id, status, position, details_enc, created_at, offer_expires_at, attendance, "
         "attendance_at FROM community_registrations WHERE id = :i",
        into(r.id), into(r.event_id), into(r.account_id), into(r.status), into(r.position), into(enc),
        into(r.created_at), into(r.offer_expires_at), into(r.attendance), into(r.attendance_at), use(id);
    if (!s.got_data()) throw Error(ErrorKind::not_found, "no such registration");
    r.details = open_details(keys, enc);
    return r;
}

std::vector<Registration> fetch_registrations(soci::session& s, const identity::Keyring& keys, const std::string& where,
                                              long long p) {
    std::vector<Registration> out;
    Registration r;
    std::string enc;
    soci::statement st = (s.prepare << "SELECT id, event_id, account_id, status, position, details_enc, created_at, "
                                       "offer_expires_at, attendance, attendance_at FROM community_registrations WHERE " +
                                           where,
                          into(r.id), into(r.event_id), into(r.account_id), into(r.status), into(r.position), into(enc),
                          into(r.created_at), into(r.offer_expires_at), into(r.attendance), into(r.attendance_at),
                          use(p));
    st.execute();
    while (st.fetch()) {
        r.details = open_details(keys, enc);
        out.push_back(r);
    }
    return out;
}

// Takes the event row's write lock for the rest of the transaction (PostgreSQL row lock; SQLite
// has one writer), so registrations, cancellations and offers on one event happen one at a time.
void lock_event(soci::session& s, long long event_id, long long now) {
    s << "UPDATE community_events SET updated_at = :n WHERE id = :e", use(now), use(event_id);
}

}  // namespace

std::optional<Event> load_event(soci::session& s, long long id) { return fetch_event(s, nullptr, "id = :i", id); }

long long EventStore::create(const Event& in, long long now) {
    long long id = 0;
    db_.write([&](soci::session& s) {
        long long wl = in.waitlist ? 1 : 0;
        std::string link = in.meeting_link.empty() ? "" : keys_.encrypt(in.meeting_link, kLinkCtx);
        s << "INSERT INTO community_events (district_id, dong_id, organization_id, title, summary, mode, place, "
             "eligibility, starts_at, ends_at, closes_at, capacity, waitlist, offer_hours, allocation, status, taken, seq, "
             "created_by, created_at, updated_at, meeting_link_enc) VALUES (:d, :g, :o, :t, :s, :m, :p, :el, :sa, :ea, :ca, "
             ":cap, :w, :oh, :al, 'open', 0, 0, :by, :now, :now2, :lk) RETURNING id",
            use(in.district_id), use(in.dong_id), use(in.organization_id), use(in.title), use(in.summary), use(in.mode),
            use(in.place), use(in.eligibility), use(in.starts_at), use(in.ends_at), use(in.closes_at), use(in.capacity),
            use(wl), use(in.offer_hours), use(in.allocation), use(in.created_by), use(now), use(now), use(link), into(id);
    });
    return id;
}

std::optional<Event> EventStore::event(long long id) {
    std::optional<Event> out;
    db_.read([&](soci::session& s) { out = fetch_event(s, &keys_, "id = :i", id); });
    return out;
}

std::vector<Event> EventStore::list(long long district_id) {
    std::vector<long long> ids;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT id FROM community_events WHERE district_id = :d ORDER BY starts_at, id",
                              into(id), use(district_id));
        st.execute();
        while (st.fetch()) ids.push_back(id);
    });
    std::vector<Event> out;
    db_.read([&](soci::session& s) {
        for (auto id : ids)
            if (auto e = load_event(s, id)) out.push_back(*e);
    });
    return out;
}

void EventStore::tell(soci::session& s, long long account_id, const std::string& title, const std::string& body,
                      long long now) {
    // The inbox (알림함); SMS and e-mail go through the outbox only for messages that need them.
    notify::enqueue(s, keys_, account_id, "community_event", title, body, {}, now);
}

Registration EventStore::register_in(soci::session& s, long long event_id, long long account_id, const Details& details,
                                     long long now) {
    // The row lock orders every registration of this event: `seq` is the arrival order, and the
    // checks below see every registration committed before this one (a refusal rolls it back).
    s << "UPDATE community_events SET seq = seq + 1, updated_at = :n WHERE id = :e", use(now), use(event_id);
    auto e = load_event(s, event_id);
    if (!e) throw Error(ErrorKind::not_found, "no such event");
    if (e->status != "open")
        throw Error(ErrorKind::validation, "the event was cancelled", {{"event_id", "event_cancelled", "the event was cancelled"}});
    if (now >= e->closes_at)
        throw Error(ErrorKind::validation, "registration has closed",
                    {{"closes_at", "registration_closed", "registration closed at " + kst(e->closes_at) + " KST"}});
    long long seq = 0, existing = 0;
    s << "SELECT seq FROM community_events WHERE id = :e", into(seq), use(event_id);
    s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND account_id = :a", into(existing),
        use(event_id), use(account_id);
    if (existing)
        throw Error(ErrorKind::validation, "already registered for this event",
                    {{"account_id", "already_registered", "this person is already registered for this event"}});
    std::string status;
    if (e->allocation == "draw") {
        status = "applied";
    } else {
        soci::statement st = (s.prepare << "UPDATE community_events SET taken = taken + 1 WHERE id = :e AND taken < capacity",
                              use(event_id));
        st.execute(true);
        if (st.get_affected_rows() == 1) status = "confirmed";
        else if (e->waitlist) status = "waitlisted";
        else
            throw Error(ErrorKind::validation, "the event is full and keeps no waitlist",
                        {{"capacity", "full_no_waitlist", "all " + std::to_string(e->capacity) + " places are taken"}});
    }
    std::string enc = status == "confirmed" ? seal(keys_, details) : "";
    long long id = 0;
    s << "INSERT INTO community_registrations (event_id, account_id, status, position, details_enc, created_at, "
         "updated_at) VALUES (:e, :a, :s, :p, :d, :n, :n2) RETURNING id",
        use(event_id), use(account_id), use(status), use(seq), use(enc), use(now), use(now), into(id);
    return fetch_registration(s, keys_, id);
}

void EventStore::pass_place_on(soci::session& s, const Event& e, long long now) {
    long long next = 0, who = 0;
    s << "SELECT id, account_id FROM community_registrations WHERE event_id = :e AND status = 'waitlisted' ORDER BY "
         "position LIMIT 1",
        into(next), into(who), use(e.id);
    if (!s.got_data() || next == 0 || e.status != "open" || now >= e.starts_at) {
        s << "UPDATE community_events SET taken = taken - 1 WHERE id = :e", use(e.id);
        return;
    }
    long long until = std::min(now + e.offer_hours * 3600, e.starts_at);
    s << "UPDATE community_registrations SET status = 'offered', offered_at = :n, offer_expires_at = :u, updated_at = :n2 "
         "WHERE id = :i",
        use(now), use(until), use(now), use(next);
    tell(s, who, "[두레] 자리가 났습니다: " + e.title,
         "대기하시던 행사 '" + e.title + "'에 자리가 났습니다. " + kst(until) +
             "(한국 시간)까지 신청 정보를 적어 참가를 확정해 주세요. 그때까지 확정하지 않으면 다음 대기자에게 넘어갑니다.\n\n"
             "A place is free for you at '" + e.title + "': confirm it before " + kst(until) + " KST.",
         now);
}

Registration EventStore::cancel_in(soci::session& s, long long registration_id, long long now) {
    auto r = fetch_registration(s, keys_, registration_id);
    lock_event(s, r.event_id, now);
    r = fetch_registration(s, keys_, registration_id);  // as it is under the lock
    auto e = load_event(s, r.event_id);
    if (r.status != "confirmed" && r.status != "offered" && r.status != "waitlisted" && r.status != "applied")
        throw Error(ErrorKind::conflict, "this registration is not active (" + r.status + ")");
    bool held = r.status == "confirmed" || r.status == "offered";
    // Personal details go with the registration.
    s << "UPDATE community_registrations SET status = 'cancelled', details_enc = '', updated_at = :n WHERE id = :i",
        use(now), use(registration_id);
    if (held) pass_place_on(s, *e, now);
    tell(s, r.account_id, "[두레] 신청이 취소되었습니다: " + e->title,
         "행사 '" + e->title + "' 신청이 취소되었습니다.\n\nYour registration for '" + e->title + "' is cancelled.", now);
    return fetch_registration(s, keys_, registration_id);
}

Registration EventStore::accept_in(soci::session& s, long long registration_id, const Details& details, long long now) {
    auto r = fetch_registration(s, keys_, registration_id);
    lock_event(s, r.event_id, now);
    r = fetch_registration(s, keys_, registration_id);
    if (r.status != "offered")
        throw Error(ErrorKind::validation, "no open offer",
                    {{"registration_id", "no_offer", "this registration has no open offer (" + r.status + ")"}});
    if (now >= r.offer_expires_at)
        throw Error(ErrorKind::validation, "the offer has lapsed",
                    {{"registration_id", "offer_lapsed", "the offer ended at " + kst(r.offer_expires_at) + " KST"}});
    std::string enc = seal(keys_, details);
    s << "UPDATE community_registrations SET status = 'confirmed', details_enc = :d, updated_at = :n WHERE id = :i",
        use(enc), use(now), use(registration_id);
    return fetch_registration(s, keys_, registration_id);
}

int EventStore::cancel_event_in(soci::session& s, long long event_id, const std::string& reason, long long now) {
    lock_event(s, event_id, now);
    auto e = load_event(s, event_id);
    if (!e) throw Error(ErrorKind::not_found, "no such event");
    if (e->status != "open") throw Error(ErrorKind::conflict, "the event is already cancelled");
    s << "UPDATE community_events SET status = 'cancelled', taken = 0 WHERE id = :e", use(event_id);
    auto regs = fetch_registrations(s, keys_,
                                    "event_id = :e AND status IN ('confirmed', 'offered', 'waitlisted', 'applied') ORDER BY id",
                                    event_id);
    for (const auto& r : regs)
        tell(s, r.account_id, "[두레] 행사가 취소되었습니다: " + e->title,
             "행사 '" + e->title + "'(" + kst(e->starts_at) + ")가 취소되었습니다. 사유: " + reason +
                 "\n\nThe event '" + e->title + "' is cancelled. Reason: " + reason,
             now);
    s << "UPDATE community_registrations SET status = 'event_cancelled', details_enc = '', updated_at = :n WHERE event_id = "
         ":e AND status IN ('confirmed', 'offered', 'waitlisted', 'applied')",
        use(now), use(event_id);
    return static_cast<int>(regs.size());
}

Registration EventStore::mark_attendance(long long registration_id, const std::string& mark, long long by,
                                          long long now) {
    Registration out;
    db_.write([&](soci::session& s) {
        auto r = fetch_registration(s, keys_, registration_id);
        lock_event(s, r.event_id, now);
        r = fetch_registration(s, keys_, registration_id);
        auto e = load_event(s, r.event_id);
        FieldErrors errors;
        check_attendance(e->status, e->starts_at, r.status, mark, now, errors);
        errors.throw_if_any();
        s << "UPDATE community_registrations SET attendance = :m, attendance_at = :n, attendance_by = :b, updated_at = :n2 "
             "WHERE id = :i",
            use(mark), use(now), use(by), use(now), use(registration_id);
        out = fetch_registration(s, keys_, registration_id);
    });
    return out;
}

OfferTick EventStore::expire_offers(long long now) {
    OfferTick t;
    std::vector<long long> due;
    db_.read([&](soci::session& s) {
        long long id = 0;
        soci::statement st = (s.prepare << "SELECT id FROM community_registrations WHERE status = 'offered' AND "
                                           "offer_expires_at <= :n ORDER BY offer_expires_at, id",
                              into(id), use(now));
        st.execute();
        while (st.fetch()) due.push_back(id);
    });
    for (auto id : due) {
        db_.write([&](soci::session& s) {
            auto r = fetch_registration(s, keys_, id);
            lock_event(s, r.event_id, now);
            r = fetch_registration(s, keys_, id);
            if (r.status != "offered" || r.offer_expires_at > now) return;  // another process took it
            auto e = load_event(s, r.event_id);
            s << "UPDATE community_registrations SET status = 'lapsed', updated_at = :n WHERE id = :i", use(now), use(id);
            tell(s, r.account_id, "[두레] 제안 기간이 지났습니다: " + e->title,
                 "행사 '" + e->title + "' 자리 제안 기간이 지나 다음 대기자에게 넘어갔습니다.\n\nThe offer for '" + e->title +
                     "' has lapsed and passed to the next person.",
                 now);
            ++t.lapsed;
            long long before = 0;
            s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND status = 'offered'", into(before),
                use(r.event_id);
            pass_place_on(s, *e, now);
            long long after = 0;
            s << "SELECT COUNT(*) FROM community_registrations WHERE event_id = :e AND status = 'offered'", into(after),
                use(r.event_id);
            if (after > before) ++t.offered;
        });
    }
    return t;
}

std::optional<Registration> EventStore::registration(long long id) {
    std::optional<Registration> out;
    db_.read([&](soci::session& s) {
        try {
            out = fetch_registration(s, keys_, id);
        } catch (const Error&) {
        }
    });
    return out;
}

std::vector<Registration> EventStore::of_account(long long account_id) {
    std::vector<Registration> out;
    db_.read([&](soci::session& s) { out = fetch_registrations(s, keys_, "account_id = :a ORDER BY id DESC", account_id); });
    return out;
}

std::vector<Registration> EventStore::of_event(long long event_id) {
    std::vector<Registration> out;
    db_.read([&](soci::session& s) { out = fetch_registrations(s, keys_, "event_id = :e ORDER BY position", event_id); });
    return out;
}

}  // namespace dure::community
