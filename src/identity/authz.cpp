#include "identity/authz.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>

#include "common/error.hpp"

namespace dure::identity {

namespace {

// How a grant must relate to the target. `covering`: its scope is the target's district, dong or
// organization. `in_district`: any grant of the role in the target's district, whatever its scope
// (a postal worker registered for one dong still reports what they see in the next one).
// `assigned`: covering, and the target is assigned to the caller (a caregiver's own residents).
enum class Reach { covering, in_district, assigned };

struct Policy {
    Action action;
    std::string_view name;
    std::initializer_list<Role> roles;
    Reach reach = Reach::covering;
};

// Which roles may perform each action; the grant's scope must also cover the target.
const Policy kPolicies[] = {
    {Action::read_accounts, "read accounts", {Role::district_admin}},
    {Action::manage_roles, "manage roles", {Role::district_admin}},
    {Action::manage_api_tokens, "manage API tokens", {Role::district_admin}},
    // The privacy officer oversees who read what; the welfare council (which has members from
    // outside the district office) does not read the access log (review: least privilege).
    {Action::read_access_log, "read the access log", {Role::privacy_officer, Role::district_admin}},
    {Action::handle_privacy_requests, "decide residents' privacy requests", {Role::privacy_officer, Role::district_admin}},
    // Officials only: care teams include resident members, who see a resident through their
    // check-in task (name, phone), never the record (docs/privacy.md).
    {Action::create_person, "register a person", {Role::caseworker, Role::district_admin}},
    {Action::read_person, "read a person's record", {Role::caseworker, Role::district_admin}},
    // The full resident registration number: only the caseworkers who file benefit applications with it.
    {Action::reveal_rrn, "see a resident registration number in full", {Role::caseworker}},
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
    // Anyone may report anonymously on the public form; this is reporting under one's own name,
    // as the partner API does, so the report is attributed and the reporter can follow its status.
    {Action::file_report, "file a report as a gatekeeper or official",
     {Role::gatekeeper, Role::caregiver, Role::care_team, Role::caseworker, Role::district_admin}, Reach::in_district},
    // Intake writes a household's personal data and answers with its merged record: officials of its dong.
    {Action::take_report, "take a report at the hotline or counter", {Role::caseworker, Role::district_admin}},
    {Action::manage_gatekeepers, "manage gatekeepers", {Role::caseworker, Role::district_admin}},
    // Officials only: care teams include resident members, who will see households through cases.
    // A household whose dong is not known yet has no dong in its target, so only district grants reach it.
    {Action::read_household, "open reported households", {Role::caseworker, Role::district_admin}},
    {Action::triage_household, "triage reported households", {Role::caseworker, Role::district_admin}},
    {Action::manage_checkins, "assign caregivers and check-in cadences", {Role::caseworker, Role::district_admin}},
    {Action::read_checkins, "see check-ins and escalations", {Role::care_team, Role::caseworker, Role::district_admin}},
    // Two rules: officials and care teams of the dong, or the caregiver the resident is assigned to.
    {Action::record_checkin, "record a check-in", {Role::care_team, Role::caseworker, Role::district_admin}},
    {Action::record_checkin, "record a check-in", {Role::caregiver}, Reach::assigned},
    {Action::open_case, "open a case", {Role::caseworker, Role::district_admin}},
    // Case notes: the assigned caseworker, or a supervisor (a district-wide administrator).
    {Action::work_case, "work on a case", {Role::caseworker}, Reach::assigned},
    {Action::work_case, "work on a case", {Role::supervisor, Role::district_admin}},
    // Handing a case on: never a caseworker to themselves (they would then read its notes).
    {Action::reassign_case, "reassign a case", {Role::supervisor, Role::district_admin}},
    {Action::conduct_survey, "enter survey interviews", {Role::care_team, Role::caseworker, Role::district_admin}},
    // Help matching's 담당자: a project manager (district or organization grant), or a caseworker
    // of the dong (dong centres connect their own residents). Targets carry the district and dong.
    {Action::manage_sharing, "vet and connect help offers and needs",
     {Role::project_manager, Role::caseworker, Role::district_admin}},
    // The council reads aggregates only (cells of 1-4 suppressed), never a person.
    {Action::read_sharing_report, "read the help-matching report", {Role::council, Role::project_manager, Role::district_admin}},
    // Giving (docs/giving.md): the dong's counter officials take gifts for the legal collector;
    // only the welfare council approves what is distributed and sees which household received it.
    {Action::take_gift, "take gifts at a counter", {Role::caseworker, Role::district_admin}},
    {Action::approve_distribution, "approve a distribution", {Role::council}},
    {Action::read_giving, "read gifts and distributions with households", {Role::council}},
    // The receipt identifiers go to the collector, who issues receipts: a district administrator
    // hands them over; the council and counter staff never see them.
    {Action::export_receipts, "export receipt data for the collector", {Role::district_admin}},
    {Action::manage_campaigns, "create giving campaigns and donation days", {Role::council, Role::district_admin}},
    // Events, draws and spaces belong to a dong or an organization (a family centre, a welfare centre):
    // their officials, or the organization's managers.
    {Action::manage_community, "organize community events, draws and spaces",
     {Role::caseworker, Role::district_admin, Role::facility_manager, Role::project_manager}},
    // Online applications (docs/applications.md): the officials of the application's dong (or the
    // district); they read its answers and files (logged), ask for documents and decide.
    {Action::handle_application, "handle online applications", {Role::caseworker, Role::district_admin}},
};

// The district is part of every grant: a dong or organization grant covers only targets of its
// own district, so ids taken from another district's records never match.
bool covers(const Grant& g, const Target& t) {
    switch (g.scope_kind) {
        case ScopeKind::district: return t.district_id != 0 && g.scope_id == t.district_id;
        case ScopeKind::dong: return t.dong_id > 0 && g.scope_id == t.dong_id && g.district_id == t.district_id;
        case ScopeKind::organization:
            return t.organization_id != 0 && g.scope_id == t.organization_id && g.district_id == t.district_id;
    }
    return false;
}

}  // namespace

bool has_role_covering(const Principal& who, Role role, const Target& target) {
    return std::any_of(who.grants.begin(), who.grants.end(),
                       [&](const Grant& g) { return g.role == role && covers(g, target); });
}

namespace {

bool reaches(const Principal& who, Role role, const Target& target, Reach reach) {
    if (reach == Reach::covering) return has_role_covering(who, role, target);
    if (reach == Reach::assigned)
        return target.assignee_account_id != 0 && target.assignee_account_id == who.account_id &&
               has_role_covering(who, role, target);
    return std::any_of(who.grants.begin(), who.grants.end(), [&](const Grant& g) {
        return g.role == role && target.district_id != 0 && g.district_id == target.district_id;
    });
}

}  // namespace

Decision authorize(const Principal& who, Action action, const Target& target) {
    if (!who.authenticated()) return {false, "not logged in"};
    std::optional<Decision> denied;  // the first rule's reason, when no rule allows
    for (const auto& p : kPolicies) {
        if (p.action != action) continue;
        for (Role r : p.roles)
            if (reaches(who, r, target, p.reach))
                return {true, std::string(to_string(r)) + (p.reach == Reach::covering   ? " grant covers the target"
                                                           : p.reach == Reach::assigned ? " assigned to this resident"
                                                                                        : " grant in this district")};
        if (denied) continue;
        std::string roles;
        for (Role r : p.roles) roles += (roles.empty() ? "" : ", ") + std::string(to_string(r));
        if (p.reach == Reach::in_district)
            denied = Decision{false, "to " + std::string(p.name) + " you need one of: " + roles + ", in this district"};
        else
            denied = Decision{false, "to " + std::string(p.name) + " you need one of: " + roles + ", for this " +
                                         (target.dong_id ? "dong" : target.organization_id ? "organization" : "district") +
                                         (action == Action::record_checkin ? " (or be the resident's assigned caregiver)"
                                          : action == Action::work_case ? " (or be the case's assigned caseworker)"
                                                                        : "")};
    }
    return denied.value_or(Decision{false, "unknown action"});
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

void require_record(const Principal& who, Action action, const std::optional<Target>& target, const std::string& what) {
    if (!who.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
    if (target && target->district_id == who.district_id) return require(who, action, *target);
    // Missing, or another district's: answer as for a record in a dong of the caller's own
    // district that none of their dong grants reach (dong -1 matches no grant).
    require(who, action, Target{who.district_id, -1});
    throw Error(ErrorKind::not_found, "no such " + what);
}

}  // namespace dure::identity
