#include "sharing/fields.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

using dure::sharing::Taxonomy;
using dure::sharing::Vetting;

TEST(SharingFields, EmbeddedFileHasFiveFieldsAnd73SubFields) {
    const auto& t = Taxonomy::embedded();
    ASSERT_EQ(t.fields().size(), 5u);
    EXPECT_EQ(t.subfields().size(), 73u);
    std::set<std::string> ko;
    for (const auto& f : t.fields()) ko.insert(f.name_ko);
    EXPECT_EQ(ko, (std::set<std::string>{"기부", "관계망 형성", "재능 나눔", "건강", "교육"}));
    // Work with children needs the criminal-record check, citing the child-protection rule.
    const auto* tutoring = t.find("E02");
    ASSERT_NE(tutoring, nullptr);
    EXPECT_EQ(tutoring->vetting, Vetting::criminal_record);
    EXPECT_EQ(tutoring->vetting_rule, "children");
    EXPECT_EQ(tutoring->code_1365.value_or(""), "0402");
    // Giving-specific sub-fields have no 1365 code: dure's own.
    EXPECT_FALSE(t.find("G01")->code_1365.has_value());
    EXPECT_NE(t.level(Vetting::criminal_record)->basis_ko.find("제56조"), std::string::npos);
    EXPECT_EQ(t.hour_rules().daily_max_minutes, 480);
    EXPECT_EQ(t.find("nope"), nullptr);
}

namespace {
std::string file(const std::string& sub) {
    std::string fields;
    for (int i = 0; i < 5; ++i)
        fields += std::string(i ? "," : "") + "{\"code\":\"f" + std::to_string(i) + "\",\"name_ko\":\"가\",\"name_en\":\"a\",\"subfields\":[" +
                  (i == 0 ? sub : "{\"code\":\"s" + std::to_string(i) + "\",\"name_ko\":\"가\",\"name_en\":\"a\",\"code_1365\":null,\"dure_own\":true,\"mode\":\"remote\",\"vetting\":\"none\"}") + "]}";
    std::string levels;
    for (const char* l : {"none", "identity", "training", "criminal_record"})
        levels += std::string(levels.empty() ? "" : ",") + "{\"level\":\"" + l +
                  "\",\"label_ko\":\"가\",\"label_en\":\"a\",\"basis_ko\":\"가\",\"basis_en\":\"a\",\"source\":\"x\"}";
    return "{\"version\":\"1\",\"vetting_levels\":[" + levels +
           "],\"hour_rules\":{\"daily_max_hours\":8,\"entry_window_days\":90,\"basis_ko\":\"가\",\"basis_en\":\"a\",\"source\":\"x\"},\"fields\":[" + fields + "]}";
}
void expect_refused(const std::string& sub, const std::string& says) {
    try {
        Taxonomy::parse(file(sub));
        ADD_FAILURE() << "accepted: " << sub;
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
}
}  // namespace

TEST(SharingFields, ChecksEverySubField) {
    std::string good = R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":"0301","dure_own":false,"mode":"in_person","vetting":"identity"})";
    EXPECT_EQ(Taxonomy::parse(file(good)).subfields().size(), 5u);
    expect_refused(R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":"301","dure_own":false,"mode":"in_person","vetting":"identity"})", "four digits");
    expect_refused(R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":null,"dure_own":false,"mode":"in_person","vetting":"identity"})", "dure_own");
    expect_refused(R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":null,"dure_own":true,"mode":"by_post","vetting":"identity"})", "mode");
    expect_refused(R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":null,"dure_own":true,"mode":"remote","vetting":"strict"})", "vetting");
    expect_refused(R"({"code":"x1","name_ko":"가","name_en":"a","code_1365":null,"dure_own":true,"mode":"remote","vetting":"criminal_record"})", "vetting_rule");
    expect_refused(R"({"code":"s1","name_ko":"가","name_en":"a","code_1365":null,"dure_own":true,"mode":"remote","vetting":"none"})", "duplicate");
    expect_refused(R"({"code":"x1","name_en":"a","code_1365":null,"dure_own":true,"mode":"remote","vetting":"none"})", "x1: name_ko");
}
