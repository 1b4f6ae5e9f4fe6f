// Risk-weighted workload over HTTP: GET /api/v1/outreach/workload shows, per dong the caller
// serves, the open work and its risk, who carries how much, and how the district's care-team
// members would be shared out by risk; pick_assignee backs `{"auto": true}` on assign.
#include <map>
#include <set>

#include "http/json.hpp"
#include "outreach/api_internal.hpp"
#include "outreach/workload.hpp"

namespace dure::outreach {

namespace json = boost::json;
using identity::Action;

namespace {

// The district's caseworkers with their grants, names and loads: one account read each per request.
struct Caseworker {
    identity::Principal who;
    StaffLoad load;
};
std::vector<Caseworker> caseworkers(Context& c, const WorkloadData& w) {
    std::map<long long, StaffLoad> load(w.loads.begin(), w.loads.end());
    std::set<long long> seen;
    std::vector<Caseworker> out;
    for (const auto& [account, dong] : w.caseworker_grants) {
        if (!seen.insert(account).second) continue;
        auto acc = c.ids.store().account(account);
        if (!acc) continue;
        Caseworker cw;
        cw.who.account_id = acc->id;
        cw.who.district_id = acc->district_id;
        cw.who.grants = acc->grants;
        cw.load = load.count(account) ? load[account] : StaffLoad{};
        cw.load.account_id = account;
        cw.load.name = acc->name;
        out.push_back(std::move(cw));
    }
    return out;
}

// Those who may take on a household of `dong_id`, with their load.
std::vector<StaffLoad> candidates(const std::vector<Caseworker>& staff, long long district_id, long long dong_id) {
    std::vector<StaffLoad> out;
    for (const auto& s : staff)
        if (identity::authorize(s.who, Action::read_household, {district_id, dong_id}).allowed) out.push_back(s.load);
    return out;
}

}  // namespace

AutoAssignment pick_assignee(Context& c, const Household& h, const char* field) {
    auto w = measure_workload(c.db, h.district_id);
    auto staff = candidates(caseworkers(c, w), h.district_id, h.dong_id);
    auto pick = least_loaded(staff);
    if (!pick) {
        FieldErrors errors;
        errors.add(field, "no_caseworker", "no caseworker serves this household's dong; assign someone by account_id");
        errors.throw_if_any();
    }
    return {staff[pick->index].account_id, pick->reason, pick->reason_ko};
}

void add_workload_route(http::Router& router, ContextPtr ctx) {
    router.add(
        {"GET", "/api/v1/outreach/workload",
         [ctx](http::Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             auto reach = reach_of(c, p, Action::triage_household, p.district_id);
             auto w = measure_workload(c.db, p.district_id);
             auto dongs = dongs_of(c, p.district_id);

             // Risk per dong over the whole district, so the suggested share is the same for everyone.
             std::map<long long, DongWork> work;
             for (const auto& d : w.dongs) work[d.dong_id] = d;
             std::vector<long long> risk;
             for (const auto& d : dongs) risk.push_back(work.count(d.id) ? work[d.id].risk : 0);
             std::set<long long> members;
             std::map<long long, std::set<long long>> members_of, caseworkers_of;
             for (const auto& [a, d] : w.care_team_grants) {
                 members.insert(a);
                 if (d) members_of[d].insert(a);
             }
             for (const auto& [a, d] : w.caseworker_grants)
                 if (d) caseworkers_of[d].insert(a);
             auto suggested = allocate_members(static_cast<long long>(members.size()), risk);
             long long total_risk = 0;
             for (auto r : risk) total_risk += r;

             json::array rows;
             for (size_t i = 0; i < dongs.size(); ++i) {
                 const auto& d = dongs[i];
                 if (!reach.covers(d.id)) continue;
                 DongWork dw = work.count(d.id) ? work[d.id] : DongWork{};
                 long long cw = static_cast<long long>(caseworkers_of[d.id].size());
                 long long ct = static_cast<long long>(members_of[d.id].size());
                 rows.push_back(json::object{
                     {"dong", json::object{{"id", d.id}, {"code", d.code}, {"name_ko", d.name_ko}, {"name_en", d.name_en}}},
                     {"open_households", dw.open_households},
                     {"unassigned", dw.unassigned},
                     {"open_cases", dw.open_cases},
                     {"screening_pending", dw.screening_pending},
                     {"risk", dw.risk},
                     {"caseworkers", cw},
                     {"risk_per_caseworker", cw ? json::value(double(dw.risk) / double(cw)) : json::value(nullptr)},
                     {"care_team_members", ct},
                     {"suggested_care_team_members", suggested[i]},
                     {"reason", "risk " + std::to_string(dw.risk) + " of the district's " + std::to_string(total_risk) +
                                    " → " + std::to_string(suggested[i]) + " of " + std::to_string(members.size()) +
                                    " care-team members"},
                     {"reason_ko", "위험도 " + std::to_string(dw.risk) + "(구 전체 " + std::to_string(total_risk) +
                                       ") → 돌봄 인력 " + std::to_string(members.size()) + "명 중 " +
                                       std::to_string(suggested[i]) + "명"}});
             }
             // Caseworkers of the dongs in reach, most loaded first.
             json::array staff;
             std::set<long long> listed;
             std::vector<StaffLoad> loads;
             auto all_staff = caseworkers(c, w);
             for (const auto& d : dongs) {
                 if (!reach.covers(d.id)) continue;
                 for (auto& s : candidates(all_staff, p.district_id, d.id))
                     if (listed.insert(s.account_id).second) loads.push_back(s);
             }
             std::stable_sort(loads.begin(), loads.end(), [](auto& a, auto& b) { return a.load > b.load; });
             for (const auto& s : loads) {
                 json::array their;
                 for (const auto& [a, d] : w.caseworker_grants)
                     if (a == s.account_id) their.push_back(d ? json::value(d) : json::value(nullptr));
                 staff.push_back(json::object{{"account_id", s.account_id}, {"name", s.name}, {"dong_ids", their},
                                              {"households", s.households}, {"cases", s.cases}, {"load", s.load}});
             }
             return http::json_response(
                 200, json::object{{"dongs", std::move(rows)},
                                   {"staff", std::move(staff)},
                                   {"care_team_members", static_cast<long long>(members.size())},
                                   {"weights", json::object{{"household", json::object{{"urgent", 3}, {"high", 2}, {"normal", 1}}},
                                                            {"case", "crisis level 1–4 (2 until assessed)"},
                                                            {"screening_pending", kScreeningItemWeight}}}});
         },
         "Risk-weighted workload of the dongs the caller triages: open households, cases and "
         "screening items per dong with their weighted risk, caseworkers' loads, and how the "
         "district's care-team members would be shared out by risk",
         "outreach"});
}

}  // namespace dure::outreach
