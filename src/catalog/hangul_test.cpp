#include "catalog/hangul.hpp"

#include <gtest/gtest.h>

namespace dure::catalog::hangul {
namespace {

TEST(Hangul, DecomposesSyllableIntoItsParts) {
    auto s = decompose(U'각');
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->initial, 0);  // ㄱ
    EXPECT_EQ(s->medial, 0);   // ㅏ
    EXPECT_EQ(s->final, 1);    // ㄱ
    EXPECT_EQ(compose(*s), U'각');
    EXPECT_FALSE(decompose(U'a').has_value());
    EXPECT_FALSE(decompose(U'ㄱ').has_value());
}

TEST(Hangul, ExtractsInitialConsonants) {
    EXPECT_EQ(initial_consonants(U"기초연금"), U"ㄱㅊㅇㄱ");
    EXPECT_EQ(initial_consonants(U"쌍둥이 까치"), U"ㅆㄷㅇㄲㅊ");
    EXPECT_EQ(initial_consonants(U"basic 연금"), U"ㅇㄱ");
}

TEST(Hangul, RecognizesInitialsOnlyQueries) {
    EXPECT_TRUE(is_initials_query(U"ㄱㅊㅇㄱ"));
    EXPECT_TRUE(is_initials_query(U"ㄴㅇ ㅇㅈㄹ"));
    EXPECT_FALSE(is_initials_query(U"ㄱ"));
    EXPECT_FALSE(is_initials_query(U"ㄱㅊ연금"));
    EXPECT_FALSE(is_initials_query(U"ㅏㅓ"));  // vowels are not initials
}

TEST(Hangul, CountsTyposInJamo) {
    EXPECT_EQ(jamo_edit_distance(U"기초연굼", U"기초연금"), 1);
    EXPECT_EQ(jamo_edit_distance(U"아동수당", U"아동수당"), 0);
    EXPECT_EQ(jamo_edit_distance(U"월세", U"월새"), 1);
    EXPECT_EQ(jamo_edit_distance(U"각", U"가"), 1);  // a dropped final consonant is one key
    EXPECT_GT(jamo_edit_distance(U"노인", U"청년"), 2);
    EXPECT_EQ(edit_distance(U"abcdef", U"azcdez", 1), 2);  // capped at max + 1
    EXPECT_EQ(edit_distance(U"pension", U"pensoin", 2), 2);
}

TEST(Hangul, ComposesConjoiningJamoToNfc) {
    // 기초연금 typed as decomposed jamo (NFD, as macOS file names arrive).
    const std::u32string nfd = U"\u1100\u1175\u110E\u1169\u110B\u1167\u11AB\u1100\u1173\u11B7";
    EXPECT_EQ(compose_nfc(nfd), U"기초연금");
    EXPECT_EQ(normalize(encode_utf8(nfd)).text, "기초연금");
}

TEST(Hangul, NormalizesWidthCaseSpacesAndControls) {
    EXPECT_EQ(normalize("  ＢＡＳＩＣ　연금\t\n 지원  ").text, "basic 연금 지원");
    EXPECT_EQ(normalize("기초\x01\x02연금\x7f").text, "기초 연금");
    EXPECT_EQ(normalize("기초\u200b연금").text, "기초연금");  // zero-width space vanishes
    EXPECT_EQ(normalize("   ").text, "");
}

TEST(Hangul, DropsInvalidUtf8) {
    EXPECT_EQ(normalize("기초\xff\xfe연금").text, "기초연금");
    EXPECT_EQ(normalize("\xc0\xaf").text, "");             // overlong '/'
    EXPECT_EQ(normalize("\xed\xa0\x80x").text, "x");       // UTF-16 surrogate
    EXPECT_EQ(normalize("\xea\xb8").text, "");             // truncated sequence
    EXPECT_EQ(decode_utf8("a\x80" "b"), U"ab");
}

TEST(Hangul, CapsLengthInCodePoints) {
    std::string longq;
    for (int i = 0; i < 10000; ++i) longq += "가";
    auto n = normalize(longq, 200);
    EXPECT_TRUE(n.truncated);
    EXPECT_EQ(decode_utf8(n.text).size(), 200u);
    EXPECT_FALSE(normalize("기초연금   ", 4).truncated);
}

TEST(Hangul, SeparatorsSplitWords) {
    EXPECT_TRUE(is_separator(U' '));
    EXPECT_TRUE(is_separator(U'·'));
    EXPECT_TRUE(is_separator(U'_'));
    EXPECT_TRUE(is_separator(U'「'));
    EXPECT_FALSE(is_separator(U'가'));
    EXPECT_FALSE(is_separator(U'7'));
    EXPECT_FALSE(is_separator(U'ㄱ'));
}

}  // namespace
}  // namespace dure::catalog::hangul
