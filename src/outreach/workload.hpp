#pragma once
// Risk-weighted workload: how much open work each caseworker carries, which one should take a
// newly reported household next, and how a district's care-team members would be shared out so
// that high-risk dongs get more of them. The weights and the allocation are pure functions
// (tested in workload_test.cpp); `measure_workload` reads the open work from the database.
#include <optional>
#include <string>
#include <vector>

#include "outreach/model.hpp"
#include "store/database.hpp"

namespace dure::outreach {

// What one open item weighs. Households waiting on triage weigh their priority (urgent 3, high 2,
// normal 1); an open case weighs its crisis level (1–4; 2 until it is assessed); a household the
// latest screening round listed and nobody has recorded an outcome for weighs 1.
int household_weight(Urgency priority);
int case_weight(long long crisis_level);
inline constexpr int kScreeningItemWeight = 1;

// One caseworker's open work.
struct StaffLoad {
    long long account_id = 0;
    std::string name;
    long long households = 0, cases = 0;  // open items assigned to them
    long long load = 0;                   // their weighted sum
};

// Who should take the next household: the lowest load, then the fewest items, then the longest
// serving account (lowest id). The reason names the figures that decided it.
struct Pick {
    size_t index = 0;
    std::string reason, reason_ko;
};
std::optional<Pick> least_loaded(const std::vector<StaffLoad>& staff);

// Shares `members` out over dongs in proportion to their risk (largest remainder, ties to the
// dong listed first). When there are at least as many members as dongs with any risk, each of
// those gets one before the rest is shared, so no risky dong is left with nobody.
std::vector<long long> allocate_members(long long members, const std::vector<long long>& risk);

// The open work of one dong, from the database.
struct DongWork {
    long long dong_id = 0;
    long long open_households = 0, unassigned = 0, open_cases = 0, screening_pending = 0;
    long long risk = 0;  // weighted sum of all of the above
};
struct WorkloadData {
    std::vector<DongWork> dongs;                                    // every dong with open work
    std::vector<std::pair<long long, StaffLoad>> loads;            // account → load (name unset)
    std::vector<std::pair<long long, long long>> care_team_grants;  // account, dong (0: district)
    std::vector<std::pair<long long, long long>> caseworker_grants; // account, dong (0: district)
};
WorkloadData measure_workload(store::Database& db, long long district_id);

}  // namespace dure::outreach
