#include "identity/authz.hpp"

#include <algorithm>
#include <initializer_list>

#include "common/error.hpp"

namespace dure::identity {

namespace {

struct Policy {
    Action action;
    std::string_view name;
    std::initializer_list<Role> roles;
};

// Which roles may perform each action; the grant's scope must also cover the target.
const Policy kPolicies[] = {
    {Action::read_accounts, "read accounts", {Role::district_admin}},
    {Action::manage_roles, "manage roles", {Role::district_admin}},
    {Action::manage_api_tokens, "manage API tokens", {Role::district_admin}},
    {Action::read_access_log, "read the access log", {Role::district_admin, Role::council}},
    {Action::create_person, "register a person", {Role::caseworker, Role::care_team, Role::district_admin}},
    {Action::read_person, "read a person's record", {Role::caseworker, Role::care_team, Role::district_admin}},
    {Action::edit_catalog, "edit the service catalogue", {Role::district_admin, Role::caseworker}},
    // A facility manager's grant is scoped to their organization, so they reach only its facilities.
    {Action::edit_facility, "edit a facility", {Role::district_admin, Role::caseworker, Role::facility_manager}},
    // Targets carry the district and the facility's organization (no dong): the facility's own
    // manager or a district-wide official.
    {Action::submit_disclosure, "submit a facility disclosure", {Role::facility_manager, Role::district_admin}},
    // Targets carry only the district, so a caseworker needs a district grant.
    {Action::approve_disclosure, "approve a facility disclosure", {Role::district_admin, Role::caseworker}},
    {Action::post_news, "post welfare news", {Role::district_admin, Role::caseworker}},
    // A caseworker scoped to a dong uploads that dong's figures; whole-district rows need a district grant.
    {Action::upload_statistics, "upload statistics", {Role::district_admin, Role::caseworker}},
    {Action::import_boundaries, "import dong boundaries", {Role::district_admin}},
};

bool covers(const Grant& g, const Target& t) {
    switch (g.scope_kind) {
        case ScopeKind::district: return t.district_id != 0 && g.scope_id == t.district_id;
        case ScopeKind::dong: return t.dong_id != 0 && g.scope_id == t.dong_id;
        case ScopeKind::organization: return t.organization_id != 0 && g.scope_id == t.organization_id;
    }
    return false;
}

}  // namespace

bool has_role_covering(const Principal& who, Role role, const Target& target) {
    return std::any_of(who.grants.begin(), who.grants.end(),
                       [&](const Grant& g) { return g.role == role && covers(g, target); });
}

Decision authorize(const Principal& who, Action action, const Target& target) {
    if (!who.authenticated()) return {false, "not logged in"};
    for (const auto& p : kPolicies) {
        if (p.action != action) continue;
        for (Role r : p.roles)
            if (has_role_covering(who, r, target))
                return {true, std::string(to_string(r)) + " grant covers the target"};
        std::string roles;
        for (Role r : p.roles) roles += (roles.empty() ? "" : ", ") + std::string(to_string(r));
        return {false, "to " + std::string(p.name) + " you need one of: " + roles + ", for this " +
                           (target.dong_id ? "dong" : target.organization_id ? "organization" : "district")};
    }
    return {false, "unknown action"};
}

bool may_ever(const Principal& who, Action action) {
    for (const auto& p : kPolicies) {
        if (p.action != action) continue;
        for (Role r : p.roles)
            for (const auto& g : who.grants)
                if (g.role == r) return true;
    }
    return false;
}

void require(const Principal& who, Action action, const Target& target) {
    if (!who.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
    auto d = authorize(who, action, target);
    if (!d.allowed) throw Error(ErrorKind::forbidden, d.reason);
}

}  // namespace dure::identity
