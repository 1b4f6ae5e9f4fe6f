#pragma once
// Residents' rights under PIPA arts. 35 (열람), 36 (정정·삭제) and 37 (처리정지): requests with
// their 10-day deadline (enforcement decree arts. 41④, 43③, 44②), an official's decision with
// a written reason told to the resident in 알림함, the link an official makes between a verified
// resident and a registered person, and self-service account deletion. docs/privacy.md
// "Residents' rights".
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "store/database.hpp"

namespace dure::privacy {

struct DataRequest {
    long long id = 0, district_id = 0, account_id = 0;
    std::string kind;    // access, correction, deletion, suspension
    std::string record;  // a kind of record of data/privacy/retention.json, or "other"
    std::string details;
    std::string status;  // received, granted, partly_granted, refused
    long long received_at = 0, due_at = 0, decided_at = 0, decided_by = 0, person_id = 0;
    std::string reason;  // the official's written reason
};

// The corrected fields of a registered person a granted 정정 names (empty: unchanged). The
// resident registration number is never corrected here (docs/privacy.md "Correcting and
// deleting a registered person record").
struct PersonCorrection {
    std::string name, phone, birth_date, address;  // phone normalized, birth_date YYYY-MM-DD
    bool empty() const { return name.empty() && phone.empty() && birth_date.empty() && address.empty(); }
    std::string fields() const;  // "name,phone" … the fields it changes
};

// The end (KST, 23:59:59) of the 10th day after the day of receipt, as Unix seconds; and that
// day as YYYY-MM-DD. The day of receipt is not counted (Civil Act art. 157).
long long due_at(long long received_at);
std::string kst_date(long long t);

// One row of the access log about a person linked to the resident.
struct AccessRead {
    long long at = 0, actor_account_id = 0;
    std::string action, fields, reason;
    std::string subject_kind = "person";  // person, household or case
};

class PrivacyStore {
public:
    PrivacyStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    DataRequest file(long long district_id, long long account_id, const std::string& kind, const std::string& record,
                 const std::string& details, long long now);
    std::vector<DataRequest> for_account(long long account_id);
    // Open requests first, by deadline; `open_only`: status received.
    std::vector<DataRequest> queue(long long district_id, bool open_only);
    std::optional<DataRequest> get(long long id);
    // Records the decision once (throws conflict if already decided), links `person_id` to the
    // account when given (a person of the same district, else validation), and tells the
    // resident in 알림함, all in one transaction. A granted (or partly granted) correction or
    // deletion of `person_record` is carried out in the same transaction on `person_id`, which
    // must already be linked to the requester: a correction writes `correction` (re-encrypted,
    // the phone's blind index with it); a deletion erases every personal field (the row stays
    // as "(삭제됨)", the access log points at it) unless an active check-in assignment needs the
    // record (conflict, naming it).
    // `household_id` (granted access requests only) links a reported household of the district to
    // the account, so the resident sees who read it and its cases (the officer decides; never
    // derived from a phone number, see migrations/0020).
    DataRequest decide(long long id, const std::string& decision, const std::string& reason, long long person_id,
                   long long by, long long now, const PersonCorrection& correction = {}, long long household_id = 0);

    std::vector<long long> linked_persons(long long account_id);
    std::vector<long long> linked_households(long long account_id);
    std::vector<AccessRead> reads_of_persons(const std::vector<long long>& person_ids, int limit = 200);
    // Staff reads of the households and of every case opened for them, newest first.
    std::vector<AccessRead> reads_of_households(const std::vector<long long>& household_ids, int limit = 200);

    // The password hash of an active account ("" when none or deleted).
    std::string password_hash(long long account_id);
    // Deletes the account's personal data in one transaction: the eligibility profile and all
    // derived from it, inbox and outbox, sessions, links to registered persons, role grants (revoked);
    // the account row stays with its name, contact and password removed (deleted_at set).
    void delete_account(long long account_id, long long now);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::privacy
