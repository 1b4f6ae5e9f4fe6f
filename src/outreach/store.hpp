#pragma once
// All SQL of outreach. Personal fields are encrypted and blind-indexed here, so callers see
// plain values and the database only ciphertext. Filing a report recognises the household it is
// about (phone, then address with a compatible name) inside the same transaction that writes it.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "outreach/model.hpp"
#include "store/database.hpp"

namespace dure::outreach {

// What filing one or more reports (one request) produced, and the answer given to it. With an
// idempotency key seen before, nothing is written and the first answer comes back (`replayed`).
struct FilingResult {
    std::vector<FiledReport> filed;
    std::string response;
    bool replayed = false;
};

// The keyed-hash context of the institutions' household keys: indicator files (screening) and the
// key an official links to a reported household use the same one, so the two can be matched.
inline constexpr const char* kInstitutionKeyContext = "risk_indicators.household_key";

class OutreachStore {
public:
    OutreachStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // Gatekeepers. create throws 409 when the account is registered already.
    long long create_gatekeeper(const Gatekeeper& g, long long by, long long now);
    std::optional<Gatekeeper> gatekeeper(long long id);
    std::optional<Gatekeeper> gatekeeper_for_account(long long account_id);
    // A district's gatekeepers in the given dongs; `all_dongs` lists every one, district-wide ones too.
    Page<Gatekeeper> gatekeepers(long long district_id, const std::vector<long long>& dongs, bool all_dongs,
                                 int offset, int limit);
    void update_gatekeeper(const Gatekeeper& g, long long now);
    ReportCounts gatekeeper_report_counts(long long gatekeeper_id);

    // Files reports in one transaction (all or nothing), merging each into its household.
    // `respond` turns what was filed into the answer stored with the idempotency key.
    // `request_hash` binds the key to the request: the same key with another hash is a 422.
    // A verified report (NewReport::verified or by staff) updates the household it joins; any
    // other only adds its report to the timeline, may bring the deadline forward while the
    // household waits for first contact, and keeps every change it implies as a pending
    // suggestion; about a closed household it opens a new household that follows the old one.
    FilingResult file(const std::vector<NewReport>& reports, const std::string& idempotency_key,
                      long long now,
                      const std::function<std::string(const std::vector<FiledReport>&)>& respond,
                      const std::string& request_hash = "");
    // A household's suggestions (pending only, or all), oldest first, decrypted.
    std::vector<Suggestion> suggestions_of(long long household_id, bool pending_only);
    // Accepts or rejects a pending suggestion of `household_id` in one transaction with its
    // timeline event (suggestion_accepted / suggestion_rejected, detail "field:<field>").
    // 404 when there is no such suggestion there, 409 when it was decided already or the household
    // was merged.
    Household decide_suggestion(long long household_id, long long suggestion_id, bool accept, long long by,
                                long long now);
    // The reports an account filed, newest first, as their reporter may see them.
    Page<OwnReport> own_reports(long long account_id, int offset, int limit);

    // Households. Personal fields are decrypted only with `personal`.
    std::optional<Household> household(long long id, bool personal);
    std::vector<Report> reports_of(long long household_id);
    std::vector<HouseholdEvent> events_of(long long household_id);
    Page<Household> queue(const QueueFilter& f, long long now);
    QueueCounts counts(const QueueFilter& f, long long now);

    // Applies a triage transition (which may throw to refuse it) and records `event`.
    Household transition(long long id, const std::function<TriageState(const TriageState&)>& change,
                         HouseholdEvent event, long long now);
    Household move(long long id, long long dong_id, long long by, long long now);
    // Records the institutions' household key of a household (kept only as its blind index) and
    // the event; throws 409 when the household is merged into another.
    void link_household_key(long long id, const std::string& key, HouseholdEvent event, long long now);
    // Folds household `from` into `into`: its reports, timeline and keys move over.
    Household merge(long long into, long long from, long long by, long long now);

private:
    std::string enc(const std::string& v, const char* column) const;
    std::string dec(const std::string& v, const char* column) const;

    store::Database& db_;
    const identity::Keyring& keys_;
};

// The blind-index contexts shared by reports and households.
inline constexpr const char* kAddressIndex = "outreach.address";
inline constexpr const char* kPhoneIndex = "outreach.phone";
inline constexpr const char* kNameIndex = "outreach.name";

// A receipt number such as "250312-K7QD3MX": the Korean date of `now` and seven random letters
// and digits, none of them easily confused (no 0/O, 1/I).
std::string new_receipt_no(long long now);

}  // namespace dure::outreach
