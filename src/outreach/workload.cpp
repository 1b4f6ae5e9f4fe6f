#include "outreach/workload.hpp"

#include <algorithm>
#include <map>
#include <soci/soci.h>

namespace dure::outreach {

int household_weight(Urgency priority) {
    switch (priority) {
        case Urgency::urgent:
            return 3;
        case Urgency::high:
            return 2;
        case Urgency::normal:
            break;
    }
    return 1;
}

int case_weight(long long crisis_level) {
    if (crisis_level <= 0) return 2;  // not assessed yet: count it as a middling case
    return static_cast<int>(std::min<long long>(crisis_level, 4));
}

std::optional<Pick> least_loaded(const std::vector<StaffLoad>& staff) {
    if (staff.empty()) return std::nullopt;
    size_t best = 0;
    auto key = [](const StaffLoad& s) { return std::tuple(s.load, s.households + s.cases, s.account_id); };
    for (size_t i = 1; i < staff.size(); ++i)
        if (key(staff[i]) < key(staff[best])) best = i;
    const auto& b = staff[best];
    std::string reason = "lowest risk-weighted load " + std::to_string(b.load) + " (" +
                         std::to_string(b.households) + " households, " + std::to_string(b.cases) +
                         " cases) of " + std::to_string(staff.size()) + " caseworkers";
    std::string ko = "담당 공무원 " + std::to_string(staff.size()) + "명 중 위험 가중 업무량이 가장 적음: " +
                     std::to_string(b.load) + "(가구 " + std::to_string(b.households) + ", 사례 " +
                     std::to_string(b.cases) + ")";
    if (staff.size() > 1) {
        long long next = -1;
        for (size_t i = 0; i < staff.size(); ++i)
            if (i != best && (next < 0 || staff[i].load < next)) next = staff[i].load;
        reason += "; next lowest " + std::to_string(next);
        ko += ", 다음으로 적은 업무량 " + std::to_string(next);
    }
    return Pick{best, reason, ko};
}

std::vector<long long> allocate_members(long long members, const std::vector<long long>& risk) {
    std::vector<long long> out(risk.size(), 0);
    if (members <= 0 || risk.empty()) return out;
    long long risky = 0, total = 0;
    for (auto r : risk) {
        if (r > 0) ++risky;
        total += std::max<long long>(r, 0);
    }
    if (total == 0) return out;
    long long left = members;
    if (members >= risky) {
        for (size_t i = 0; i < risk.size(); ++i)
            if (risk[i] > 0) out[i] = 1;
        left -= risky;
    }
    // Largest remainder over what is left, in proportion to risk.
    std::vector<std::pair<long long, size_t>> rem;  // remainder numerator, index
    long long given = 0;
    for (size_t i = 0; i < risk.size(); ++i) {
        long long r = std::max<long long>(risk[i], 0);
        long long share = left * r / total;
        out[i] += share;
        given += share;
        rem.push_back({left * r % total, i});
    }
    std::stable_sort(rem.begin(), rem.end(), [](auto& a, auto& b) { return a.first > b.first; });
    for (size_t k = 0; given < left && k < rem.size(); ++k, ++given) out[rem[k].second] += 1;
    return out;
}

WorkloadData measure_workload(store::Database& db, long long district_id) {
    WorkloadData w;
    std::map<long long, DongWork> dongs;
    std::map<long long, StaffLoad> loads;
    db.read([&](soci::session& s) {
        // Open households by dong, assignee and priority.
        {
            long long dong = 0, assignee = 0, rank = 0, n = 0;
            soci::indicator di = soci::i_ok, ai = soci::i_ok;
            soci::statement st =
                (s.prepare << "SELECT dong_id, assigned_to, priority_rank, COUNT(*) FROM outreach_households "
                              "WHERE district_id = :d AND status IN ('new', 'assigned', 'contacted') "
                              "GROUP BY dong_id, assigned_to, priority_rank",
                 soci::use(district_id), soci::into(dong, di), soci::into(assignee, ai), soci::into(rank),
                 soci::into(n));
            st.execute();
            while (st.fetch()) {
                long long d = di == soci::i_ok ? dong : 0;
                long long a = ai == soci::i_ok ? assignee : 0;
                Urgency u = rank >= 3 ? Urgency::urgent : rank == 2 ? Urgency::high : Urgency::normal;
                long long weight = household_weight(u) * n;
                auto& dw = dongs[d];
                dw.dong_id = d;
                dw.open_households += n;
                dw.risk += weight;
                if (!a) {
                    dw.unassigned += n;
                } else {
                    auto& l = loads[a];
                    l.account_id = a;
                    l.households += n;
                    l.load += weight;
                }
            }
        }
        // Open cases by dong, assignee and crisis level.
        {
            long long dong = 0, assignee = 0, level = 0, n = 0;
            soci::statement st =
                (s.prepare << "SELECT dong_id, assigned_account_id, crisis_level, COUNT(*) FROM cases "
                              "WHERE district_id = :d AND stage <> 'closed' "
                              "GROUP BY dong_id, assigned_account_id, crisis_level",
                 soci::use(district_id), soci::into(dong), soci::into(assignee), soci::into(level), soci::into(n));
            st.execute();
            while (st.fetch()) {
                long long weight = case_weight(level) * n;
                auto& dw = dongs[dong];
                dw.dong_id = dong;
                dw.open_cases += n;
                dw.risk += weight;
                auto& l = loads[assignee];
                l.account_id = assignee;
                l.cases += n;
                l.load += weight;
            }
        }
        // Households the latest screening round listed that still wait for an outcome.
        {
            long long dong = 0, n = 0;
            soci::statement st =
                (s.prepare << "SELECT i.dong_id, COUNT(*) FROM screening_items i WHERE i.round_id = "
                              "(SELECT MAX(id) FROM screening_rounds WHERE district_id = :d) AND i.outcome = '' "
                              "GROUP BY i.dong_id",
                 soci::use(district_id), soci::into(dong), soci::into(n));
            st.execute();
            while (st.fetch()) {
                auto& dw = dongs[dong];
                dw.dong_id = dong;
                dw.screening_pending += n;
                dw.risk += kScreeningItemWeight * n;
            }
        }
        // Who does the work: caseworkers and care-team members, by dong.
        {
            long long account = 0, scope = 0;
            std::string role, kind;
            soci::statement st =
                (s.prepare << "SELECT account_id, role, scope_kind, scope_id FROM role_grants WHERE district_id = :d "
                              "AND revoked_at IS NULL AND role IN ('caseworker', 'care_team') ORDER BY account_id",
                 soci::use(district_id), soci::into(account), soci::into(role), soci::into(kind), soci::into(scope));
            st.execute();
            while (st.fetch()) {
                long long dong = kind == "dong" ? scope : 0;
                (role == "caseworker" ? w.caseworker_grants : w.care_team_grants).push_back({account, dong});
            }
        }
    });
    for (auto& [id, d] : dongs) w.dongs.push_back(d);
    for (auto& [id, l] : loads) w.loads.push_back({id, l});
    return w;
}

}  // namespace dure::outreach
