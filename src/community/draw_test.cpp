// The draw function against fixed vectors computed independently (Python hashlib, the formula in
// docs/community.md), and its refusals.
#include "community/draw.hpp"

#include <gtest/gtest.h>

#include "common/error.hpp"

namespace dure::community {
namespace {

std::vector<std::string> ten() {
    std::vector<std::string> v;
    for (int i = 1; i <= 10; ++i) v.push_back((i < 10 ? "E-00" : "E-0") + std::to_string(i));
    return v;
}

std::string field_of(const std::vector<std::string>& codes, const std::string& seed, long long k) {
    try {
        run_draw(codes, seed, k);
    } catch (const Error& e) {
        return e.fields().front().field + ":" + e.fields().front().code;
    }
    return "(none)";
}

TEST(CommunityDraw, FixedVectors) {
    auto codes = ten();
    EXPECT_EQ(list_hash(codes), "71722631d5c9a170ccd1620bb604c04d134d1005b9bbe11e0df58b13babaa326");
    auto r = run_draw(codes, "07-23-41 observer 3", 3);
    EXPECT_EQ(r.key, "b37804b8a9a757dd195f66b53a9038845817ed43127d5a09256346880b2560ed");
    EXPECT_EQ(r.order, (std::vector<std::string>{"E-008", "E-005", "E-004", "E-002", "E-007", "E-010", "E-009", "E-003",
                                                 "E-001", "E-006"}));
    EXPECT_EQ(r.winners, (std::vector<std::string>{"E-008", "E-005", "E-004"}));
    EXPECT_EQ(run_draw(codes, "1152", 3).winners, (std::vector<std::string>{"E-010", "E-001", "E-005"}));
}

TEST(CommunityDraw, TheOrderOfTheListDoesNotMatter) {
    auto codes = ten();
    auto a = run_draw(codes, "seed", 4);
    std::reverse(codes.begin(), codes.end());
    auto b = run_draw(codes, "seed", 4);
    EXPECT_EQ(a.list_hash, b.list_hash);
    EXPECT_EQ(a.winners, b.winners);
    EXPECT_NE(run_draw(codes, "seed2", 4).order, a.order) << "another seed, another order";
}

TEST(CommunityDraw, Refusals) {
    EXPECT_EQ(field_of(ten(), "s", 11), "winner_count:more_than_entrants");
    EXPECT_EQ(field_of(ten(), "s", 0), "winner_count:too_small");
    EXPECT_EQ(field_of(ten(), "", 1), "seed:required");
    EXPECT_EQ(field_of({}, "s", 1), "entrants:empty");
    EXPECT_EQ(field_of({"A", "A"}, "s", 1), "entrants:duplicate_code");
    EXPECT_EQ(field_of({"김민수"}, "s", 1), "entrants:invalid_code");
}

TEST(CommunityDraw, MasksNames) {
    EXPECT_EQ(mask_name("김민수"), "김*수");
    EXPECT_EQ(mask_name("남궁민수"), "남**수");
    EXPECT_EQ(mask_name("이솔"), "이*");
    EXPECT_EQ(mask_name("Kim"), "K*m");
    EXPECT_EQ(mask_name(""), "*");
}

}  // namespace
}  // namespace dure::community
