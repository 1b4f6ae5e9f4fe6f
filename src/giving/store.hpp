#pragma once
// All SQL of the giving module (migrations/0110_giving.sql). Writes that the API makes idempotent
// take the session of store::run_idempotent's transaction; the rest open their own.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "giving/rules.hpp"

namespace soci {
class session;
}
namespace dure::store {
class Database;
}
namespace dure::identity {
class Keyring;
}

namespace dure::giving {

struct Campaign {
    long long id = 0, district_id = 0;
    std::string code, title_ko, title_en;
    long long target_krw = 0;
    std::string starts_on, ends_on;
    std::string collector_name, collector_registration, collector_legal_basis, collector_account_holder, collector_url;
    std::string sealed_through;
    long long ledger_seq = 0;
    std::string ledger_head;
};

struct Designation {
    long long id = 0, campaign_id = 0;
    std::string code, kind, label_ko, label_en;
    long long dong_id = 0;
};

struct NewCampaign {
    Campaign campaign;
    std::vector<std::pair<long long, long long>> dong_targets;  // (dong_id, target KRW)
    std::vector<Designation> designations;
};

struct NewGift {
    long long campaign_id = 0, designation_id = 0, dong_id = 0;
    std::string channel = "counter", form = "cash";
    long long amount_krw = 0;
    std::string items, valuation_basis;
    std::string donor_kind = "anonymous", display = "anonymous";
    std::string donor_name, donor_contact;  // contact: normalized phone digits or e-mail
    bool receipt_wanted = false;
    std::string receipt_id, receipt_address;  // only with receipt_wanted (and consent)
    std::string given_on;
    long long entered_by = 0;
};

struct Gift {
    long long id = 0, campaign_id = 0, designation_id = 0, dong_id = 0;
    std::string designation_code, channel, form;
    long long amount_krw = 0;
    std::string items, donor_kind, display, donor_name, given_on;
    bool receipt_wanted = false;
    long long created_at = 0;
    bool reversed = false;
    std::string reversal_reason;
};

struct NewDistribution {
    long long campaign_id = 0, designation_id = 0;
    std::string form = "cash";
    long long amount_krw = 0;
    std::string purpose, program, recipient_kind;
    std::string household_ref;  // recipient_kind = household: the outreach/case reference
    long long households = 0;
    std::string approval_ref, given_on;
    long long approved_by = 0;
};

struct Distribution {
    long long id = 0, designation_id = 0;
    std::string designation_code, form;
    long long amount_krw = 0;
    std::string purpose, program, recipient_kind, household_ref;  // household_ref only when asked
    long long households = 0;
    std::string approval_ref, given_on;
    long long approved_by = 0, received_at = 0;
};

struct Fund {
    long long designation_id = 0;
    std::string designation_code, form;
    long long balance_krw = 0;
};

struct Totals {
    long long gifts_krw = 0, gifts_count = 0, reversed_krw = 0, distributed_krw = 0, balance_krw = 0;
    long long raised_krw() const { return gifts_krw - reversed_krw; }
    std::vector<std::pair<std::string, long long>> by_channel, by_form;  // net of reversals
    std::vector<std::pair<long long, long long>> by_dong;                // (dong_id, net KRW)
};

// What an imported statement matched, added and left over (docs/giving.md, reconciliation).
struct StatementReport {
    long long statement_id = 0, rows = 0;
    long long matched = 0, matched_krw = 0;
    long long qr_added = 0, qr_added_krw = 0;
    long long unmatched_gifts = 0, unmatched_krw = 0;  // dure's cash gifts no statement has matched yet
    std::vector<long long> unmatched_ids;              // the first 50
};

// A gift whose donor wants a receipt, with the identifiers the receipt needs (decrypted).
struct ReceiptData {
    long long gift_id = 0, amount_krw = 0;
    std::string donor_kind, donor_name, receipt_id, receipt_address, form, items, given_on;
};

class GivingStore {
public:
    GivingStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // Creates a campaign with its dong targets, designations and their empty funds; returns its id.
    long long create_campaign(const NewCampaign& c, long long now);
    std::optional<Campaign> campaign(const std::string& code);
    std::vector<Campaign> campaigns(long long district_id);
    std::vector<Designation> designations(long long campaign_id);
    std::vector<std::pair<long long, long long>> dong_targets(long long campaign_id);

    // In the caller's transaction. add_gift credits the gift's fund.
    long long add_gift(soci::session& s, const NewGift& g, long long now);
    // Throws 409 when already reversed, 409 (field gift_id) when the fund has already used it.
    long long reverse_gift(soci::session& s, long long gift_id, const std::string& reason, long long by, long long now);
    // Debits the fund with a conditional UPDATE; throws 422 (field amount_krw) when the fund
    // holds less. The CHECK (balance_krw >= 0) is the second guard.
    long long add_distribution(soci::session& s, const NewDistribution& d, long long now);
    // Imports a collector's statement in the caller's transaction: matches G<n> rows to the
    // campaign's cash gifts (same amount and channel, not reversed, not matched before) and
    // records QR rows as new gifts. Any row that does not fit throws 422 with one error per row
    // (field `rows[<line>].<column>`), so nothing is written; the same file twice is a 409.
    StatementReport import_statement(soci::session& s, const Campaign& c, const std::vector<StatementRow>& rows,
                                     const std::string& file_sha256, long long by, long long now);
    // Gifts of the campaign with a receipt wanted and not reversed, oldest first.
    std::vector<ReceiptData> receipts(long long campaign_id);
    // Records the household's or programme's receipt once; false when already recorded or none.
    bool mark_received(long long distribution_id, long long at);

    std::optional<Gift> gift(long long id);
    // Gifts whose donor contact has one of these blind indexes (a donor's own).
    std::vector<Gift> gifts_of_donor(const std::vector<std::string>& contacts);
    // A dong's gifts, newest first, with donor names decrypted for the counter staff.
    std::vector<Gift> gifts_of_dong(long long campaign_id, long long dong_id, long long limit);
    std::vector<Distribution> distributions(long long campaign_id, bool with_household);
    std::vector<Fund> funds(long long campaign_id);
    Totals totals(long long campaign_id);
    // The donor wall: gifts whose donors chose masked or named, not reversed (names masked as chosen).
    std::vector<std::pair<std::string, long long>> donor_wall(long long campaign_id, long long limit);

    // FIFO trace input: the fund's gifts not reversed and its distributions, in number order.
    std::pair<std::vector<Slice>, std::vector<Slice>> fund_slices(long long designation_id, const std::string& form);

    // Seals every day up to `through_day` not yet sealed into the chain; returns entries added.
    int seal(long long campaign_id, const std::string& through_day);
    std::vector<LedgerEntry> ledger(long long campaign_id);
    // What the next seal would add (today's and other unsealed days), aggregated the same way.
    std::vector<LedgerEntry> pending(long long campaign_id);

    // The blind index a donor contact (normalized phone digits or lower-case e-mail) is stored under.
    std::string contact_index(const std::string& contact) const;

private:
    std::vector<LedgerEntry> aggregate(soci::session& s, long long campaign_id, const std::string& after,
                                       const std::string& through);
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::giving
