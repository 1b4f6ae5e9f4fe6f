#include "identity/authz.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.hpp"

namespace dure::identity {
namespace {

Principal with(Role r, ScopeKind k, long long scope, long long district = 1) {
    Principal p;
    p.account_id = 7;
    p.district_id = district;
    p.grants.push_back({1, r, k, scope, district, ""});
    return p;
}

TEST(Authz, AnonymousIsUnauthorized) {
    Principal anon;
    EXPECT_FALSE(authorize(anon, Action::read_accounts, {1}).allowed);
    try {
        require(anon, Action::read_accounts, {1});
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::unauthorized);
    }
}

TEST(Authz, DistrictAdminOnlyInOwnDistrict) {
    auto admin = with(Role::district_admin, ScopeKind::district, 1);
    EXPECT_TRUE(authorize(admin, Action::manage_roles, {1}).allowed);
    EXPECT_FALSE(authorize(admin, Action::manage_roles, {2}).allowed);
}

TEST(Authz, DongScopedCaseworkerSeesOnlyTheirDong) {
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    EXPECT_TRUE(authorize(cw, Action::read_person, {1, 10}).allowed);
    EXPECT_FALSE(authorize(cw, Action::read_person, {1, 11}).allowed);
    EXPECT_FALSE(authorize(cw, Action::read_accounts, {1}).allowed);
    EXPECT_TRUE(may_ever(cw, Action::read_person));
}

TEST(Authz, EveryOtherRoleIsRefusedAdminActionsWithAReason) {
    for (const auto& info : all_roles()) {
        if (info.role == Role::district_admin) continue;
        auto p = with(info.role, ScopeKind::district, 1);
        auto d = authorize(p, Action::manage_roles, {1});
        EXPECT_FALSE(d.allowed) << info.code;
        EXPECT_NE(d.reason.find("district_admin"), std::string::npos);
    }
}

TEST(Authz, ThePrivacyOfficerReadsTheAccessLogTheCouncilDoesNot) {
    auto c = with(Role::council, ScopeKind::district, 1);
    EXPECT_FALSE(authorize(c, Action::read_access_log, {1}).allowed);
    EXPECT_FALSE(authorize(c, Action::manage_roles, {1}).allowed);
    auto o = with(Role::privacy_officer, ScopeKind::district, 1);
    EXPECT_TRUE(authorize(o, Action::read_access_log, {1}).allowed);
    EXPECT_TRUE(authorize(o, Action::handle_privacy_requests, {1}).allowed);
    EXPECT_FALSE(authorize(o, Action::handle_privacy_requests, {2}).allowed) << "another district";
    // The officer audits who read what; they never open the records themselves.
    for (auto a : {Action::read_person, Action::reveal_rrn, Action::work_case, Action::read_household,
                   Action::read_checkins, Action::manage_roles})
        EXPECT_FALSE(authorize(o, a, {1, 5}).allowed);
}

// Giving: the council (and only the council) approves distributions; a dong's caseworker takes
// gifts for their dong only; a donor does neither.
TEST(Authz, CouncilApprovesDistributionsAndDongStaffTakeGifts) {
    auto c = with(Role::council, ScopeKind::district, 1);
    EXPECT_TRUE(authorize(c, Action::approve_distribution, {1}).allowed);
    EXPECT_TRUE(authorize(c, Action::read_giving, {1}).allowed);
    EXPECT_FALSE(authorize(c, Action::approve_distribution, {2}).allowed);
    EXPECT_FALSE(authorize(c, Action::take_gift, {1, 10}).allowed);
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    EXPECT_TRUE(authorize(cw, Action::take_gift, {1, 10}).allowed);
    EXPECT_FALSE(authorize(cw, Action::take_gift, {1, 11}).allowed);
    EXPECT_FALSE(authorize(cw, Action::approve_distribution, {1}).allowed);
    for (Role r : {Role::district_admin, Role::caseworker, Role::supervisor, Role::donor, Role::resident})
        EXPECT_FALSE(authorize(with(r, ScopeKind::district, 1), Action::approve_distribution, {1}).allowed);
    EXPECT_FALSE(authorize(with(Role::donor, ScopeKind::district, 1), Action::take_gift, {1, 10}).allowed);
    EXPECT_TRUE(authorize(with(Role::district_admin, ScopeKind::district, 1), Action::export_receipts, {1}).allowed);
    EXPECT_FALSE(authorize(c, Action::export_receipts, {1}).allowed);
    EXPECT_TRUE(authorize(c, Action::manage_campaigns, {1}).allowed);
    EXPECT_FALSE(authorize(c, Action::manage_campaigns, {2}).allowed);
    EXPECT_FALSE(authorize(cw, Action::manage_campaigns, {1}).allowed);
    EXPECT_FALSE(authorize(with(Role::caseworker, ScopeKind::district, 1), Action::export_receipts, {1}).allowed);
}

// The outreach actions: who files reports under their own name, who takes them at the counter,
// and who may open a reported household (officials of its dong or district, nobody else).
TEST(Authz, OutreachActionsByRoleAtDistrictScope) {
    const std::vector<std::pair<Action, std::vector<Role>>> expected = {
        {Action::file_report,
         {Role::gatekeeper, Role::caregiver, Role::care_team, Role::caseworker, Role::district_admin}},
        {Action::take_report, {Role::caseworker, Role::district_admin}},
        {Action::manage_gatekeepers, {Role::caseworker, Role::district_admin}},
        {Action::read_household, {Role::caseworker, Role::district_admin}},
        {Action::triage_household, {Role::caseworker, Role::district_admin}},
    };
    for (const auto& [action, roles] : expected)
        for (const auto& info : all_roles()) {
            auto p = with(info.role, info.scope_kinds.front(), info.scope_kinds.front() == ScopeKind::district ? 1 : 10);
            bool want = std::find(roles.begin(), roles.end(), info.role) != roles.end();
            // Dong- and organization-scoped grants only reach district-wide targets for file_report.
            Target t{1, 10, info.scope_kinds.front() == ScopeKind::organization ? 10 : 0};
            auto d = authorize(p, action, t);
            EXPECT_EQ(d.allowed, want) << info.code << " action " << static_cast<int>(action) << ": " << d.reason;
            EXPECT_FALSE(d.reason.empty());
        }
}

TEST(Authz, GatekeeperFilesAnywhereInTheirDistrictButNeverReadsAHousehold) {
    auto gk = with(Role::gatekeeper, ScopeKind::organization, 55);
    EXPECT_TRUE(authorize(gk, Action::file_report, {1}).allowed);
    EXPECT_TRUE(authorize(gk, Action::file_report, {1, 12}).allowed);
    auto other = authorize(gk, Action::file_report, {2});
    EXPECT_FALSE(other.allowed);
    EXPECT_NE(other.reason.find("in this district"), std::string::npos) << other.reason;
    EXPECT_FALSE(authorize(gk, Action::read_household, {1, 10, 55}).allowed);
    EXPECT_FALSE(authorize(gk, Action::take_report, {1, 10}).allowed);
    EXPECT_TRUE(may_ever(gk, Action::file_report));
    EXPECT_FALSE(may_ever(gk, Action::read_household));
}

TEST(Authz, DongCaseworkerOpensOnlyTheirDongsHouseholds) {
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    EXPECT_TRUE(authorize(cw, Action::read_household, {1, 10}).allowed);
    EXPECT_TRUE(authorize(cw, Action::triage_household, {1, 10}).allowed);
    EXPECT_FALSE(authorize(cw, Action::read_household, {1, 11}).allowed);
    // A household whose dong is not known yet belongs to the district-wide queue.
    EXPECT_FALSE(authorize(cw, Action::read_household, {1, 0}).allowed);
    auto district_cw = with(Role::caseworker, ScopeKind::district, 1);
    EXPECT_TRUE(authorize(district_cw, Action::read_household, {1, 0}).allowed);
    EXPECT_FALSE(authorize(district_cw, Action::read_household, {2, 0}).allowed);
}

TEST(Authz, ResidentsReportOnlyAnonymouslyAndSeeNoHousehold) {
    auto r = with(Role::resident, ScopeKind::district, 1);
    for (auto a : {Action::file_report, Action::take_report, Action::manage_gatekeepers, Action::read_household,
                   Action::triage_household})
        EXPECT_FALSE(authorize(r, a, {1, 10}).allowed) << static_cast<int>(a);
}

// A dong or organization grant covers only targets of its own district: ids from another
// district's records never match (issue 11, item 10).
TEST(Authz, DongAndOrganizationGrantsStayInTheirDistrict) {
    auto cw = with(Role::caseworker, ScopeKind::dong, 10, 2);
    EXPECT_TRUE(authorize(cw, Action::read_person, {2, 10}).allowed);
    EXPECT_FALSE(authorize(cw, Action::read_person, {1, 10}).allowed);
    EXPECT_FALSE(has_role_covering(cw, Role::caseworker, {1, 10}));
    auto fm = with(Role::facility_manager, ScopeKind::organization, 55, 2);
    EXPECT_TRUE(authorize(fm, Action::edit_facility, {2, 0, 55}).allowed);
    EXPECT_FALSE(authorize(fm, Action::edit_facility, {1, 0, 55}).allowed);
}

// Least data by role: care teams never read or register a person; only caseworkers reveal an RRN.
TEST(Authz, PersonRecordsAreForOfficialsAndTheRrnForCaseworkers) {
    for (const auto& info : all_roles()) {
        auto p = with(info.role, info.scope_kinds.front(), info.scope_kinds.front() == ScopeKind::district ? 1 : 10);
        Target t{1, 10, info.scope_kinds.front() == ScopeKind::organization ? 10 : 0};
        bool official = info.role == Role::caseworker || info.role == Role::district_admin;
        EXPECT_EQ(authorize(p, Action::read_person, t).allowed, official) << info.code;
        EXPECT_EQ(authorize(p, Action::create_person, t).allowed, official) << info.code;
        EXPECT_EQ(authorize(p, Action::reveal_rrn, t).allowed, info.role == Role::caseworker) << info.code;
    }
}

// Reassigning a case: a supervisor of the dong or a district admin; never a caseworker, who
// could otherwise take a colleague's case and read its notes.
TEST(Authz, OnlySupervisorsReassignCases) {
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    EXPECT_FALSE(authorize(cw, Action::reassign_case, {1, 10, 0, 7}).allowed);
    auto sup = with(Role::supervisor, ScopeKind::dong, 10);
    EXPECT_TRUE(authorize(sup, Action::reassign_case, {1, 10}).allowed);
    EXPECT_TRUE(authorize(sup, Action::work_case, {1, 10, 0, 99}).allowed);
    EXPECT_FALSE(authorize(sup, Action::reassign_case, {1, 11}).allowed);
    EXPECT_FALSE(authorize(sup, Action::read_person, {1, 10}).allowed);
    EXPECT_TRUE(authorize(with(Role::district_admin, ScopeKind::district, 1), Action::reassign_case, {1, 10}).allowed);
}

// A missing record, another district's and one of a dong the caller does not reach answer alike.
TEST(Authz, RequireRecordAnswersMissingAndNotYoursAlike) {
    auto kind_and_detail = [](const Principal& p, const std::optional<Target>& t) {
        try {
            require_record(p, Action::read_person, t, "person");
        } catch (const Error& e) {
            return std::make_pair(static_cast<int>(e.kind()), std::string(e.what()));
        }
        return std::make_pair(0, std::string("allowed"));
    };
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    auto missing = kind_and_detail(cw, std::nullopt);
    EXPECT_EQ(missing.first, static_cast<int>(ErrorKind::forbidden));
    EXPECT_EQ(kind_and_detail(cw, Target{1, 11}), missing);
    EXPECT_EQ(kind_and_detail(cw, Target{2, 10}), missing);
    EXPECT_EQ(kind_and_detail(cw, Target{1, 10}).first, 0);
    auto admin = with(Role::district_admin, ScopeKind::district, 1);
    auto gone = kind_and_detail(admin, std::nullopt);
    EXPECT_EQ(gone.first, static_cast<int>(ErrorKind::not_found));
    EXPECT_EQ(kind_and_detail(admin, Target{2, 20}), gone);
    EXPECT_EQ(kind_and_detail(Principal{}, Target{1, 10}).first, static_cast<int>(ErrorKind::unauthorized));
}

// Online applications: the officials of the application's dong (or the district), nobody else.
TEST(Authz, ApplicationsAreHandledByTheirDongsOfficials) {
    auto cw = with(Role::caseworker, ScopeKind::dong, 10);
    EXPECT_TRUE(authorize(cw, Action::handle_application, {1, 10}).allowed);
    EXPECT_FALSE(authorize(cw, Action::handle_application, {1, 11}).allowed);
    EXPECT_FALSE(authorize(cw, Action::handle_application, {2, 10}).allowed);
    EXPECT_TRUE(authorize(with(Role::district_admin, ScopeKind::district, 1), Action::handle_application, {1, 11}).allowed);
    for (Role r : {Role::resident, Role::volunteer, Role::caregiver, Role::care_team, Role::council})
        EXPECT_FALSE(authorize(with(r, ScopeKind::district, 1), Action::handle_application, {1, 10}).allowed);
}

}  // namespace
}  // namespace dure::identity
