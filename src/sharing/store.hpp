#pragma once
// All SQL of help matching (migrations/0100_sharing.sql). Writes take the caller's session so an
// API handler runs a whole step (and its notifications and idempotency answer) in one
// transaction; reads open their own. Free text about a need is encrypted at rest.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sharing/rules.hpp"

namespace soci {
class session;
}
namespace dure::store {
class Database;
}
namespace dure::identity {
class Keyring;
}

namespace dure::sharing {

// One side of a match: a resident's account, or a person record staff entered on their behalf.
struct Side {
    long long account_id = 0, person_id = 0;
    bool operator==(const Side&) const = default;
};

struct Offer {
    long long id = 0, district_id = 0, dong_id = 0;
    Side who;
    std::vector<std::string> subfields;
    Availability when;
    std::string mode = "in_person";
    std::vector<std::string> languages{"ko"};
    std::string note;
    std::string status = "pending", vetted_level = "none", refusal_reason;
    long long vetted_by = 0, vetted_at = 0;
    long long entered_by = 0, consent_at = 0, created_at = 0;
    std::string consent_method = "self";
    long long completed = 0, live = 0;  // completed connections; proposed/accepted/active ones
};

struct Need {
    long long id = 0, district_id = 0, dong_id = 0;
    Side who;
    std::string subfield, window_from, window_to;
    Availability when;
    std::vector<std::string> languages{"ko"};
    std::string urgency = "normal", detail;
    std::string status = "pending", refusal_reason;
    long long vetted_by = 0, vetted_at = 0;
    long long entered_by = 0, consent_at = 0, created_at = 0;
    std::string consent_method = "self";
    long long case_id = 0;  // opened from a case plan: the case and the plan's goal (0-based)
    int case_goal = 0;
};

// Feedback of one side of a completed connection: private to managers (no public rating).
struct Feedback {
    long long id = 0, connection_id = 0, district_id = 0, written_by = 0, at = 0;
    std::string side, outcome, reason, consent_method = "self";
};

// A project (사업) the district runs, with its schedule expanded into shifts.
struct Project {
    long long id = 0, district_id = 0, dong_id = 0;  // dong 0: the whole district
    std::string subfield, title, organization, dtstart, rrule, status = "open";
    long long manager_account_id = 0, created_by = 0, created_at = 0;
    int start_minute = 0, minutes = 0, slots = 0;
    long long shifts = 0, places_left = 0;  // upcoming (from today): counted on read
};

struct Shift {
    long long id = 0, project_id = 0;
    std::string day;
    int start_minute = 0, minutes = 0, capacity = 0, taken = 0;
    bool joined = false;  // by the account asked about
};

enum class JoinResult { joined, full, already };

struct Connection {
    long long id = 0, district_id = 0, dong_id = 0, need_id = 0, offer_id = 0;
    std::string status;
    long long helper_accepted_at = 0, recipient_accepted_at = 0;
    long long proposed_by = 0, proposed_at = 0, started_at = 0, ended_at = 0;
    std::string cancel_reason, helper_feedback, recipient_feedback;
    Side helper, recipient;
    std::string subfield;
};

class SharingStore {
public:
    SharingStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}
    store::Database& db() { return db_; }

    long long insert_offer(soci::session& s, const Offer& o);
    long long insert_need(soci::session& s, const Need& n);
    std::optional<Offer> offer(soci::session& s, long long id);
    std::optional<Need> need(soci::session& s, long long id);
    std::optional<Offer> offer(long long id);
    std::optional<Need> need(long long id);
    // dong_id 0: the whole district; status "" any.
    std::vector<Offer> offers(long long district_id, const std::string& status, long long dong_id = 0);
    std::vector<Need> needs(long long district_id, const std::string& status, long long dong_id = 0);
    std::vector<Offer> offers_of(long long account_id);
    std::vector<Need> needs_of(long long account_id);

    // Conditional updates (only from `pending`); false when the record was no longer pending.
    bool vet_offer(soci::session& s, long long id, bool approve, const std::string& level, long long by, long long at,
                   const std::string& reason);
    bool vet_need(soci::session& s, long long id, bool approve, long long by, long long at, const std::string& reason);

    // Throws the database's unique violation when the need already has a live connection.
    long long insert_connection(soci::session& s, const Need& n, const Offer& o, long long by, long long at);
    std::optional<Connection> connection(soci::session& s, long long id);
    std::optional<Connection> connection(long long id);
    std::vector<Connection> connections_of(long long account_id);
    std::vector<Connection> connections(long long district_id, long long dong_id = 0);
    // One step of a connection: status `to` (and `time_col` = value, `text_col` = text when named)
    // only when it is in one of `from` (comma list of statuses); false otherwise.
    bool step(soci::session& s, long long id, const std::string& from, const std::string& to, const std::string& time_col,
              long long value, const std::string& text_col = "", const std::string& text = "");
    void set_need_status(soci::session& s, long long need_id, const std::string& status);

    // The owner's edit: rewrites the editable fields (sub-fields, dong, availability, mode,
    // languages, note / sub-field, dong, window, hours, languages, urgency, detail). `revet` sends
    // it back to pending with the vetting cleared. Only while pending, approved/open or refused
    // and with no live connection (one conditional UPDATE); false otherwise.
    bool update_offer(soci::session& s, const Offer& o, bool revet, long long at);
    bool update_need(soci::session& s, const Need& n, bool revet, long long at);
    // Withdrawal by the owner (an offer becomes withdrawn, a need closed), under the same
    // conditions; false otherwise.
    bool withdraw_offer(soci::session& s, long long id, long long at);
    bool withdraw_need(soci::session& s, long long id, long long at);

    // Projects: the project and one shift per day of `days`, in the caller's transaction.
    long long insert_project(soci::session& s, const Project& p, const std::vector<std::string>& days);
    // Open projects of the district (with upcoming shifts counted from `today`).
    std::vector<Project> projects(long long district_id, const std::string& today);
    std::optional<Project> project(long long id, const std::string& today);
    // The project's shifts from `today` on; `joined` for `account_id`.
    std::vector<Shift> shifts(long long project_id, const std::string& today, long long account_id);
    // The shift and its project's district, dong and sub-field.
    std::optional<Shift> shift(soci::session& s, long long id, Project* project);
    // Joining takes a place with a conditional UPDATE (taken < capacity) and writes the
    // volunteer's row in the same transaction; `already` when they are in it.
    JoinResult join_shift(soci::session& s, long long shift_id, long long account_id, long long at);
    // false when they were not in it.
    bool leave_shift(soci::session& s, long long shift_id, long long account_id, long long at);

    // Throws the database's unique violation when that side already gave feedback.
    void insert_feedback(soci::session& s, const Feedback& f);
    std::vector<Feedback> feedback(long long connection_id);

    // Needs open since before `cutoff` (vetted then) with no live connection and not yet
    // escalated: for each, `tell(session, need)` runs and the need is marked escalated at `now`,
    // in one transaction per need. Returns how many were escalated.
    int escalate(long long now, long long cutoff, const std::function<void(soci::session&, const Need&)>& tell);

    // The ledger: appends after the district's last row (hash-chained); returns the row.
    LedgerRow append(soci::session& s, long long district_id, long long dong_id, LedgerRow r);
    std::vector<LedgerRow> ledger(soci::session& s, long long district_id);
    std::vector<LedgerRow> ledger(long long district_id);
    std::optional<LedgerRow> ledger_row(soci::session& s, long long id, long long* district_id, long long* dong_id);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

std::string join(const std::vector<std::string>& v);
std::vector<std::string> split(const std::string& s);

}  // namespace dure::sharing
