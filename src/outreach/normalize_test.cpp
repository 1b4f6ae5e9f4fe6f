#include "outreach/normalize.hpp"

#include <gtest/gtest.h>

namespace dure::outreach {
namespace {

TEST(OutreachNormalize, OneAddressWrittenManyWaysBecomesOneKey) {
    const std::string expected = "느티로 12 301 호";
    for (const char* a : {"서울특별시 한빛구 느티로 12, 301호", "한빛구 느티로12 301호", "느티로 12 제301호",
                          "서울 한빛구 느티로 12 301 호 (느티동, 한빛빌라)", "느티로　１２　３０１호",
                          "  느티로 12,   301호  "})
        EXPECT_EQ(normalize_address(a), expected) << a;
}

TEST(OutreachNormalize, DifferentUnitsAndLotNumbersStayApart) {
    EXPECT_NE(normalize_address("느티로 12 301호"), normalize_address("느티로 12 302호"));
    EXPECT_NE(normalize_address("느티로 12"), normalize_address("느티로 1 2"));
    // A lot number keeps its dash; "123번지" and "123" are the same lot.
    EXPECT_EQ(normalize_address("느티동 123-4번지"), "느티동 123-4");
    EXPECT_EQ(normalize_address("느티동 123–4"), "느티동 123-4");
    EXPECT_NE(normalize_address("느티동 123-4"), normalize_address("느티동 1234"));
    EXPECT_EQ(normalize_address("느티로12번길 5"), "느티로 12 번길 5");
}

TEST(OutreachNormalize, RegionNamesAreDroppedOnlyInFront) {
    EXPECT_EQ(normalize_address("경기도 성남시 분당구 정자로 1"), "정자로 1");
    // A lone word is kept even when it looks like a district name.
    EXPECT_EQ(normalize_address("한빛구"), "한빛구");
    EXPECT_EQ(normalize_address("(느티동)"), "");
    EXPECT_EQ(normalize_address(""), "");
}

TEST(OutreachNormalize, NamesIgnoreSpacesAndCase) {
    EXPECT_EQ(normalize_name(" 김 영수 "), "김영수");
    EXPECT_EQ(normalize_name("Kim Young-su"), normalize_name("kim young-su"));
    EXPECT_EQ(normalize_name("ＫＩＭ"), "kim");
}

TEST(OutreachNormalize, PhonesMobileAndLandline) {
    EXPECT_EQ(normalize_any_phone("010-1234-5678"), "01012345678");
    EXPECT_EQ(normalize_any_phone("+82 10 1234 5678"), "01012345678");
    EXPECT_EQ(normalize_any_phone("02-123-4567"), "021234567");
    EXPECT_EQ(normalize_any_phone("(02) 1234-5678"), "0212345678");
    EXPECT_EQ(normalize_any_phone("031-123-4567"), "0311234567");
    EXPECT_EQ(normalize_any_phone("070-1234-5678"), "07012345678");
    for (const char* bad :
         {"", "119", "1234-5678", "010-1234", "09-123-4567", "02-123-4567 ext 3", "01012345678901"})
        EXPECT_EQ(normalize_any_phone(bad), "") << bad;
}

TEST(OutreachNormalize, InferDongFromTheAddress) {
    std::vector<identity::Dong> dongs = {{1, 9, "neuti", "느티동", "Neuti-dong"},
                                         {2, 9, "garam1", "가람1동", "Garam 1-dong"},
                                         {3, 9, "solnae", "솔내동", "Solnae-dong"}};
    EXPECT_EQ(infer_dong("한빛구 느티로 12 (느티동)", dongs), 1);
    EXPECT_EQ(infer_dong("가람제1동 12-3", dongs), 2);
    EXPECT_EQ(infer_dong("한빛구 느티로 12", dongs), 0);
    EXPECT_EQ(infer_dong("느티동 솔내동 경계", dongs), 0) << "two dongs named: not a guess";
    EXPECT_EQ(resolve_dong("솔내동", dongs), 3);
    EXPECT_EQ(resolve_dong(" neuti ", dongs), 1);
    EXPECT_EQ(resolve_dong("Garam 1-dong", dongs), 2);
    EXPECT_EQ(resolve_dong("2", dongs), 2);
    EXPECT_EQ(resolve_dong("가람제1동", dongs), 2);
    EXPECT_EQ(resolve_dong("없는동", dongs), 0);
}

TEST(OutreachNormalize, BrokenUtf8NeverCrashes) {
    std::string junk = "\xff\xfe\xc3(\xe2\x82 느티로 \xf0\x9f";
    EXPECT_NO_THROW(normalize_address(junk));
    EXPECT_NO_THROW(normalize_name(junk));
    EXPECT_EQ(infer_dong(junk, {}), 0);
}

}  // namespace
}  // namespace dure::outreach
