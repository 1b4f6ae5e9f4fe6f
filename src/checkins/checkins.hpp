#pragma once
// Check-ins that prevent solitary deaths. A caregiver (or care-team member) is assigned to a
// resident at risk with a cadence (daily, twice weekly, weekly). A check-in that is missed (no
// "fine" within the cadence plus a grace period), not reached, or raises a concern opens an
// escalation; a passive signal (smart plug or door sensor: no activity for N hours) does too. An
// open escalation climbs a ladder on timers — caregiver retry → care-team call → official visit →
// emergency response — each step recorded, until a "fine" check-in closes it.
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace dure::checkins {

// Cadences, in hours between check-ins.
std::optional<long long> cadence_hours(const std::string& code);  // daily 24, twice_weekly 84, weekly 168
inline constexpr long long kGraceSeconds = 12 * 3600;              // a check-in may be half a day late
inline constexpr long long kSignalHours = 12;                      // passive: no activity this long opens one

// The ladder: step number → name and how long after the previous step the next one starts.
struct Step {
    int number;
    const char* code;
    const char* label_ko;
    long long wait_seconds;  // until the next step (0 for the last)
};
const std::vector<Step>& ladder();

struct Assignment {
    long long id = 0, district_id = 0, dong_id = 0, person_id = 0, caregiver_account_id = 0, cadence_hours = 0;
    long long created_at = 0, last_ok_at = 0;
    bool active = true;
};

struct Checkin {
    long long id = 0, assignment_id = 0, at = 0, by_account = 0;
    std::string result, note, source;
};

struct Escalation {
    long long id = 0, assignment_id = 0, opened_at = 0, step = 0, next_at = 0, closed_at = 0;
    std::string reason, closed_reason;
    struct Taken {
        long long step, at;
        std::string note;
    };
    std::vector<Taken> steps;
};

struct TickStats {
    int opened = 0, advanced = 0;
};

class CheckinStore {
public:
    CheckinStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // Who must act is told at every step, in the same transaction as the step: an inbox message
    // (알림함) always, and an SMS / e-mail through the outbox when that channel is configured.
    // No resident's name or address leaves in a message: the link leads to the page that shows
    // them (and logs the read).
    void set_notifications(std::string public_url, bool email, bool sms) {
        public_url_ = std::move(public_url);
        email_ = email;
        sms_ = sms;
    }

    Assignment assign(long long district_id, long long dong_id, long long person_id, long long caregiver, long long cadence,
                      const std::string& by, long long now);
    std::optional<Assignment> assignment(long long id);
    std::vector<Assignment> for_caregiver(long long account_id);
    std::vector<Assignment> for_dong(long long district_id, long long dong_id);  // dong 0: the whole district

    // Records a check-in and moves escalations: fine closes the open one; not_reached or concern
    // opens one (concern starts at the care-team call). Returns the open escalation, if any.
    std::optional<Escalation> record(const Assignment& a, const std::string& result, const std::string& note,
                                     long long by_account, const std::string& source, long long now);
    std::vector<Checkin> checkins(long long assignment_id, int limit = 20);
    // Rewrites notes stored before they were bound to their assignment (once, at start).
    long long bind_legacy_notes();

    std::optional<Escalation> open_escalation(long long assignment_id);
    std::vector<Escalation> open_escalations(long long district_id, long long dong_id);

    // Opens escalations for missed check-ins and climbs the ladder of the due ones.
    TickStats tick(long long now);

    // Replay guard of the signed passive-signal webhook: records `signature` as seen and returns
    // true, or returns false when it was seen before (a replay). Kept in the database so every
    // process sees it; `forget_signal` undoes a claim whose request then failed. Seen signatures
    // older than the replay window are purged by the retention job (signal_nonces).
    bool claim_signal(const std::string& signature, long long now);
    void forget_signal(const std::string& signature);

private:
    // Opens an escalation; nullopt when one is open already (the database allows one).
    std::optional<Escalation> open(soci::session& s, long long assignment_id, const std::string& reason, int step,
                                   long long now);
    std::optional<Escalation> load_open(soci::session& s, long long assignment_id);
    // Tells the people of `step` (see docs/checkins.md) about escalation `escalation_id`; `why` is
    // the Korean reason. `closed` tells them it is over.
    void tell(soci::session& s, long long assignment_id, int step, const std::string& why, long long next_at,
              bool closed, long long now);
    store::Database& db_;
    const identity::Keyring& keys_;
    std::string public_url_;
    bool email_ = false, sms_ = false;
};

}  // namespace dure::checkins
