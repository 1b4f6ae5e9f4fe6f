#pragma once
// Pure rules of the giving module (docs/giving.md): no database, no network. Amounts are integer
// KRW (long long); nothing here rounds money.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::giving {

// 1 … 10^13 KRW: the only amounts a gift, a valuation or a distribution may carry.
constexpr long long kMaxAmount = 10'000'000'000'000LL;
bool valid_amount(long long krw);

// The thermometer (사랑의 온도탑): 1 % of the target = 1 °. In tenths of a degree, rounded down;
// may exceed 1000 (100 °). Target > 0.
long long degrees_tenths(long long raised, long long target);

// How a count of households reaches the public: exact from 5 (and 0), "1-4" below.
std::string count_band(long long n);

// The day after a YYYY-MM-DD date (valid input).
std::string next_day(const std::string& day);
// The day an event enters the ledger: its record day, or the first day not yet sealed.
std::string ledger_day(const std::string& record_day, const std::string& sealed_through);

// The campaign period: both dates valid, start ≤ end, at most 366 days (기부금품법 §4: a
// solicitation period of at most one year — threshold from secondary sources, docs/giving.md).
bool valid_period(const std::string& starts_on, const std::string& ends_on);

// A campaign code (it goes into URLs, QR links and the collector's statements): 3–40 characters of
// a-z, 0-9 and '-', starting with a letter or digit.
bool valid_campaign_code(std::string_view code);
// A designation code a staff member may choose: like a campaign code, 2–60 characters, and not
// one dure makes itself ("general", "dong-…").
bool valid_designation_code(std::string_view code);

// The council's weekly report: gifts (not reversed) summed per campaign week — week 1 starts on
// the campaign's first day; a gift dated before it counts in week 1.
struct GiftFact {
    std::string given_on, channel, form;
    long long amount = 0;
};
struct WeekTotal {
    long long week = 0;
    std::string from, to;  // the week's first and last day
    long long gifts = 0, amount = 0, cash = 0, in_kind = 0;
};
std::vector<WeekTotal> weekly_totals(const std::vector<GiftFact>& gifts, const std::string& starts_on);

// A receipt number as printed: the year, '-', the serial in at least six digits (2023-000042).
std::string receipt_number(long long year, long long serial);

// One sealed ledger entry. `kind`: gift, reversal, distribution. `source`: the channel of an
// inflow or the programme of an outflow. `count`: gifts (inflows) or households helped (outflows).
// `amount` is signed: reversals are negative; distributions are positive outflows.
struct LedgerEntry {
    long long seq = 0;
    std::string day, kind, source, purpose, designation, form;
    long long count = 0;
    long long amount = 0;
    std::string prev_hash, hash;
};

// The canonical line an entry's hash covers (the published format, also the CSV's columns):
// seq|day|kind|source|purpose|designation|form|count_band|amount  — outflow counts as count_band,
// inflow counts exact. Fields never contain '|' (codes and labels are checked on entry).
std::string ledger_line(const LedgerEntry& e);
// SHA-256 hex of prev_hash + "\n" + line.
std::string chain_hash(const std::string& prev_hash, const std::string& line);
// The first prev_hash of every campaign's chain.
inline const char* kGenesis = "genesis";

// Orders `entries` (one day's or several days' aggregates) canonically, numbers them from
// `last_seq` + 1 and chains them from `head`. Returns the new head.
std::string seal(std::vector<LedgerEntry>& entries, long long last_seq, const std::string& head);
// True when every entry's hash follows from the previous one, starting at genesis. `bad_seq`
// (optional) gets the first entry that does not.
bool verify_chain(const std::vector<LedgerEntry>& entries, long long* bad_seq = nullptr);

// Balance of a set of entries: gifts + reversals − distributions.
long long ledger_balance(const std::vector<LedgerEntry>& entries);

// "Where did my gift go": first in, first out per fund. `gifts` and `uses` are in order (by
// number); reversed gifts are left out by the caller. For gift `gift_id` returns the parts of
// each distribution it paid for, and the part still unused.
struct Slice {
    long long id = 0;
    long long amount = 0;
};
struct TracePart {
    long long distribution_id = 0;
    long long amount = 0;
};
struct Trace {
    std::vector<TracePart> used;
    long long unused = 0;
};
Trace trace_fifo(const std::vector<Slice>& gifts, const std::vector<Slice>& uses, long long gift_id);

// A name for the public donor wall: the first character then "○" for each remaining one
// (e.g. 홍길동 → 홍○○); organisations keep their name.
std::string mask_name(std::string_view name);

}  // namespace dure::giving

namespace dure::giving {

// One row of a collector's statement (CSV, header `date,reference,channel,amount_krw`):
// reference `G<gift number>` for a counter or transfer gift dure recorded; channel `qr` with a
// reference `QR-<dong code>` or `QR` for a gift made on the collector's own page.
struct StatementRow {
    long long line = 0;  // 1-based line of the file (the header is line 1)
    std::string day, reference, channel;
    long long amount = 0;
    long long gift_id = 0;  // from G<n>
    std::string dong_code;  // from QR-<code>
};
struct RowError {
    long long line = 0;
    std::string field, code, message;
};
// Parses the file; every problem is a row error (line 0: the file itself). A UTF-8 BOM is skipped.
std::vector<StatementRow> parse_statement(std::string_view csv, std::vector<RowError>& errors);

}  // namespace dure::giving
