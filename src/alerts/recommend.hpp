#pragma once
// Recommendations for a member: catalogue services ranked by a small logistic model over a
// handful of named features (eligible per the simulation, undetermined, matches the member's
// chosen topics, fits a life stage or situation of the household, viewed before, national
// program). The weights start from documented values and are updated online from members'
// feedback (applied = 1, dismissed = 0, viewed = 0.6) by one step of stochastic gradient
// descent per event. Each recommendation lists the features that raised it, in words.
#include <array>
#include <set>
#include <string>
#include <vector>

#include "store/database.hpp"

namespace dure::eligibility {

enum Feature { f_bias, f_eligible, f_undetermined, f_topic, f_life_stage, f_situation, f_viewed, f_national, kFeatureCount };
const char* feature_name(int f);

using Weights = std::array<double, kFeatureCount>;
Weights default_weights();

struct Candidate {
    std::string service_id, name, program_code;
    std::array<double, kFeatureCount> x{};
};

struct Scored {
    const Candidate* c;
    double score;
    std::vector<std::string> why_ko, why_en;  // the features that raised the score
};

double predict(const Weights& w, const std::array<double, kFeatureCount>& x);
// Ranks, best first; `hidden` service ids (dismissed) are left out.
std::vector<Scored> rank(const Weights& w, const std::vector<Candidate>& cs, const std::set<std::string>& hidden, std::size_t limit);
// One SGD step towards label y (0..1).
void learn(Weights& w, const std::array<double, kFeatureCount>& x, double y, double rate = 0.05);

// Weights and feedback in the database.
class RecommendationStore {
public:
    explicit RecommendationStore(store::Database& db) : db_(db) {}
    Weights weights();
    void save_weights(const Weights& w);
    // Records feedback; false when the same (member, service, action) was already recorded.
    bool feedback(long long account_id, const std::string& service_id, const std::string& action);
    std::set<std::string> with_action(long long account_id, const std::string& action);

private:
    store::Database& db_;
};

}  // namespace dure::eligibility
