#include "outreach/workload.hpp"

#include <gtest/gtest.h>

namespace dure::outreach {
namespace {

TEST(OutreachWorkload, WeightsFollowPriorityAndCrisisLevel) {
    EXPECT_EQ(household_weight(Urgency::urgent), 3);
    EXPECT_EQ(household_weight(Urgency::high), 2);
    EXPECT_EQ(household_weight(Urgency::normal), 1);
    EXPECT_EQ(case_weight(0), 2);  // not assessed yet
    EXPECT_EQ(case_weight(1), 1);
    EXPECT_EQ(case_weight(4), 4);
    EXPECT_EQ(case_weight(9), 4);
}

TEST(OutreachWorkload, TheLeastLoadedCaseworkerIsPickedAndTheReasonSaysWhy) {
    std::vector<StaffLoad> staff{{11, "가", 2, 1, 7}, {12, "나", 4, 0, 4}, {13, "다", 1, 1, 5}};
    auto p = least_loaded(staff);
    ASSERT_TRUE(p);
    EXPECT_EQ(staff[p->index].account_id, 12);  // more items, but lighter ones
    EXPECT_NE(p->reason.find("load 4"), std::string::npos) << p->reason;
    EXPECT_NE(p->reason.find("of 3 caseworkers"), std::string::npos) << p->reason;
    EXPECT_NE(p->reason.find("next lowest 5"), std::string::npos) << p->reason;
    EXPECT_EQ(p->reason_ko, "담당 공무원 3명 중 위험 가중 업무량이 가장 적음: 4(가구 4, 사례 0), 다음으로 적은 업무량 5");
}

TEST(OutreachWorkload, TiesGoToFewerItemsThenTheLowerId) {
    std::vector<StaffLoad> staff{{21, "", 3, 0, 3}, {22, "", 1, 0, 3}, {20, "", 1, 0, 3}};
    EXPECT_EQ(staff[least_loaded(staff)->index].account_id, 20);
    EXPECT_FALSE(least_loaded({}));
}

TEST(OutreachWorkload, MembersGoWhereTheRiskIs) {
    // 10 members, risk 60 / 30 / 10 / 0: the riskiest dong gets the most, the quiet one none.
    auto a = allocate_members(10, {60, 30, 10, 0});
    EXPECT_EQ(a, (std::vector<long long>{5, 3, 2, 0}));
    long long sum = 0;
    for (auto n : allocate_members(7, {5, 5, 5})) sum += n;
    EXPECT_EQ(sum, 7);
}

TEST(OutreachWorkload, EveryRiskyDongGetsSomeoneWhenThereAreEnoughMembers) {
    auto a = allocate_members(3, {100, 1, 1});
    EXPECT_EQ(a, (std::vector<long long>{1, 1, 1}));
    // Fewer members than risky dongs: by risk alone.
    auto b = allocate_members(1, {1, 100, 1});
    EXPECT_EQ(b, (std::vector<long long>{0, 1, 0}));
    EXPECT_EQ(allocate_members(5, {0, 0}), (std::vector<long long>{0, 0}));
    EXPECT_EQ(allocate_members(0, {3}), (std::vector<long long>{0}));
}

}  // namespace
}  // namespace dure::outreach
