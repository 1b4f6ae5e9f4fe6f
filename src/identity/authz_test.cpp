#include "identity/authz.hpp"

#include <gtest/gtest.h>

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

TEST(Authz, CouncilReadsAccessLogButCannotGrant) {
    auto c = with(Role::council, ScopeKind::district, 1);
    EXPECT_TRUE(authorize(c, Action::read_access_log, {1}).allowed);
    EXPECT_FALSE(authorize(c, Action::manage_roles, {1}).allowed);
}

}  // namespace
}  // namespace dure::identity
