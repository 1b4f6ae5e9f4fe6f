#pragma once
// Risk screening's pure parts: the indicator catalogue (data/outreach/indicators.json), the
// explainable score (logistic over indicator flags, each indicator's contribution reported), the
// ranking within each dong, recalibration from recorded outcomes, and the strict reading of an
// institution's CSV file (row-level report, nothing accepted from a file with errors).
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::screening {

struct Indicator {
    std::string code, label_ko, label_en, agency;
    double weight = 0;
};

class IndicatorCatalog {
public:
    static IndicatorCatalog parse(std::string_view json_text);
    static const IndicatorCatalog& embedded();
    const std::vector<Indicator>& all() const { return items_; }
    int index(std::string_view code) const;  // -1 when unknown
    double default_bias() const { return bias_; }

private:
    std::vector<Indicator> items_;
    std::map<std::string, int, std::less<>> by_code_;
    double bias_ = 0;
};

// Weights per indicator index plus a bias; version 0 = the catalogue's defaults.
struct Model {
    long long version = 0;
    double bias = 0;
    std::vector<double> weights;
    long long trained_on = 0;  // outcomes it was fitted to
    static Model defaults(const IndicatorCatalog& c);
};

// One household's indicators for a round: a bit per indicator index (at most 64).
struct HouseholdSignals {
    std::string hash;
    long long dong_id = 0;
    std::uint64_t flags = 0;
};

struct Scored {
    std::uint32_t household = 0;  // index into the input
    double score = 0;
};

double score(const Model& m, std::uint64_t flags);
// Each present indicator's contribution to the log-odds, largest first: (index, weight).
std::vector<std::pair<int, double>> contributions(const Model& m, std::uint64_t flags);

// Ranks households within each dong by score and keeps the `per_dong` best with a score of at
// least `min_score`. Returns dong id → ranked list.
std::map<long long, std::vector<Scored>> rank_by_dong(const Model& m, const std::vector<HouseholdSignals>& hs,
                                                       std::size_t per_dong, double min_score);

// Fits the model to outcomes (flags, label 1 = needed support, 0 = not in need) by gradient
// descent on the L2-regularized log-loss, starting from `start`.
Model recalibrate(const Model& start, const std::vector<std::pair<std::uint64_t, int>>& outcomes, int iterations = 500,
                  double rate = 0.5, double l2 = 0.01);

// ---- CSV import ----
struct IndicatorRow {
    std::string household_key, dong_code;
    // The parser points this at the catalogue's own code (no copy per row): valid as long as the
    // catalogue the file was read with.
    std::string_view indicator;
    std::string period;
    double value = 0;
};
struct RowError {
    long long line = 0;
    std::string field, message;
    // What is wrong, for the page to say in its own words (the message is the English one):
    // too_long, not_utf8_cp949, not_utf8, bad_header, too_many_rows, field_count, household_key,
    // unknown_dong, unknown_indicator, bad_value, bad_period, duplicate, empty.
    std::string code = "invalid_row";
};
struct ParseReport {
    std::vector<IndicatorRow> rows;
    std::vector<RowError> errors;  // at most kMaxErrors listed
    long long error_count = 0;
    long long lines = 0;
};
inline constexpr std::size_t kMaxErrors = 200;
inline constexpr long long kMaxRows = 2'000'000;

// Reads `household_key,dong,indicator,value,period` (header required, UTF-8 only; a CP949 file
// is named as such). `known_dong(code)` says whether a dong code exists in the district.
// `progress(lines)` is called every 100,000 lines when given.
ParseReport parse_indicator_csv(std::istream& in, const IndicatorCatalog& cat,
                                const std::function<bool(const std::string&)>& known_dong,
                                const std::function<void(long long)>& progress = {});

}  // namespace dure::screening
