// The pure rules of online applications: the shipped forms load, answers are checked against a
// form (types, choices, bounds, required only on submission), consents and documents, the magic
// bytes of uploads, and which step each status allows.
#include "applications/rules.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace dure::applications {
namespace {

namespace json = boost::json;

std::vector<std::string> fields_of(const FieldErrors& e) {
    std::vector<std::string> out;
    try {
        e.throw_if_any();
    } catch (const Error& x) {
        for (const auto& f : x.fields()) out.push_back(f.field + ":" + f.code);
    }
    return out;
}

TEST(ApplicationRules, ShippedFormsLoadWithConsentsAndSources) {
    ASSERT_GE(embedded_forms().size(), 2u);
    for (const auto& f : embedded_forms()) {
        EXPECT_FALSE(f.source.empty()) << f.code;
        ASSERT_FALSE(f.consents.empty()) << f.code;
        for (const auto& c : f.consents) {
            EXPECT_FALSE(c.purpose_ko.empty()) << f.code << " " << c.code;
            EXPECT_FALSE(c.items_ko.empty()) << f.code << " " << c.code;
            EXPECT_FALSE(c.retention_ko.empty()) << f.code << " " << c.code;
            EXPECT_FALSE(c.basis.empty()) << f.code << " " << c.code;
        }
    }
    ASSERT_NE(find_form("hanbit-winter-heating"), nullptr);
    EXPECT_EQ(find_form("nope"), nullptr);
    const Handover* h = find_handover("basic_pension");
    ASSERT_NE(h, nullptr);
    EXPECT_EQ(h->portal_url.rfind("https://", 0), 0u);
    EXPECT_FALSE(h->checklist.empty());
}

TEST(ApplicationRules, BrokenFormsAreRefused) {
    EXPECT_THROW(parse_form(R"({"code":"x"})"), std::exception);
    std::string no_consent = R"({"code":"x","version":"1","title_ko":"t","title_en":"t","summary_ko":"s","source":"s",
        "provider":{"kind":"district","name_ko":"구"},"fields":[],"consents":[]})";
    EXPECT_THROW(parse_form(no_consent), std::runtime_error);
    std::string bad_type = R"({"code":"x","version":"1","title_ko":"t","title_en":"t","summary_ko":"s","source":"s",
        "provider":{"kind":"district","name_ko":"구"},"fields":[{"code":"a","type":"colour","label_ko":"a","label_en":"a"}],
        "consents":[{"code":"c","purpose_ko":"p","items_ko":"i","retention_ko":"r","basis":"b"}]})";
    EXPECT_THROW(parse_form(bad_type), std::runtime_error);
}

TEST(ApplicationRules, DraftsMayBeIncompleteSubmissionsMayNot) {
    const Form& f = *find_form("hanbit-winter-heating");
    json::object partial{{"applicant_name", "김하나"}};
    FieldErrors draft;
    validate_answers(f, partial, false, draft);
    EXPECT_TRUE(draft.empty());
    FieldErrors submit;
    validate_answers(f, partial, true, submit);
    auto got = fields_of(submit);
    EXPECT_NE(std::find(got.begin(), got.end(), "answers.phone:required"), got.end());
    EXPECT_NE(std::find(got.begin(), got.end(), "answers.household_size:required"), got.end());
    EXPECT_EQ(std::find(got.begin(), got.end(), "answers.visit_ok:required"), got.end()) << "optional";
}

TEST(ApplicationRules, EachTypeIsChecked) {
    const Form& f = *find_form("hanbit-winter-heating");
    json::object bad{{"applicant_name", std::string(51, 'a')}, {"phone", "call me"}, {"household_size", 11},
                     {"heating", "장작"},                       {"situation", 3},        {"visit_ok", "yes"},
                     {"shoe_size", "250"}};
    FieldErrors e;
    validate_answers(f, bad, false, e);
    auto got = fields_of(e);
    for (const char* want : {"answers.applicant_name:too_long", "answers.phone:invalid_phone",
                             "answers.household_size:out_of_range", "answers.heating:unknown_choice",
                             "answers.situation:not_a_string", "answers.visit_ok:not_a_boolean",
                             "answers.shoe_size:unknown_field"})
        EXPECT_NE(std::find(got.begin(), got.end(), want), got.end()) << want;
    json::object good{{"applicant_name", "김하나"}, {"phone", "010-1234-5678"}, {"household_size", 2},
                      {"heating", "연탄"},           {"situation", "가스비가 밀렸습니다.\n도와주세요."}, {"visit_ok", true}};
    FieldErrors ok;
    validate_answers(f, good, true, ok);
    EXPECT_TRUE(ok.empty()) << fields_of(ok).size();
}

TEST(ApplicationRules, RequiredConsentsAndDocumentsAtSubmission) {
    const Form& f = *find_form("hanbit-side-dish-delivery");
    FieldErrors e;
    validate_consents(f, json::object{{"personal_data", true}, {"sms", false}}, true, e);
    auto got = fields_of(e);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], "consents.partner_share:consent_required");
    FieldErrors optional_ok;
    validate_consents(f, json::object{{"personal_data", true}, {"partner_share", true}}, true, optional_ok);
    EXPECT_TRUE(optional_ok.empty());
    const Form& h = *find_form("hanbit-winter-heating");
    FieldErrors d;
    validate_documents(h, {"bill"}, d);
    EXPECT_EQ(fields_of(d), std::vector<std::string>{"documents.id_copy:required"});
    FieldErrors d2;
    validate_documents(h, {"id_copy"}, d2);
    EXPECT_TRUE(d2.empty());
}

TEST(ApplicationRules, FileTypeIsToldByMagicBytes) {
    EXPECT_EQ(sniff_type("%PDF-1.7\n..."), "application/pdf");
    EXPECT_EQ(sniff_type(std::string("\xFF\xD8\xFF\xE0", 4) + "JFIF"), "image/jpeg");
    EXPECT_EQ(sniff_type(std::string("\x89PNG\r\n\x1A\n", 8) + "IHDR"), "image/png");
    EXPECT_EQ(sniff_type("MZ\x90\x00 executable"), std::nullopt);
    EXPECT_EQ(sniff_type("<html>%PDF-"), std::nullopt);
    EXPECT_EQ(sniff_type(""), std::nullopt);
    EXPECT_EQ(sniff_type(std::string("\x89PNG", 4)), std::nullopt);
}

TEST(ApplicationRules, StatusTransitions) {
    EXPECT_TRUE(allowed("draft", Step::submit));
    EXPECT_TRUE(allowed("more_documents", Step::submit));
    EXPECT_FALSE(allowed("received", Step::submit));
    EXPECT_FALSE(allowed("decided", Step::submit));
    EXPECT_TRUE(allowed("received", Step::review));
    EXPECT_FALSE(allowed("draft", Step::review));
    EXPECT_FALSE(allowed("under_review", Step::review));
    EXPECT_TRUE(allowed("under_review", Step::request_documents));
    EXPECT_FALSE(allowed("more_documents", Step::request_documents));
    EXPECT_FALSE(allowed("draft", Step::decide)) << "a draft was never submitted";
    EXPECT_FALSE(allowed("decided", Step::decide)) << "a decision is final here";
    EXPECT_TRUE(allowed("under_review", Step::decide));
    EXPECT_EQ(next_status(Step::request_documents), "more_documents");
    EXPECT_EQ(status_ko("more_documents"), "서류 보완 요청");
    EXPECT_EQ(receipt_number(2026, 42), "2026-000042");
}

}  // namespace
}  // namespace dure::applications
