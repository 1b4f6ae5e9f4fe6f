#pragma once
// Community events (행사): capacity, a waitlist in arrival order, time-limited offers of freed
// places, cancellation with everyone told (docs/community.md). Every multi-step write is one
// transaction; the places taken are a counter the database checks (taken <= capacity), taken by
// a conditional UPDATE, so no concurrency over-allocates.
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace soci {
class session;
}
namespace dure::identity {
class Keyring;
}

namespace dure::community {

struct Event {
    long long id = 0, district_id = 0, dong_id = 0, organization_id = 0;
    std::string title, summary, mode = "offline", place, eligibility;
    long long starts_at = 0, ends_at = 0, closes_at = 0, capacity = 0;
    bool waitlist = true;
    long long offer_hours = 48;
    std::string allocation = "first_come";  // or "draw": applications, then a public draw
    std::string status = "open";            // open, cancelled
    long long taken = 0, created_by = 0, created_at = 0;
    long long waitlisted = 0;  // filled by reads
    std::string meeting_link;  // online/hybrid: revealed to confirmed participants from kLinkLeadSeconds before
};

// How long before the start confirmed participants see the meeting link.
inline constexpr long long kLinkLeadSeconds = 3600;

// The personal details the registration form asks of a confirmed participant.
struct Details {
    std::string name, phone;
    bool empty() const { return name.empty() && phone.empty(); }
};

struct Registration {
    long long id = 0, event_id = 0, account_id = 0, position = 0, created_at = 0, offer_expires_at = 0;
    std::string status;
    std::optional<Details> details;  // only confirmed ones keep them
    std::string attendance;          // "", attended, no_show (marked by staff at the event)
    long long attendance_at = 0;
};

// What the offer-expiry job did.
struct OfferTick {
    int lapsed = 0, offered = 0;
};

class EventStore {
public:
    EventStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    store::Database& db() { return db_; }

    long long create(const Event& e, long long now);
    std::optional<Event> event(long long id);
    std::vector<Event> list(long long district_id);

    // Registers `account_id` in the caller's transaction: confirmed while places remain, else
    // waitlisted (or refused when the event keeps no waitlist); "applied" for a draw event.
    // Throws Error (422 naming the field) when closed, cancelled, a second registration, or full
    // without a waitlist. `details` are kept only when the place is confirmed.
    Registration register_in(soci::session& s, long long event_id, long long account_id, const Details& details,
                             long long now);
    // Cancels a registration (by its person or the organizer): a held place goes to the next on
    // the waitlist as an offer, or is freed. Everyone concerned is told.
    Registration cancel_in(soci::session& s, long long registration_id, long long now);
    // Accepts the offer of a freed place with the form's details (asked only now).
    Registration accept_in(soci::session& s, long long registration_id, const Details& details, long long now);
    // Cancels the event: every registrant is told.
    int cancel_event_in(soci::session& s, long long event_id, const std::string& reason, long long now);
    // Staff mark a confirmed participant attended or no-show at the event (rules.hpp
    // check_attendance); a later mark corrects an earlier one. Throws Error naming the field.
    Registration mark_attendance(long long registration_id, const std::string& mark, long long by, long long now);
    // Offers past their time lapse; the place goes to the next on the waitlist.
    OfferTick expire_offers(long long now);

    std::optional<Registration> registration(long long id);
    std::vector<Registration> of_account(long long account_id);
    // The event's registrations by status order (confirmed first), waitlist by position.
    std::vector<Registration> of_event(long long event_id);

private:
    // Gives the place held by a registration that leaves to the next waitlisted person (an
    // offer) or frees it; the event row must be locked by the caller's transaction.
    void pass_place_on(soci::session& s, const Event& e, long long now);
    void tell(soci::session& s, long long account_id, const std::string& title, const std::string& body, long long now);
    store::Database& db_;
    const identity::Keyring& keys_;
};

// Loads an event in a session (for use inside transactions).
std::optional<Event> load_event(soci::session& s, long long id);

}  // namespace dure::community
