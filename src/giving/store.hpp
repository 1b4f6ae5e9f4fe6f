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

// A donation day (모금의 날): an event of the campaign on a day of its period.
struct DonationDay {
    long long id = 0, campaign_id = 0;
    std::string day, title_ko, title_en, place;
    long long dong_id = 0, created_by = 0;
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

// A receipt record (the collector issues the receipt; dure keeps which gift got which number).
struct ReceiptRecord {
    long long id = 0, gift_id = 0, year = 0, serial = 0, replaces_id = 0, issued_at = 0;
    std::string number;  // rules::receipt_number
    bool voided = false;
    std::string void_reason;
};

// One line of the year-end export: a receipt not void, with the gift's donor data (decrypted).
struct YearEndRow {
    ReceiptRecord receipt;
    std::string replaces_number;
    ReceiptData gift;
    std::string collector_name, collector_registration, collector_legal_basis;
};

// Goods on hand and a move in or out (docs/giving.md "Stock of goods").
struct StockItem {
    std::string item, unit;
    long long quantity = 0;
};
struct StockMove {
    long long campaign_id = 0;
    std::string item, unit, direction;  // unit: only for a move in (the item's unit when first seen)
    long long quantity = 0, gift_id = 0;
    std::string approval_ref, purpose;
    long long households = 0, dong_id = 0, by = 0;
};

class GivingStore {
public:
    GivingStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // Creates a campaign with its dong targets, designations and their empty funds; returns its id.
    long long create_campaign(const NewCampaign& c, long long now);
    // The same in the caller's transaction; 409 (field code) when the code is taken.
    long long create_campaign(soci::session& s, const NewCampaign& c, long long now);
    // Adds a donation day in the caller's transaction; 409 (field title_ko) when the same title is on that day.
    long long add_day(soci::session& s, const DonationDay& d, long long now);
    std::vector<DonationDay> days(long long campaign_id);
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
    // Gives every gift of the campaign whose donor wants a receipt, not reversed and without one, a
    // receipt record numbered in its gift year (serials unique per year: the database's UNIQUE).
    // In the caller's transaction; returns the records made, in order.
    std::vector<ReceiptRecord> issue_receipts(soci::session& s, long long campaign_id, long long by, long long now);
    // Voids a receipt with a reason (409 when already void); with `reissue`, a new receipt for the
    // same gift replaces it (409 when the gift was reversed). Returns the new record (id 0 if none).
    ReceiptRecord void_receipt(soci::session& s, long long receipt_id, const std::string& reason, bool reissue,
                               long long by, long long now);
    std::optional<std::pair<ReceiptRecord, long long>> receipt(long long id);  // with its campaign id
    std::vector<ReceiptRecord> receipt_records(long long campaign_id);
    // Receipts of `year` that are not void, of the district's campaigns, for the year-end export.
    std::vector<YearEndRow> year_end(long long district_id, long long year);
    // Adds goods to or takes them from the stock in the caller's transaction. A move out subtracts
    // with a conditional UPDATE: 422 (field quantity) when fewer are on hand, whatever the
    // concurrency; 422 (field item) for an item never received; 422 (field unit) when a move in
    // names another unit than the item has. Returns the move's id.
    long long move_stock(soci::session& s, const StockMove& m, long long now);
    std::vector<StockItem> stock(long long campaign_id);
    // The campaign's gifts not reversed, as facts for the weekly report.
    std::vector<GiftFact> gift_facts(long long campaign_id);
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
