#include "catalog/search.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <thread>

namespace dure::catalog {
namespace {

SearchDoc doc(std::string id, std::string name, std::string description, std::vector<std::string> keywords,
              std::vector<std::string> life_stages, std::vector<std::string> situations,
              std::vector<std::string> topics, std::string provider, std::string code = "",
              std::vector<long long> dongs = {}) {
    SearchDoc d;
    d.id = std::move(id);
    d.name = std::move(name);
    d.description = std::move(description);
    d.keywords = std::move(keywords);
    d.life_stages = std::move(life_stages);
    d.situations = std::move(situations);
    d.topics = std::move(topics);
    d.provider_level = std::move(provider);
    d.program_code = std::move(code);
    d.dong_ids = std::move(dongs);
    return d;
}

std::vector<std::string> ids(const SearchResult& r) {
    std::vector<std::string> out;
    for (const auto& h : r.hits) out.push_back(h.id);
    return out;
}

bool has(const SearchResult& r, const std::string& id) {
    return std::any_of(r.hits.begin(), r.hits.end(), [&](const SearchHit& h) { return h.id == id; });
}

int facet(const std::vector<std::pair<std::string, int>>& f, const std::string& value) {
    for (const auto& [v, n] : f) {
        if (v == value) return n;
    }
    return -1;
}

bool note_contains(const SearchResult& r, const std::string& text) {
    return std::any_of(r.notes.begin(), r.notes.end(),
                       [&](const std::string& n) { return n.find(text) != std::string::npos; });
}

class Search : public ::testing::Test {
protected:
    Search() : index_(Synonyms::parse("# test synonyms\n어르신, 노인, 노년  # elders\n월세 = 임대료\n")) {
        index_.upsert(doc("basic-pension", "기초연금", "만 65세 이상 소득 하위 70% 노인에게 매월 연금을 드립니다",
                          {"노령연금", "65세"}, {"old_age"}, {"low_income"}, {"livelihood"}, "national",
                          "basic_pension"));
        index_.upsert(doc("pension-helper", "기초연금 신청 도우미", "기초연금 신청 서류를 함께 챙겨 드립니다", {},
                          {"old_age"}, {}, {"livelihood"}, "district", "", {101}));
        index_.upsert(doc("senior-jobs", "노인 일자리 및 사회활동 지원", "노인이 참여하는 공익활동과 일자리",
                          {"일자리", "시니어"}, {"old_age"}, {"low_income"}, {"jobs"}, "national"));
        index_.upsert(doc("escort", "병원 동행 서비스", "혼자 병원 가기 어려운 노인의 진료를 돕습니다", {"동행"},
                          {"old_age"}, {}, {"health"}, "district", "", {102}));
        index_.upsert(doc("child-allowance", "아동수당", "만 8세 미만 아동에게 매월 10만원", {}, {"child"}, {},
                          {"childcare"}, "national", "child_allowance"));
        index_.upsert(doc("single-parent", "한부모가족 아동양육비", "한부모 가족의 아이 양육비를 지원합니다",
                          {"양육비", "한부모"}, {"child"}, {"single_parent"}, {"livelihood"}, "national"));
        index_.upsert(doc("energy", "에너지 바우처", "저소득 가구의 냉난방 비용을 지원합니다", {"난방비"}, {},
                          {"low_income"}, {"energy"}, "national"));
        index_.upsert(doc("youth-rent", "청년 월세 지원", "무주택 청년에게 임대료를 지원합니다", {"월세", "주거"},
                          {"youth"}, {}, {"housing"}, "metropolitan"));
        index_.upsert(doc("activity", "장애인 활동지원", "활동지원사가 일상생활을 돕습니다", {"활동보조"}, {},
                          {"disabled"}, {"care"}, "national"));
        index_.upsert(doc("retire-plan", "노후 준비 상담", "국민연금과 기초연금 수급을 상담합니다", {}, {"middle_age"},
                          {}, {"finance"}, "private"));
        index_.upsert(doc("home-repair", "집수리 지원", "낡은 집을 고쳐 드립니다", {}, {}, {"low_income"},
                          {"housing"}, "district"));
        auto old = doc("old-guide", "기초연금 옛 안내", "더 이상 운영하지 않습니다", {}, {"old_age"}, {}, {},
                       "district");
        old.active = false;
        index_.upsert(old);
    }

    SearchResult find(const std::string& q) const {
        SearchQuery query;
        query.q = q;
        return index_.search(query);
    }

    SearchIndex index_;
};

TEST_F(Search, ExactNameRanksFirstThenPrefixThenDescription) {
    auto r = find("기초연금");
    ASSERT_GE(r.hits.size(), 3u);
    EXPECT_EQ(r.hits[0].id, "basic-pension");
    EXPECT_NE(r.hits[0].why.find("이름 일치"), std::string::npos);
    EXPECT_EQ(r.hits[1].id, "pension-helper");
    EXPECT_EQ(r.hits.back().id, "retire-plan");  // only its description says 기초연금
    EXPECT_EQ(r.total, 3);
    EXPECT_EQ(r.normalized_query, "기초연금");
}

TEST_F(Search, SpacedQueryStillFindsExactName) {
    auto r = find("기초 연금");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "basic-pension");
}

TEST_F(Search, ProgramCodeMatchesExactly) {
    auto r = find("basic_pension");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "basic-pension");
    EXPECT_NE(r.hits[0].why.find("프로그램 코드"), std::string::npos);
}

TEST_F(Search, InitialConsonantsFindName) {
    auto r = find("ㄱㅊㅇㄱ");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "basic-pension");
    EXPECT_NE(r.hits[0].why.find("초성 ㄱㅊㅇㄱ"), std::string::npos);
    EXPECT_TRUE(has(r, "pension-helper"));   // ㄱㅊㅇㄱㅅㅊㄷㅇㅁ starts with it
    EXPECT_FALSE(has(r, "retire-plan"));     // description initials are not indexed
    EXPECT_TRUE(has(find("ㅇㄷㅅㄷ"), "child-allowance"));
}

TEST_F(Search, SynonymsExpandEachWord) {
    auto r = find("어르신 일자리");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "senior-jobs");
    EXPECT_NE(r.hits[0].why.find("동의어 어르신→노인"), std::string::npos);
    auto escort = find("어르신 병원 동행");
    ASSERT_FALSE(escort.hits.empty());
    EXPECT_EQ(escort.hits[0].id, "escort");
    EXPECT_TRUE(has(find("임대료"), "youth-rent"));
}

TEST(SearchSynonyms, ParsesGroupsAndComments) {
    auto syn = Synonyms::parse("# comment line\n어르신, 노인 ,노년 # trailing\n\n월세=임대료\n외톨이\n");
    auto e = syn.expand("어르신");
    EXPECT_EQ(e, (std::vector<std::string>{"노인", "노년"}));
    EXPECT_EQ(syn.expand("노년"), (std::vector<std::string>{"어르신", "노인"}));
    EXPECT_EQ(syn.expand("임대료"), (std::vector<std::string>{"월세"}));
    EXPECT_TRUE(syn.expand("외톨이").empty());  // a group of one word is no group
    EXPECT_TRUE(syn.expand("청년").empty());
    EXPECT_FALSE(Synonyms::builtin().expand("어르신").empty());
}

TEST_F(Search, ToleratesOneTypo) {
    auto r = find("기초연굼");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "basic-pension");
    EXPECT_TRUE(note_contains(r, "오타 허용: 기초연굼→기초연금"));
    EXPECT_NE(r.hits[0].why.find("오타 허용: 기초연굼→기초연금"), std::string::npos);
    auto rent = find("청년 월새");
    EXPECT_TRUE(has(rent, "youth-rent"));
    // Exact matches never trigger corrections.
    EXPECT_FALSE(note_contains(find("아동수당"), "오타"));
}

TEST_F(Search, NoTypoCorrectionForFarWords) {
    auto r = find("우주선");
    EXPECT_TRUE(r.hits.empty());
    EXPECT_EQ(r.total, 0);
}

TEST_F(Search, FiltersAndDisjunctiveFacets) {
    SearchQuery q;
    q.life_stages = {"old_age"};
    auto r = index_.search(q);
    EXPECT_EQ(r.total, 4);
    // The life-stage facet ignores its own filter: other stages still show their counts.
    EXPECT_EQ(facet(r.facets.life_stage, "old_age"), 4);
    EXPECT_EQ(facet(r.facets.life_stage, "child"), 2);
    EXPECT_EQ(facet(r.facets.life_stage, "youth"), 1);
    // Other dimensions count within the filter.
    EXPECT_EQ(facet(r.facets.topic, "livelihood"), 2);
    EXPECT_EQ(facet(r.facets.topic, "jobs"), 1);
    EXPECT_EQ(facet(r.facets.topic, "housing"), -1);
    EXPECT_EQ(facet(r.facets.provider, "national"), 2);
    EXPECT_EQ(facet(r.facets.provider, "district"), 2);

    q.topics = {"jobs", "health"};  // OR within the dimension
    r = index_.search(q);
    EXPECT_EQ(r.total, 2);
    EXPECT_TRUE(has(r, "senior-jobs"));
    EXPECT_TRUE(has(r, "escort"));
    EXPECT_EQ(facet(r.facets.topic, "livelihood"), 2);  // still offered
    EXPECT_EQ(facet(r.facets.life_stage, "old_age"), 2);
    EXPECT_EQ(facet(r.facets.life_stage, "child"), -1);  // no child service has jobs or health

    q.providers = {"national"};
    r = index_.search(q);
    EXPECT_EQ(ids(r), (std::vector<std::string>{"senior-jobs"}));
    EXPECT_EQ(facet(r.facets.provider, "district"), 1);

    SearchQuery unknown;
    unknown.situations = {"no_such_value"};
    r = index_.search(unknown);
    EXPECT_EQ(r.total, 0);
    EXPECT_EQ(facet(r.facets.situation, "no_such_value"), 0);  // selected values stay listed
    EXPECT_EQ(facet(r.facets.situation, "low_income"), 4);
}

TEST_F(Search, TextAndFiltersTogether) {
    SearchQuery q;
    q.q = "지원";
    q.topics = {"housing"};
    auto r = index_.search(q);
    EXPECT_EQ(r.total, 2);  // 청년 월세 지원, 집수리 지원
    EXPECT_EQ(facet(r.facets.topic, "care"), 1);  // 장애인 활동지원
}

TEST_F(Search, DongFilterKeepsDistrictWideServices) {
    SearchQuery q;
    q.q = "노인";
    q.dong_id = 101;
    auto r = index_.search(q);
    EXPECT_TRUE(has(r, "senior-jobs"));   // district-wide
    EXPECT_FALSE(has(r, "escort"));       // dong 102 only
    q.dong_id = 102;
    EXPECT_TRUE(has(index_.search(q), "escort"));
}

TEST_F(Search, InactiveServicesNeverReturned) {
    EXPECT_FALSE(has(find("옛 안내"), "old-guide"));
    EXPECT_FALSE(has(find(""), "old-guide"));
    auto hidden = doc("energy", "에너지 바우처", "", {}, {}, {}, {}, "national");
    hidden.active = false;
    index_.upsert(hidden);
    EXPECT_FALSE(has(find("에너지 바우처"), "energy"));
    EXPECT_FALSE(note_contains(find("에너지 바우처"), "오타"));  // no correction leads to it either
}

TEST_F(Search, UpsertReplacesText) {
    const auto before = index_.size();
    index_.upsert(doc("energy", "에너지 효율 개선", "단열 공사비를 지원합니다", {}, {}, {"low_income"},
                      {"energy"}, "district"));
    EXPECT_EQ(index_.size(), before);
    EXPECT_FALSE(has(find("바우처"), "energy"));
    EXPECT_FALSE(has(find("난방비"), "energy"));
    EXPECT_TRUE(has(find("효율"), "energy"));
    EXPECT_TRUE(has(find("단열"), "energy"));
    SearchQuery q;
    q.providers = {"district"};
    EXPECT_TRUE(has(index_.search(q), "energy"));
}

TEST_F(Search, RemoveForgetsService) {
    const auto before = index_.size();
    index_.remove("youth-rent");
    index_.remove("no-such-id");
    EXPECT_EQ(index_.size(), before - 1);
    EXPECT_FALSE(has(find("월세"), "youth-rent"));
    index_.compact();
    EXPECT_FALSE(has(find("월세"), "youth-rent"));
    EXPECT_TRUE(has(find("기초연금"), "basic-pension"));
    EXPECT_EQ(find("기초연금").hits[0].id, "basic-pension");
}

TEST_F(Search, ManyReplacementsCompactAndStayCorrect) {
    for (int i = 0; i < 3000; ++i) {
        index_.upsert(doc("churn", "임시 사업 " + std::to_string(i), "", {}, {}, {}, {}, "district"));
    }
    auto r = find("임시 사업 2999");
    ASSERT_EQ(r.total, 1);
    EXPECT_EQ(r.hits[0].id, "churn");
    // The replaced version is gone: no service holds every word of its name any more, so only
    // the partial fallback (the current "임시 사업 2999") answers.
    auto old = find("임시 사업 1234");
    EXPECT_TRUE(note_contains(old, "일부 낱말")) << old.total;
    EXPECT_LE(old.total, 1);
    EXPECT_EQ(find("기초연금").hits[0].id, "basic-pension");
    EXPECT_TRUE(has(find("ㄱㅊㅇㄱ"), "basic-pension"));
}

TEST_F(Search, EmptyQueryListsEverythingByName) {
    auto r = find("");
    EXPECT_EQ(r.total, 11);
    ASSERT_EQ(r.hits.size(), 11u);
    EXPECT_EQ(r.hits[0].id, "basic-pension");  // 기초연금 < 기초연금 신청 도우미 < 노인 … (가나다순)
    EXPECT_EQ(r.hits[1].id, "pension-helper");
    EXPECT_EQ(r.hits.back().id, "single-parent");  // 한부모가족 … sorts last
}

TEST_F(Search, Pagination) {
    SearchQuery q;
    q.offset = 2;
    q.limit = 3;
    auto page = index_.search(q);
    EXPECT_EQ(page.total, 11);
    ASSERT_EQ(page.hits.size(), 3u);
    q.offset = 0;
    q.limit = 20;
    auto all = index_.search(q);
    EXPECT_EQ(page.hits[0].id, all.hits[2].id);
    q.offset = 1000;
    EXPECT_TRUE(index_.search(q).hits.empty());
    q.offset = -5;
    q.limit = -1;
    EXPECT_TRUE(index_.search(q).hits.empty());
}

TEST_F(Search, OneCharacterQueryUsesUnigrams) {
    auto r = find("집");
    EXPECT_TRUE(has(r, "home-repair"));
    EXPECT_EQ(r.hits[0].id, "home-repair");
}

TEST_F(Search, MixedScriptsAndEnglish) {
    auto r = find("basic 연금");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "basic-pension");
    EXPECT_TRUE(has(find("PENSION"), "basic-pension"));
    EXPECT_TRUE(has(find("ＢＡＳＩＣ　ＰＥＮＳＩＯＮ"), "basic-pension"));  // full-width
}

TEST_F(Search, DecomposedHangulQuery) {
    // 아동수당 as conjoining jamo.
    auto r = find("\u110B\u1161\u1103\u1169\u11BC\u1109\u116E\u1103\u1161\u11BC");
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "child-allowance");
    EXPECT_EQ(r.normalized_query, "아동수당");
}

TEST_F(Search, BadInputGetsSaneAnswers) {
    std::string huge;
    for (int i = 0; i < 10000; ++i) huge += (i % 7 == 0) ? " " : "기";
    auto r = find(huge);
    EXPECT_TRUE(note_contains(r, "200"));
    EXPECT_LE(r.normalized_query.size(), 200u * 4);

    std::string huge_words;
    for (int i = 0; i < 5000; ++i) huge_words += "노인 연금 ";
    r = find(huge_words);
    EXPECT_TRUE(r.notes.size() >= 1);

    std::string varied;  // many distinct words: term cap and typo work stay bounded
    for (int i = 0; i < 3000; ++i) varied += std::string("가나다") + std::to_string(i) + " ";
    r = find(varied);
    EXPECT_EQ(r.total, 0);
    EXPECT_TRUE(note_contains(r, "낱말"));

    r = find("기초\x01\x02\x1b연금\x7f");
    EXPECT_TRUE(has(r, "basic-pension"));

    r = find("기초\xff\xfe\xc0연금");
    EXPECT_EQ(r.normalized_query, "기초연금");
    EXPECT_EQ(r.hits[0].id, "basic-pension");

    r = find("     \t\n   ");
    EXPECT_EQ(r.normalized_query, "");
    EXPECT_EQ(r.total, 11);  // same as an empty box

    r = find("!!!???...,,,");
    EXPECT_EQ(r.total, 11);
    EXPECT_FALSE(r.notes.empty());

    r = find(std::string("\0\0\0", 3));
    EXPECT_EQ(r.normalized_query, "");

    r = find("😀🎉 월세");
    EXPECT_TRUE(has(r, "youth-rent"));

    r = find("ㄱ");  // one consonant alone is just a letter
    EXPECT_EQ(r.total, 0);
    r = find("ㅏㅏㅏㅏ");
    EXPECT_EQ(r.total, 0);
}

TEST(SearchConcurrency, SearchWhileUpserting) {
    SearchIndex index(Synonyms::builtin());
    for (int i = 0; i < 200; ++i) {
        index.upsert(doc("s" + std::to_string(i), "노인 돌봄 " + std::to_string(i), "어르신 댁 방문", {"돌봄"},
                         {"old_age"}, {}, {"care"}, "district"));
    }
    std::atomic<bool> done{false};
    std::thread writer([&] {
        for (int round = 0; round < 4; ++round) {
            for (int i = 0; i < 500; ++i) {
                const auto id = "s" + std::to_string(i);
                if (i % 10 == 9) {
                    index.remove(id);
                } else {
                    index.upsert(doc(id, (round % 2 ? "청년 월세 " : "노인 돌봄 ") + std::to_string(i), "방문 지원",
                                     {"돌봄"}, {round % 2 ? "youth" : "old_age"}, {}, {"care"}, "district"));
                }
            }
        }
        done = true;
    });
    long long seen = 0;
    int searches = 0;
    while (!done || searches < 50) {
        SearchQuery q;
        q.q = searches % 3 == 0 ? "돌봄" : (searches % 3 == 1 ? "ㄴㅇㄷㅂ" : "어르신");
        q.life_stages = {"old_age"};
        auto r = index.search(q);
        for (const auto& h : r.hits) EXPECT_EQ(h.id[0], 's');
        EXPECT_LE(static_cast<long long>(r.hits.size()), r.total);
        seen += r.total;
        ++searches;
    }
    writer.join();
    EXPECT_GT(seen, 0);
    EXPECT_EQ(index.size(), 450u);
    SearchQuery q;
    q.q = "청년 월세 7";
    auto r = index.search(q);
    ASSERT_FALSE(r.hits.empty());
    EXPECT_EQ(r.hits[0].id, "s7");
}

}  // namespace
}  // namespace dure::catalog
