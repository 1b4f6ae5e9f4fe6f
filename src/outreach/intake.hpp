#pragma once
// Reading reports from what the channels send: JSON bodies (web form, staff intake, partner API)
// and CSV files (bulk upload), all checked by one set of rules into the same NewReport.
// Every problem is reported together, each with its field (and CSV line). Pure: no SQL, no HTTP.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"
#include "identity/model.hpp"
#include "outreach/model.hpp"

namespace dure::outreach {

inline constexpr std::size_t kAddressMax = 200;
inline constexpr std::size_t kConcernMax = 2000;
inline constexpr std::size_t kNameMax = 50;
inline constexpr std::size_t kContactMax = 100;
inline constexpr std::size_t kCsvMaxRows = 5000;
// How far back a report taken earlier (a note from a call, a paper form) may be dated.
inline constexpr long long kBackdateMaxSeconds = 90LL * 86400;

// A report's fields as text, before checking: the common shape of a JSON body and a CSV row.
struct RawReport {
    std::string address, place, concern, urgency, subject_name, subject_phone, contact, external_ref,
        received_at;
    std::vector<std::string> signs;
    std::string dong;       // CSV: id, code or name
    long long dong_id = 0;  // JSON: an id
    bool dong_given = false;
};

// Checks `raw` and fills a NewReport. `at` prefixes field names ("line 7: ") and `dong_field`
// names the dong's field in errors. A missing dong is inferred from the address when it names one.
NewReport check_report(const RawReport& raw, const std::vector<identity::Dong>& dongs, long long now,
                       FieldErrors& errors, const std::string& at = "",
                       const std::string& dong_field = "dong_id");

// Reads the report members of a JSON body into `raw`: every member must be in `allowed`, and of
// the right JSON type. Members outside the report (channel, district_id …) are the caller's.
RawReport read_report_json(const boost::json::object& body, const std::vector<std::string_view>& allowed,
                           FieldErrors& errors);

// Text of a JSON member that may span lines (line breaks and tabs allowed, CRLF folded to LF).
std::optional<std::string> multiline_text(const boost::json::object& body, std::string_view key,
                                          bool required, std::size_t max_chars, FieldErrors& errors);

// The reports of a CSV upload. Header names are the JSON names or their Korean labels
// (동, 주소, 장소, 대상자, 대상자연락처, 내용, 긴급도, 징후, 신고자연락처, 접수일시); dong and concern are
// required columns. Errors name "line N: column"; any error means nothing may be filed.
struct CsvReports {
    std::vector<NewReport> reports;
    std::vector<long long> lines;  // the CSV line of each report
    std::vector<FieldError> errors;
};
CsvReports read_reports_csv(std::string_view text, const std::vector<identity::Dong>& dongs, long long now);

}  // namespace dure::outreach
