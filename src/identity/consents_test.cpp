#include "identity/consents.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace dure::identity {
namespace {

const char* kTwo = R"({"source":"PIPA","consents":[
 {"kind":"terms","version":"v1","required":true,"title_ko":"약관","title_en":"Terms","items_ko":["가"],"items_en":["a"],"withdraw":"account_deletion"},
 {"kind":"alerts","version":"v2","required":false,"title_ko":"알림","title_en":"Alerts","items_ko":["나"],"items_en":["b"],"withdraw":"any_time"}]})";

std::vector<std::string> codes(const std::vector<ConsentGiven>& given) {
    FieldErrors e;
    check_signup_consents(ConsentCatalog::parse(kTwo), given, e);
    std::vector<std::string> out;
    try {
        e.throw_if_any();
    } catch (const Error& err) {
        for (const auto& f : err.fields()) out.push_back(f.code);
    }
    return out;
}

TEST(Consents, EmbeddedTextsLoadWithRequiredTermsAndPrivacy) {
    const auto& c = ConsentCatalog::embedded();
    ASSERT_NE(c.find("terms"), nullptr);
    ASSERT_NE(c.find("privacy"), nullptr);
    EXPECT_TRUE(c.find("terms")->required);
    EXPECT_TRUE(c.find("privacy")->required);
    ASSERT_NE(c.find("eligibility_alerts"), nullptr);
    EXPECT_EQ(c.find("eligibility_alerts")->withdraw, "any_time");
    EXPECT_EQ(c.find("terms")->sha256.size(), 64u);
}

TEST(Consents, HashFollowsTheTextShown) {
    auto a = ConsentCatalog::parse(kTwo);
    std::string changed = kTwo;
    changed.replace(changed.find("\"가\""), 5, "\"다\"");
    auto b = ConsentCatalog::parse(changed);
    EXPECT_NE(a.find("terms")->sha256, b.find("terms")->sha256);
    EXPECT_EQ(a.find("alerts")->sha256, b.find("alerts")->sha256);
}

TEST(Consents, SignupNeedsEveryRequiredOneInItsCurrentVersion) {
    EXPECT_TRUE(codes({{"terms", "v1"}}).empty());
    EXPECT_TRUE(codes({{"terms", "v1"}, {"alerts", "v2"}}).empty());
    EXPECT_EQ(codes({}), std::vector<std::string>{"required_consent"});
    EXPECT_EQ(codes({{"alerts", "v2"}}), std::vector<std::string>{"required_consent"});
    EXPECT_EQ(codes({{"terms", "v0"}}), std::vector<std::string>{"outdated_version"});
    EXPECT_EQ(codes({{"terms", "v1"}, {"x", "1"}}), std::vector<std::string>{"unknown_consent"});
    EXPECT_EQ(codes({{"terms", "v1"}, {"terms", "v1"}}), std::vector<std::string>{"repeated"});
}

TEST(Consents, BadFilesAreRefusedByName) {
    EXPECT_THROW(ConsentCatalog::parse(R"({"source":"x","consents":[]})"), std::runtime_error);  // no required one
    std::string twice = kTwo;
    twice.replace(twice.find("\"alerts\""), 8, "\"terms\"");
    EXPECT_THROW(ConsentCatalog::parse(twice), std::runtime_error);
    std::string optional_by_leaving = kTwo;
    optional_by_leaving.replace(optional_by_leaving.rfind("any_time"), 8, "account_deletion");
    EXPECT_THROW(ConsentCatalog::parse(optional_by_leaving), std::runtime_error);
}

}  // namespace
}  // namespace dure::identity
