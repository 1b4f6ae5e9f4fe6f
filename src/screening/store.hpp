#pragma once
// Risk-screening storage: indicator rows (upserted, so a re-import changes nothing), rounds with
// their ranked items and outcomes, and the fitted model per district.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "identity/crypto.hpp"
#include "screening/model.hpp"
#include "store/database.hpp"

namespace dure::screening {

struct ImportResult {
    long long rows = 0, households = 0;
};

struct Round {
    long long id = 0, district_id = 0, created_at = 0, model_version = 0, households = 0, listed = 0;
    std::string created_by, period_from, period_to;
};

struct Item {
    long long id = 0, round_id = 0, dong_id = 0, rank = 0, outcome_at = 0;
    std::string household_hash, outcome, outcome_by;
    double score = 0;
    std::uint64_t flags = 0;
};

// Outcomes an official records for a listed household. The first three count as "needed support".
inline const std::vector<std::string>& outcome_codes() {
    static const std::vector<std::string> c = {"supported_public", "supported_private", "case_management",
                                               "not_in_need", "unreachable", "refused"};
    return c;
}
inline bool needed_support(const std::string& o) {
    return o == "supported_public" || o == "supported_private" || o == "case_management";
}

// Households reported through people (outreach) during a round's period, in one dong: how many,
// how many an official linked to the institutions' household key, and how many of those the
// round listed. `linked - found` is what the data alone would have missed.
struct ReportedCoverage {
    long long reported = 0, linked = 0, found = 0;
};

class ScreeningStore {
public:
    ScreeningStore(store::Database& db, const identity::Keyring& keys) : db_(db), keys_(keys) {}

    // All rows in one transaction (nothing on failure). `dong_ids` maps dong codes to ids.
    ImportResult import(long long district_id, const std::vector<IndicatorRow>& rows,
                        const std::map<std::string, long long>& dong_ids, const IndicatorCatalog& cat,
                        const std::string& batch);

    // Households with any indicator in [from, to] (YYYY-MM), with their flags and latest dong.
    std::vector<HouseholdSignals> signals(long long district_id, const std::string& from, const std::string& to,
                                          const IndicatorCatalog& cat);
    std::string household_key(long long district_id, const std::string& hash);

    Model model(long long district_id, const IndicatorCatalog& cat);
    void save_model(long long district_id, const Model& m);

    Round create_round(long long district_id, const std::string& by, const std::string& from, const std::string& to,
                       const Model& m, const std::vector<HouseholdSignals>& hs,
                       const std::map<long long, std::vector<Scored>>& ranked);
    std::optional<Round> round(long long id);
    std::vector<Round> rounds(long long district_id);
    // Per dong (0: none yet), for reports first received in [from_unix, to_unix).
    std::map<long long, ReportedCoverage> reported_coverage(const Round& r, long long from_unix, long long to_unix);
    std::vector<Item> items(long long round_id, long long dong_id = 0);
    std::optional<Item> item(long long id);
    void set_outcome(long long item_id, const std::string& outcome, const std::string& by);
    // Every recorded decisive outcome of a district: (flags, 1 needed support / 0 not in need).
    std::vector<std::pair<std::uint64_t, int>> training_set(long long district_id);

private:
    store::Database& db_;
    const identity::Keyring& keys_;
};

}  // namespace dure::screening
