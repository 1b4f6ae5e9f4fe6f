#pragma once
// All SQL of the welfare status map: dong boundaries, the indicators, and the statistics
// uploaded per district, indicator, dong and year. Every write is one transaction.
#include <optional>
#include <string>
#include <vector>

#include "atlas/stats.hpp"
#include "store/database.hpp"

namespace dure::catalog {

// What saving an upload did, row by row.
struct StatSaveCounts {
    long long inserted = 0;   // new (indicator, dong, year) keys
    long long replaced = 0;   // keys that had another value (or unit or source)
    long long unchanged = 0;  // keys that already held exactly this
};

class StatsStore {
public:
    explicit StatsStore(store::Database& db) : db_(db) {}

    // Every indicator, in display order.
    std::vector<Indicator> indicators();

    // Replaces the district's boundaries with `boundaries` (dongs not in the list lose theirs).
    void replace_boundaries(long long district_id, const std::vector<DongBoundary>& boundaries,
                            const std::string& source, long long now);
    // The district's boundaries, by dong id.
    std::vector<DongBoundary> boundaries(long long district_id);

    // Stores every value in one transaction; a value whose (district, indicator, dong, year)
    // exists replaces it, so uploading the same rows twice changes nothing.
    StatSaveCounts save(const std::vector<StatValue>& values);

    // The values of one indicator and year: every dong that has one, and the whole district
    // (dong_id 0) if uploaded. `year` 0 means the latest year with any value.
    std::vector<StatValue> values(long long district_id, const std::string& indicator, long long year);
    // Years with values of an indicator, oldest first.
    std::vector<long long> years(long long district_id, const std::string& indicator);
    // One dong's values (dong_id 0: the whole district) by year, oldest first.
    std::vector<StatValue> series(long long district_id, const std::string& indicator, long long dong_id);
    // How many values the district holds (all indicators).
    long long count(long long district_id);

private:
    store::Database& db_;
};

}  // namespace dure::catalog
