#pragma once
// Search quality against a fixed set of resident queries (tests/search/queries.json): for each
// query, the services that must all appear in the top five. Used by the unit test (with a floor)
// and by bench/search_quality.cpp (prints the hit rate). Pure: no database.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/search.hpp"

namespace dure::catalog {

struct QualityCase {
    std::string q;
    std::vector<std::string> top5;  // program codes that must all be among the first five hits
};

struct QualityOutcome {
    std::string q;
    bool hit = false;
    std::vector<std::string> missing;  // expected program codes not in the top five
    std::vector<std::string> top;      // names of the first five hits
};

struct QualityReport {
    std::vector<QualityOutcome> outcomes;
    int hits = 0;
    double rate() const { return outcomes.empty() ? 0 : static_cast<double>(hits) / outcomes.size(); }
};

// Parses {"queries":[{"q":..., "top5":[...]}, ...]}; throws std::runtime_error when malformed.
std::vector<QualityCase> parse_quality_cases(std::string_view json_text);

// Runs every case against `index`; `services` are the indexed services (for codes and names).
QualityReport evaluate_search_quality(const SearchIndex& index, const std::vector<Service>& services,
                                      const std::vector<QualityCase>& cases);

}  // namespace dure::catalog
