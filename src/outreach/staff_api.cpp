// The staff directory over HTTP: GET /api/v1/outreach/staff?dong=&role= lists who serves a dong as
// caseworker, care-team member or caregiver, so officials pick a colleague by name instead of
// typing an account number. Names and roles only: never an e-mail address or a phone number.
#include <algorithm>
#include <map>
#include <utility>

#include "http/json.hpp"
#include "outreach/api_internal.hpp"

namespace dure::outreach {

namespace json = boost::json;
using http::Request;
using identity::Action;

namespace {

// The roles the directory lists, in the order they are listed, and the action that assigns them:
// caseworkers take households (triage_household), caregivers and care-team members take
// check-in assignments (manage_checkins).
struct DirectoryRole {
    const char* code;
    Action assigns;
};
constexpr DirectoryRole kRoles[] = {
    {"caseworker", Action::triage_household},
    {"care_team", Action::manage_checkins},
    {"caregiver", Action::manage_checkins},
};

// ?dong=: required, a dong of the caller's district.
long long dong_param(Context& c, const Request& req, long long district_id, FieldErrors& errors) {
    auto v = req.query_param("dong");
    if (!v) {
        errors.add("dong", "required", "the dong whose staff to list (its id)");
        return 0;
    }
    if (v->empty() || v->size() > 15 || v->find_first_not_of("0123456789") != std::string::npos) {
        errors.add("dong", "not_an_integer", "a dong id");
        return 0;
    }
    long long id = std::stoll(*v);
    auto dongs = dongs_of(c, district_id);
    if (std::none_of(dongs.begin(), dongs.end(), [&](const auto& d) { return d.id == id; })) {
        errors.add("dong", "unknown_dong", "no such dong in this district");
        return 0;
    }
    return id;
}

// ?role=: absent for all three; otherwise one parameter, roles separated by commas
// (role=caregiver,care_team). Repeating the parameter is refused rather than half read.
std::vector<const DirectoryRole*> role_param(const Request& req, FieldErrors& errors) {
    std::vector<const DirectoryRole*> out;
    int given = 0;
    for (const auto& [k, v] : req.query)
        if (k == "role") ++given;
    if (given == 0) {
        for (const auto& r : kRoles) out.push_back(&r);
        return out;
    }
    if (given > 1) {
        errors.add("role", "repeated", "give role once, with the roles separated by commas");
        return out;
    }
    std::string list = *req.query_param("role");
    std::size_t start = 0;
    while (start <= list.size()) {
        auto end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        std::string code = list.substr(start, end - start);
        auto it = std::find_if(std::begin(kRoles), std::end(kRoles), [&](const auto& r) { return code == r.code; });
        if (it == std::end(kRoles)) {
            errors.add("role", "unknown_role", "caseworker, care_team or caregiver, separated by commas");
            return {};
        }
        if (std::find(out.begin(), out.end(), &*it) == out.end()) out.push_back(&*it);
        start = end + 1;
    }
    return out;
}

}  // namespace

void add_staff_route(http::Router& router, ContextPtr ctx) {
    router.add(
        {"GET", "/api/v1/outreach/staff",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             // Someone who may assign nobody anywhere learns nothing, not even which dongs exist.
             if (!identity::may_ever(p, Action::triage_household) && !identity::may_ever(p, Action::manage_checkins))
                 identity::require(p, Action::triage_household, {p.district_id});
             FieldErrors errors;
             long long dong = dong_param(c, req, p.district_id, errors);
             auto roles = role_param(req, errors);
             errors.throw_if_any();
             for (const auto* r : roles) identity::require(p, r->assigns, {p.district_id, dong});

             std::vector<std::string> codes;
             for (const auto* r : roles) codes.push_back(r->code);
             // One row per account and role; a district grant next to a dong grant makes it district-wide.
             std::map<std::pair<long long, std::string>, identity::StaffMember> rows;
             for (auto& m : c.ids.store().staff(p.district_id, dong, codes)) {
                 auto key = std::make_pair(m.account_id, m.role);
                 auto [it, fresh] = rows.emplace(key, m);
                 if (!fresh) it->second.district_wide = it->second.district_wide || m.district_wide;
             }
             std::vector<identity::StaffMember> list;
             for (auto& [k, m] : rows) list.push_back(std::move(m));
             auto rank = [](const std::string& role) {
                 for (std::size_t i = 0; i < std::size(kRoles); ++i)
                     if (role == kRoles[i].code) return i;
                 return std::size(kRoles);
             };
             std::stable_sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
                 if (rank(a.role) != rank(b.role)) return rank(a.role) < rank(b.role);
                 if (a.name != b.name) return a.name < b.name;
                 return a.account_id < b.account_id;
             });
             json::array items;
             for (const auto& m : list)
                 items.push_back(json::object{{"account_id", m.account_id},
                                              {"name", m.name},
                                              {"role", m.role},
                                              {"district_wide", m.district_wide}});
             auto r = http::json_response(200, json::object{{"items", std::move(items)}});
             r.set_header("Cache-Control", "no-store");
             return r;
         },
         "Who serves a dong, to pick by name when assigning: caseworkers, care-team members and "
         "caregivers with a grant for the dong or the district (dong required; role optional, "
         "comma-separated: caseworker, care_team, caregiver). Names and roles only, no contact details",
         "outreach"});
}

}  // namespace dure::outreach
