#pragma once
// Facility disclosures (시설 재무 공시): a facility's budget (예산) or settlement (결산) for one
// fiscal year, with the donations (후원금) it received and how they were used. Pure logic: the
// categories of the 사회복지법인 및 사회복지시설 재무·회계 규칙, validation, totals for charts,
// the review workflow, and the CSV/XLSX renderings of a disclosure.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "disclosures/xlsx.hpp"
#include "common/error.hpp"

namespace dure::catalog {

// One budget or settlement line: `side` is "revenue" (세입) or "expenditure" (세출),
// `category` a 관 of the accounting rules (e.g. 보조금, 인건비), `item` free text (목).
struct DisclosureLine {
    std::string side;
    std::string category;
    std::string item;
    long long amount = 0;  // KRW
};

// One donation received: who gave (individual, organization, anonymous), cash or in kind, and
// what it was used for. In-kind amounts are the donation's value in KRW.
struct Donation {
    std::string received_from_type;
    std::string kind;
    long long amount = 0;
    std::string used_for;
    long long used_amount = 0;
};

// What the facility manager writes.
struct DisclosureContent {
    long long fiscal_year = 0;
    std::string kind;  // "budget" | "settlement"
    std::vector<DisclosureLine> lines;
    std::vector<Donation> donations;
};

// A disclosure with its place in the review: draft -> submitted -> approved, or returned
// (with a reason) and then edited into a draft again. `version` grows with every saved state.
struct Disclosure {
    std::string id;
    long long district_id = 0;
    std::string facility_id;
    DisclosureContent content;
    std::string status = "draft";
    long long version = 0;
    long long published_version = 0;  // last approved version, 0 if never approved
    std::string return_reason;
    std::string created_by, updated_by, submitted_by, decided_by;
    long long created_at = 0, updated_at = 0, submitted_at = 0, decided_at = 0;
};

// A category of the accounting rules, with the side it belongs to.
struct DisclosureCategory {
    std::string_view side;
    std::string_view ko;
    std::string_view en;
};
const std::vector<DisclosureCategory>& disclosure_categories();
const DisclosureCategory* find_category(std::string_view side, std::string_view ko);

// Largest amount accepted on one line or donation (1조 KRW): far above any facility, low
// enough that sums of a few thousand lines stay exact in a double for charts.
constexpr long long kMaxAmount = 1'000'000'000'000LL;
constexpr std::size_t kMaxLines = 1000;
constexpr std::size_t kMaxDonations = 2000;

// Checks a disclosure, adding one error per problem, each naming its field as a JSON path
// ("lines[2].amount", "donations[0].used_amount"). `current_year` bounds the fiscal year (a
// budget may be for next year). Rules: amounts are integer KRW ≥ 0; categories come from the
// accounting rules; a budget balances (세입 = 세출, 예비비 included) and lists no donations; a
// settlement spends no more than it took in (the rest is carried over), has no 예비비 line,
// and its 후원금 revenue equals the cash donations listed; no donation is used beyond its amount.
void validate(const DisclosureContent& d, long long current_year, FieldErrors& errors);

// Reads a request body `{fiscal_year, kind, lines[], donations[]}`, adding errors for bad
// shapes (the rules of validate() are checked separately).
DisclosureContent read_disclosure(const boost::json::object& body, FieldErrors& errors);

struct CategoryTotal {
    std::string category;
    long long amount = 0;
};

// Sums for charts and summaries.
struct DisclosureTotals {
    std::vector<CategoryTotal> revenue;      // by category, in the rules' order
    std::vector<CategoryTotal> expenditure;  // same
    long long revenue_total = 0;
    long long expenditure_total = 0;
    long long balance = 0;  // revenue - expenditure (a settlement's carry-over, 차기이월금)
    long long donations_received = 0, donations_cash = 0, donations_in_kind = 0, donations_used = 0;
    std::vector<CategoryTotal> donations_by_source;  // individual, organization, anonymous
};
DisclosureTotals totals(const DisclosureContent& d);

// Review workflow. `action` is "submit", "approve" or "return". Returns the next status;
// throws ErrorKind::conflict when the action does not apply to `status`. Repeating the
// action that led to the current status is not an error: it returns the same status, so a
// retried request is harmless (the caller then changes nothing).
std::string next_status(const std::string& status, const std::string& action);
// True when the manager may still edit (draft or returned); an approved disclosure may be
// corrected too, which starts a new draft while the approved version stays public.
bool editable(const std::string& status);

// Korean labels for the file renderings.
std::string_view kind_ko(std::string_view kind);

// The whole disclosure as JSON (for version snapshots) and back.
boost::json::object disclosure_json(const Disclosure& d);
Disclosure disclosure_from_json(const boost::json::object& o);
boost::json::object content_json(const DisclosureContent& c);
boost::json::object totals_json(const DisclosureTotals& t);

// The disclosure as one CSV table (UTF-8 with BOM so spreadsheet programs read Korean):
// header row, then the lines, then the donations, with a section column.
std::string disclosure_csv(const Disclosure& d, const std::string& facility_name);

// The disclosure as spreadsheet sheets: 요약 (totals by category), 세입, 세출, 후원금.
std::vector<XlsxSheet> disclosure_sheets(const Disclosure& d, const std::string& facility_name);

// The file name of a download, e.g. "한빛노인종합복지관_2024_결산.csv".
std::string disclosure_file_name(const Disclosure& d, const std::string& facility_name, std::string_view ext);

// A Content-Disposition value for `file_name`: an ASCII fallback and the UTF-8 name encoded
// as RFC 5987 says (filename*=UTF-8''…).
std::string content_disposition(const std::string& file_name, const std::string& ascii_fallback);

}  // namespace dure::catalog
