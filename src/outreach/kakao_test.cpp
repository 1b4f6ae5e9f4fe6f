#include "outreach/kakao.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "common/text.hpp"

namespace dure::outreach {
namespace {

namespace json = boost::json;

// Asserts `reply` is a valid skill response and returns its text.
std::string text_of(const std::string& reply) {
    auto v = json::parse(reply).as_object();
    EXPECT_EQ(v.at("version").as_string(), "2.0");
    const auto& outputs = v.at("template").at("outputs").as_array();
    EXPECT_GE(outputs.size(), 1u);
    EXPECT_LE(outputs.size(), 3u);
    return std::string(outputs.at(0).at("simpleText").at("text").as_string());
}

TEST(OutreachKakao, ReadsUtteranceUserAndStringParams) {
    std::string problem;
    auto r = parse_skill_request(
        R"({"intent":{"id":"b1","name":"신고"},"userRequest":{"timezone":"Asia/Seoul","utterance":"신고할게요",
            "user":{"id":"u-77","type":"botUserKey","properties":{}}},"bot":{"id":"bot","name":"두레"},
            "action":{"name":"report","params":{"address":"느티로 12","concern":"인기척이 없어요","n":3},
            "detailParams":{},"clientExtra":{}}})",
        problem);
    ASSERT_TRUE(r) << problem;
    EXPECT_EQ(r->utterance, "신고할게요");
    EXPECT_EQ(r->user_key, "u-77");
    EXPECT_EQ(r->params.at("address"), "느티로 12");
    EXPECT_EQ(r->params.count("n"), 0u) << "non-string params are ignored";
}

TEST(OutreachKakao, MalformedPayloadsAreRefusedWithAReason) {
    std::string deep(5000, '[');
    for (std::string body :
         {std::string(""), std::string("not json"), std::string("[]"), std::string("{}"),
          std::string(R"({"userRequest":"x"})"), std::string(R"({"userRequest":{}, "action": 7})"), deep,
          std::string(kSkillBodyMax + 1, ' '), std::string("\xff\xfe{}")}) {
        std::string problem;
        auto r = parse_skill_request(body, problem);
        if (body == R"({"userRequest":{}, "action": 7})") {
            EXPECT_TRUE(r) << "a missing or odd action is just no params";
            continue;
        }
        EXPECT_FALSE(r) << body.substr(0, 40);
        EXPECT_FALSE(problem.empty());
        EXPECT_NO_THROW(text_of(skill_reply(problem, standard_quick_replies())));
    }
}

TEST(OutreachKakao, RepliesRespectOpenBuilderLimits) {
    std::string long_text;
    for (int i = 0; i < 600; ++i) long_text += "가나";
    std::vector<QuickReply> many;
    for (int i = 0; i < 15; ++i) many.push_back({"아주 긴 빠른 답장 라벨 번호 " + std::to_string(i), "m"});
    auto reply = skill_reply(long_text, many);
    auto text = text_of(reply);
    EXPECT_EQ(utf8_length(text), kSkillTextMax);
    EXPECT_EQ(text.substr(text.size() - 3), "…");
    auto quick = json::parse(reply).at("template").at("quickReplies").as_array();
    EXPECT_EQ(quick.size(), kQuickRepliesMax);
    for (const auto& q : quick) {
        EXPECT_LE(utf8_length(q.at("label").as_string()), kQuickReplyLabelMax);
        EXPECT_EQ(q.at("action").as_string(), "message");
    }
}

TEST(OutreachKakao, BrokenTextStillMakesAValidReply) {
    auto text = text_of(skill_reply(std::string("접수\xff\xfe\x01 완료\n"), {}));
    EXPECT_EQ(text, "접수 완료\n");
    EXPECT_EQ(json::parse(skill_reply("", {})).at("template").as_object().count("quickReplies"), 0u);
}

TEST(OutreachKakao, ServiceListAndReceiptTexts) {
    auto none = services_text("없는서비스", {}, 0);
    EXPECT_NE(none.find("129"), std::string::npos);
    auto some = services_text("기초연금", {{"기초연금", "만 65세 이상 어르신께 드리는 연금"}}, 3);
    EXPECT_NE(some.find("1. 기초연금"), std::string::npos);
    EXPECT_NE(some.find("3건 중 1건"), std::string::npos);
    EXPECT_NE(receipt_text("250312-K7QD3MX").find("접수번호: 250312-K7QD3MX"), std::string::npos);
}

}  // namespace
}  // namespace dure::outreach
