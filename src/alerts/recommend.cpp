#include "alerts/recommend.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <cmath>

namespace dure::eligibility {

using soci::into;
using soci::use;

namespace {
constexpr const char* kNames[kFeatureCount] = {"bias",      "eligible", "undetermined", "topic",
                                               "life_stage", "situation", "viewed",      "national"};
constexpr const char* kWhyKo[kFeatureCount] = {"", "모의계산 결과 받을 수 있어요", "조건을 더 확인하면 받을 수도 있어요",
                                               "관심 분야예요", "가구의 생애주기에 맞아요", "가구 상황에 맞아요",
                                               "전에 살펴본 서비스예요", "전국 공통 제도예요"};
constexpr const char* kWhyEn[kFeatureCount] = {"", "The simulation says you qualify", "You may qualify (more answers needed)",
                                               "One of your interests", "Fits your household's life stage",
                                               "Fits your household's situation", "You looked at it before",
                                               "A national program"};
}  // namespace

const char* feature_name(int f) { return kNames[f]; }

Weights default_weights() {
    // bias, eligible, undetermined, topic, life_stage, situation, viewed, national
    return {-2.0, 3.0, 1.0, 1.2, 0.8, 0.8, 0.3, 0.2};
}

double predict(const Weights& w, const std::array<double, kFeatureCount>& x) {
    double z = 0;
    for (int i = 0; i < kFeatureCount; ++i) z += w[i] * x[i];
    return 1 / (1 + std::exp(-z));
}

std::vector<Scored> rank(const Weights& w, const std::vector<Candidate>& cs, const std::set<std::string>& hidden,
                         std::size_t limit) {
    std::vector<Scored> out;
    for (const auto& c : cs) {
        if (hidden.count(c.service_id)) continue;
        bool any = false;
        for (int i = 1; i < kFeatureCount; ++i) any = any || (c.x[i] != 0 && i != f_viewed && i != f_national);
        if (!any) continue;  // nothing ties it to this member
        Scored s{&c, predict(w, c.x), {}, {}};
        for (int i = 1; i < kFeatureCount; ++i)
            if (c.x[i] != 0 && w[i] > 0) {
                s.why_ko.push_back(kWhyKo[i]);
                s.why_en.push_back(kWhyEn[i]);
            }
        out.push_back(std::move(s));
    }
    std::stable_sort(out.begin(), out.end(), [](const Scored& a, const Scored& b) { return a.score > b.score; });
    if (out.size() > limit) out.resize(limit);
    return out;
}

void learn(Weights& w, const std::array<double, kFeatureCount>& x, double y, double rate) {
    double err = y - predict(w, x);
    for (int i = 0; i < kFeatureCount; ++i) w[i] += rate * err * x[i];
}

Weights RecommendationStore::weights() {
    Weights w = default_weights();
    db_.read([&](soci::session& s) {
        std::string name;
        double v = 0;
        soci::statement st = (s.prepare << "SELECT feature, weight FROM recommendation_model", into(name), into(v));
        st.execute();
        while (st.fetch())
            for (int i = 0; i < kFeatureCount; ++i)
                if (name == kNames[i]) w[i] = v;
    });
    return w;
}

void RecommendationStore::save_weights(const Weights& w) {
    db_.write([&](soci::session& s) {
        for (int i = 0; i < kFeatureCount; ++i) {
            std::string name = kNames[i];
            double v = w[i];
            long long n = 0;
            s << "SELECT COUNT(*) FROM recommendation_model WHERE feature = :f", into(n), use(name);
            if (n) s << "UPDATE recommendation_model SET weight = :w, updates = updates + 1 WHERE feature = :f", use(v), use(name);
            else s << "INSERT INTO recommendation_model (feature, weight, updates) VALUES (:f, :w, 1)", use(name), use(v);
        }
    });
}

bool RecommendationStore::feedback(long long account_id, const std::string& service_id, const std::string& action) {
    bool inserted = false;
    long long now = store::now_unix();
    db_.write([&](soci::session& s) {
        long long n = 0;
        s << "SELECT COUNT(*) FROM recommendation_feedback WHERE account_id = :a AND service_id = :s AND action = :x",
            into(n), use(account_id), use(service_id), use(action);
        if (n) return;
        s << "INSERT INTO recommendation_feedback (account_id, service_id, action, created_at) VALUES (:a, :s, :x, :t)",
            use(account_id), use(service_id), use(action), use(now);
        inserted = true;
    });
    return inserted;
}

std::set<std::string> RecommendationStore::with_action(long long account_id, const std::string& action) {
    std::set<std::string> out;
    db_.read([&](soci::session& s) {
        std::string id;
        soci::statement st = (s.prepare << "SELECT service_id FROM recommendation_feedback WHERE account_id = :a AND action = :x",
                              into(id), use(account_id), use(action));
        st.execute();
        while (st.fetch()) out.insert(id);
    });
    return out;
}

}  // namespace dure::eligibility
