// Disclosure validation as a facility manager meets it (negative amounts, unknown categories,
// unbalanced budgets, settlements spending more than they took in, donations used beyond what
// was received), totals for charts, the review workflow, and the CSV/XLSX renderings.
#include "disclosures/disclosure.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "catalog/hsds.hpp"
#include "disclosures/xlsx.hpp"

namespace dure::catalog {
namespace {

namespace json = boost::json;

DisclosureContent budget() {
    return {2025,
            "budget",
            {{"revenue", "보조금", "구비", 700'000'000},
             {"revenue", "후원금", "", 100'000'000},
             {"expenditure", "인건비", "급여", 600'000'000},
             {"expenditure", "사업비", "", 180'000'000},
             {"expenditure", "예비비", "", 20'000'000}},
            {}};
}

DisclosureContent settlement() {
    return {2025,
            "settlement",
            {{"revenue", "보조금", "구비", 700'000'000},
             {"revenue", "후원금", "", 30'000'000},
             {"expenditure", "인건비", "급여", 600'000'000},
             {"expenditure", "사업비", "", 100'000'000}},
            {{"individual", "cash", 10'000'000, "밑반찬 지원", 10'000'000},
             {"organization", "cash", 20'000'000, "난방비", 15'000'000},
             {"organization", "in_kind", 5'000'000, "쌀 지원", 5'000'000}}};
}

std::vector<std::string> codes(const DisclosureContent& d, long long year = 2026) {
    FieldErrors errors;
    validate(d, year, errors);
    std::vector<std::string> out;
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        for (const auto& f : e.fields()) out.push_back(f.field + ":" + f.code);
    }
    return out;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(DisclosureValidation, AcceptsABalancedBudgetAndASettlementWithItsDonations) {
    EXPECT_TRUE(codes(budget()).empty()) << ::testing::PrintToString(codes(budget()));
    EXPECT_TRUE(codes(settlement()).empty()) << ::testing::PrintToString(codes(settlement()));
}

TEST(DisclosureValidation, RefusesNegativeAmountsNamingTheLine) {
    auto d = budget();
    d.lines[1].amount = -5;
    auto c = codes(d);
    EXPECT_TRUE(has(c, "lines[1].amount:negative")) << ::testing::PrintToString(c);
}

TEST(DisclosureValidation, RefusesUnknownCategoriesAndCategoriesOfTheOtherSide) {
    auto d = budget();
    d.lines[0].category = "기타";
    d.lines[2].category = "보조금";  // a revenue category on the expenditure side
    auto c = codes(d);
    EXPECT_TRUE(has(c, "lines[0].category:unknown_category")) << ::testing::PrintToString(c);
    EXPECT_TRUE(has(c, "lines[2].category:unknown_category"));
}

TEST(DisclosureValidation, ABudgetMustBalance) {
    auto d = budget();
    d.lines[4].amount = 0;  // no reserve: expenditure 20,000,000 short
    EXPECT_TRUE(has(codes(d), "lines:unbalanced_budget"));
}

TEST(DisclosureValidation, ASettlementMayCarryOverButNotSpendMoreThanItTookIn) {
    auto d = settlement();
    EXPECT_EQ(totals(d).balance, 30'000'000);  // carried over
    d.lines[3].amount = 200'000'000;
    EXPECT_TRUE(has(codes(d), "lines:expenditure_exceeds_revenue"));
}

TEST(DisclosureValidation, DonationsCannotBeUsedBeyondWhatWasReceived) {
    auto d = settlement();
    d.donations[1].used_amount = 20'000'001;
    auto c = codes(d);
    EXPECT_TRUE(has(c, "donations[1].used_amount:used_more_than_received")) << ::testing::PrintToString(c);
}

TEST(DisclosureValidation, CashDonationsMustMatchTheDonationRevenueOfASettlement) {
    auto d = settlement();
    d.donations[0].amount = 9'000'000;
    d.donations[0].used_amount = 9'000'000;
    EXPECT_TRUE(has(codes(d), "donations:donations_do_not_match_revenue"));
    // In-kind donations are not cash revenue: changing them changes nothing.
    auto e = settlement();
    e.donations[2].amount = 7'000'000;
    EXPECT_TRUE(codes(e).empty());
}

TEST(DisclosureValidation, FiscalYearKindAndOtherRules) {
    auto d = budget();
    d.fiscal_year = 1999;
    EXPECT_TRUE(has(codes(d), "fiscal_year:out_of_range"));
    d.fiscal_year = 2027;  // next year's budget is fine in 2026
    EXPECT_TRUE(codes(d).empty());
    d.fiscal_year = 2028;
    EXPECT_TRUE(has(codes(d), "fiscal_year:out_of_range"));

    auto k = budget();
    k.kind = "forecast";
    EXPECT_TRUE(has(codes(k), "kind:unknown_code"));

    auto g = budget();
    g.donations.push_back({"individual", "cash", 1000, "", 0});
    EXPECT_TRUE(has(codes(g), "donations:donations_on_budget"));

    auto r = settlement();
    r.lines.push_back({"expenditure", "예비비", "", 0});
    EXPECT_TRUE(has(codes(r), "lines[4].category:reserve_in_settlement"));

    auto dup = budget();
    dup.lines.push_back(dup.lines[0]);
    dup.lines.push_back({"expenditure", "운영비", "", 700'000'000});
    EXPECT_TRUE(has(codes(dup), "lines[5].item:duplicate_line"));

    auto empty = budget();
    empty.lines.clear();
    EXPECT_TRUE(has(codes(empty), "lines:required"));

    auto who = settlement();
    who.donations[0].received_from_type = "government";
    who.donations[0].kind = "stocks";
    who.donations[1].used_for = "";
    auto c = codes(who);
    EXPECT_TRUE(has(c, "donations[0].received_from_type:unknown_code"));
    EXPECT_TRUE(has(c, "donations[0].kind:unknown_code"));
    EXPECT_TRUE(has(c, "donations[1].used_for:required"));
}

TEST(DisclosureRead, ReportsBadShapesWithTheirPath) {
    auto body = json::parse(R"({"fiscal_year": 2025.5, "kind": "budget", "extra": 1,
        "lines": [{"side": "revenue", "category": "보조금", "amount": "100"}, 3],
        "donations": {"x": 1}})")
                    .as_object();
    FieldErrors errors;
    read_disclosure(body, errors);
    std::vector<std::string> fields;
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        for (const auto& f : e.fields()) fields.push_back(f.field);
    }
    for (const char* f : {"fiscal_year", "extra", "lines[0].amount", "lines[1]", "donations"})
        EXPECT_TRUE(has(fields, f)) << f << " in " << ::testing::PrintToString(fields);
}

TEST(DisclosureTotals, SumByCategoryInTheRulesOrder) {
    auto t = totals(settlement());
    ASSERT_EQ(t.revenue.size(), 2u);
    EXPECT_EQ(t.revenue[0].category, "보조금");
    EXPECT_EQ(t.revenue_total, 730'000'000);
    EXPECT_EQ(t.expenditure_total, 700'000'000);
    EXPECT_EQ(t.donations_received, 35'000'000);
    EXPECT_EQ(t.donations_cash, 30'000'000);
    EXPECT_EQ(t.donations_in_kind, 5'000'000);
    EXPECT_EQ(t.donations_used, 30'000'000);
}

TEST(DisclosureWorkflow, MovesThroughReviewAndToleratesRetries) {
    EXPECT_EQ(next_status("draft", "submit"), "submitted");
    EXPECT_EQ(next_status("submitted", "submit"), "submitted");
    EXPECT_EQ(next_status("submitted", "approve"), "approved");
    EXPECT_EQ(next_status("approved", "approve"), "approved");
    EXPECT_EQ(next_status("submitted", "return"), "returned");
    EXPECT_EQ(next_status("returned", "submit"), "submitted");
    EXPECT_THROW(next_status("draft", "approve"), Error);
    EXPECT_THROW(next_status("approved", "return"), Error);
    EXPECT_THROW(next_status("approved", "submit"), Error);
    EXPECT_FALSE(editable("submitted"));
    EXPECT_TRUE(editable("returned"));
}

TEST(DisclosureFiles, CsvHasABomAHeaderAndOneRowPerLineAndDonation) {
    Disclosure d;
    d.content = settlement();
    auto csv = disclosure_csv(d, "한빛노인종합복지관");
    ASSERT_TRUE(csv.starts_with("\xEF\xBB\xBF"));
    auto rows = parse_csv(csv);
    ASSERT_EQ(rows.size(), 1 + 4 + 3u);
    EXPECT_EQ(rows[0].cells[0], "시설");
    EXPECT_EQ(rows[1].cells[3], "세입");
    EXPECT_EQ(rows[1].cells[6], "700000000");
    EXPECT_EQ(rows[5].cells[3], "후원금");
    EXPECT_EQ(rows[5].cells[10], "10000000");
}

TEST(DisclosureFiles, FileNamesAreEncodedAsRfc5987Says) {
    Disclosure d;
    d.content = budget();
    auto name = disclosure_file_name(d, "한빛/복지관", "csv");
    EXPECT_EQ(name, "한빛_복지관_2025_예산.csv");
    auto cd = content_disposition("a b.csv", "a_b.csv");
    EXPECT_EQ(cd, "attachment; filename=\"a_b.csv\"; filename*=UTF-8''a%20b.csv");
    auto ko = content_disposition("예산.csv", "x.csv");
    EXPECT_NE(ko.find("filename*=UTF-8''%EC%98%88%EC%82%B0.csv"), std::string::npos) << ko;
}

TEST(DisclosureFiles, XlsxIsAZipWithASheetPerSection) {
    Disclosure d;
    d.content = settlement();
    auto sheets = disclosure_sheets(d, "한빛노인종합복지관");
    ASSERT_EQ(sheets.size(), 4u);
    EXPECT_EQ(sheets[1].name, "세입");
    auto bytes = write_xlsx(sheets);
    ASSERT_GT(bytes.size(), 1000u);
    EXPECT_EQ(bytes.substr(0, 2), "PK");
    EXPECT_NE(bytes.find("xl/worksheets/sheet4.xml"), std::string::npos);
}

}  // namespace
}  // namespace dure::catalog
