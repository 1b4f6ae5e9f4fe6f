#pragma once
// The pure rules of help matching (no database, no HTTP): availability overlap, ranked
// suggestions of offers for a need with a reason each, the exposure rule that keeps the
// longest-waiting needs from being starved by popular ones, and the hours ledger's checks
// (daily cap, hash chain, anomaly flags). docs/sharing.md.
#include <string>
#include <vector>

namespace dure::sharing {

// A weekly window: bit 0 Monday … bit 6 Sunday; hours [from, to).
struct Availability {
    int days = 0;
    int hour_from = 0, hour_to = 0;
};
// Hours per week both windows share.
int overlap_hours(const Availability& a, const Availability& b);

struct NeedView {
    long long id = 0;
    long long dong_id = 0;
    std::string subfield;
    Availability when;
    std::vector<std::string> languages;
    long long created_at = 0;
    long long recipient_account = 0, recipient_person = 0;
};

struct OfferView {
    long long id = 0;
    long long dong_id = 0;
    std::vector<std::string> subfields;
    std::string mode;  // in_person, remote, in_kind
    Availability when;
    std::vector<std::string> languages;
    int vetted_level = 0;      // sharing::Vetting as int
    int live_connections = 0;  // current load: proposed, accepted or active
    int completed = 0;
    long long helper_account = 0, helper_person = 0;
};

// One reason a suggestion scores what it does (code for machines, Korean and English for people).
struct Reason {
    std::string code, ko, en;
    double points = 0;
};

struct Suggestion {
    long long offer_id = 0;
    double score = 0;
    std::vector<Reason> reasons;
};

// Ranks the offers that may serve `need` (hard filters: the sub-field, a vetting level at least
// `required_level`, not the recipient themselves, overlapping hours unless the offer is in kind),
// best first, ties by lower offer id. Never connects anyone: a manager decides.
std::vector<Suggestion> suggest(const NeedView& need, int required_level, const std::vector<OfferView>& offers,
                                std::size_t limit = 5);

// The exposure rule: needs are served longest-waiting first, and an offer already at the top of
// an older need's list drops to the end of a younger need's list (reason "exposure"), so one
// popular helper is not shown to every need while the oldest waits. `ranked[i]` are the
// suggestions of `needs[i]`; returns them re-ordered, index for index.
std::vector<std::vector<Suggestion>> fair_exposure(const std::vector<NeedView>& needs,
                                                   std::vector<std::vector<Suggestion>> ranked);

// ---- hours ledger ----

struct LedgerRow {
    long long id = 0;
    std::string kind;  // entry, confirm, reverse
    long long ref_id = 0;
    long long connection_id = 0, helper_offer_id = 0;
    std::string day;  // YYYY-MM-DD
    int start_minute = 0, minutes = 0;
    std::string reason;
    long long actor = 0, at = 0;
    std::string prev_hash, hash;
};

inline constexpr const char* kGenesis = "genesis";
// SHA-256 (hex) over the row's content and prev_hash.
std::string row_hash(const LedgerRow& r);
// The id of the first row whose prev_hash or hash does not follow, or 0 when the chain holds.
long long verify_chain(const std::vector<LedgerRow>& rows_in_order);

// Minutes of the helper's entries on `day` that still count (not reversed).
int counted_minutes(const std::vector<LedgerRow>& rows, long long helper_offer_id, const std::string& day);

struct Anomaly {
    std::string code;  // over_daily_cap, overlapping, bulk_entries, late_entry
    long long entry_id = 0;
    std::string detail;
};
// Flags for a reviewer (never a decision): more than `daily_max_minutes` on a day for one
// helper, two entries of one helper that overlap in time, more than `bulk` entries recorded by
// one account within an hour, entries recorded more than `window_days` after the day.
std::vector<Anomaly> anomalies(const std::vector<LedgerRow>& rows, int daily_max_minutes, int window_days,
                               int bulk = 20);

// Days since 1970-01-01 of a YYYY-MM-DD date, or -1 when not a valid date.
long long day_number(const std::string& ymd);

}  // namespace dure::sharing
