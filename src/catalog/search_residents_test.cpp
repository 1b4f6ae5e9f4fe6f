// Search as residents ask (issue 16): everyday phrasing and situations reach the right national
// programs of the demo catalogue, and a real word is never "corrected" into another. Uses the real
// vocabularies of data/catalog/.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>

#include "catalog/search_demo_fixture.hpp"

namespace dure::catalog {
namespace {

using search_fixture::demo;

bool contains(const std::vector<std::string>& v, const std::string& x) { return std::find(v.begin(), v.end(), x) != v.end(); }

TEST(SearchResidents, ElderLivingAloneFindsCareAndLonelyDeathPrevention) {
    auto top = demo().top("혼자 사는 어르신");
    EXPECT_TRUE(contains(top, "senior_customized_care")) << "노인맞춤돌봄서비스 missing";
    EXPECT_TRUE(contains(top, "lonely_death_prevention")) << "고독사 예방 missing";
    EXPECT_TRUE(contains(top, "emergency_safety_service")) << "응급안전안심서비스 missing";
}

TEST(SearchResidents, RentArrearsFindsHousingBenefitAndEmergencyWelfare) {
    auto top = demo().top("월세가 밀렸어요");
    EXPECT_TRUE(contains(top, "housing_benefit"));
    EXPECT_TRUE(contains(top, "emergency_welfare"));
}

TEST(SearchResidents, SomewhereToLeaveAChildFindsChildcare) {
    auto top = demo().top("아이 맡길 곳");
    EXPECT_TRUE(contains(top, "childcare_service")) << "아이돌봄서비스 missing";
}

TEST(SearchResidents, ParticlesAndFillerWordsDoNotHideTheProgram) {
    EXPECT_EQ(demo().top("기초연금 신청 방법", 1), std::vector<std::string>{"basic_pension"});
    EXPECT_TRUE(contains(demo().top("어르신이 받는 연금"), "basic_pension"));
}

TEST(SearchResidents, ARealWordIsNotCorrectedIntoAnother) {
    SearchQuery q;
    q.q = "후원";
    auto r = demo().index.search(q);
    for (const auto& n : r.notes) EXPECT_EQ(n.find("오타"), std::string::npos) << n;
    for (const auto& h : r.hits) EXPECT_EQ(h.why.find("회원"), std::string::npos) << h.why;
}

TEST(SearchResidents, ATypoIsStillCorrectedWhenNothingMatches) {
    EXPECT_EQ(demo().top("기초연굼", 1), std::vector<std::string>{"basic_pension"});
    EXPECT_EQ(demo().top("ㄱㅊㅇㄱ", 1), std::vector<std::string>{"basic_pension"});
}

TEST(SearchResidents, ExactNamesStillComeFirst) {
    EXPECT_EQ(demo().top("기초연금", 1), std::vector<std::string>{"basic_pension"});
    EXPECT_EQ(demo().top("노인맞춤돌봄서비스", 1), std::vector<std::string>{"senior_customized_care"});
}

TEST(SearchVocabulary, ParsesSituationsFillerAndCodes) {
    auto v = Synonyms::parse(
        "ignore: 신청, 방법\n"
        "혼자 사는 어르신, 외로~ => 독거노인, 고독사 | life_stage:senior situation:single_household | 「노인복지법」\n"
        "어르신, 노인\n");
    ASSERT_EQ(v.situations().size(), 1u);
    const auto& s = v.situations()[0];
    ASSERT_EQ(s.triggers.size(), 2u);
    EXPECT_FALSE(s.open_ended[0]);
    EXPECT_TRUE(s.open_ended[1]);
    EXPECT_EQ(s.words, (std::vector<std::string>{"독거노인", "고독사"}));
    EXPECT_EQ(s.life_stages, std::vector<std::string>{"senior"});
    EXPECT_EQ(s.situations, std::vector<std::string>{"single_household"});
    EXPECT_TRUE(v.ignorable("신청"));
    EXPECT_FALSE(v.ignorable("노인"));
    EXPECT_TRUE(v.known("노인"));
    EXPECT_TRUE(v.known("고독사"));
    EXPECT_FALSE(v.known("회원"));
    EXPECT_THROW(Synonyms::parse("외로~ => 고독사 | colour:blue | x\n"), std::invalid_argument);
}

TEST(SearchVocabulary, TheShippedFilesParse) {
    auto v = search_fixture::server_vocabulary();
    EXPECT_GE(v.situations().size(), 30u);
    EXPECT_TRUE(v.known("후원"));
}

}  // namespace
}  // namespace dure::catalog
