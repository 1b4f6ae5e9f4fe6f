// The eligibility engine: loading rules (and refusing bad ones), three-valued evaluation with
// reasons and questions, household validation, and every case in tests/rules/.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "common/embedded.hpp"
#include "eligibility/casefile.hpp"
#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"
#include "eligibility/report.hpp"

namespace json = boost::json;
using namespace dure::eligibility;

namespace {

std::string variables() { return std::string(*dure::embedded::find("data/eligibility/variables.json")); }

// Parameters for the small rule sets below: the method parameters plus a median income.
std::string params() {
    std::string s = R"({"parameters": {
      "median_income": {"label_ko": "기준 중위소득", "values": [
        {"from": "2024-01-01", "by_size": [2000000, 3000000], "step": 1000000, "source": "test"},
        {"from": "2025-01-01", "by_size": [2100000, 3100000], "step": 1000000, "source": "test"}]},
      "ratio": {"label_ko": "비율", "values": [{"from": "2024-01-01", "value": 0.5, "source": "test"}]})";
    for (const char* n : {"earned_income_deduction_rate", "living_necessity_financial_deduction", "basic_property_deduction_seoul",
                          "basic_property_deduction_gyeonggi_incheon", "basic_property_deduction_metro_city",
                          "basic_property_deduction_other", "conversion_rate_general_property", "conversion_rate_financial",
                          "conversion_rate_vehicle", "pension_earned_income_deduction", "pension_earned_income_rate",
                          "pension_basic_property_deduction_seoul", "pension_basic_property_deduction_gyeonggi_incheon",
                          "pension_basic_property_deduction_metro_city", "pension_basic_property_deduction_other",
                          "pension_financial_deduction", "pension_property_conversion_rate"}) {
        std::string v = std::string(n).find("deduction") != std::string::npos && std::string(n).find("rate") == std::string::npos
                            ? "1000000" : "0.1";
        s += std::string(",\n\"") + n + R"(": {"label_ko": "x", "values": [{"from": "2024-01-01", "value": )" + v +
             R"(, "source": "test"}]})";
    }
    return s + "}}";
}

const char* kBase = R"({"program": "base", "name_ko": "기본", "source": "test",
  "criteria": {"cmp": ["<=", {"var": "recognized_income"}, {"mul": [{"param": "median_income"}, {"param": "ratio"}]}],
               "label_ko": "소득인정액이 기준 중위소득의 50% 이하"},
  "amount": {"max": [0, {"sub": [{"floor": {"mul": [{"param": "median_income"}, {"param": "ratio"}]}, "unit": 10},
                                 {"var": "recognized_income"}]}]}})";
const char* kSenior = R"({"program": "senior", "name_ko": "어르신", "source": "test", "period": "year",
  "criteria": {"all": [{"eligible": "base", "label_ko": "기본 수급"},
                       {"any_member": {"cmp": [">=", {"mvar": "age"}, 65]}, "label_ko": "65세 이상"}]},
  "amount": {"mul": [100000, {"count_members": {"cmp": [">=", {"mvar": "age"}, 65]}}]}})";

std::shared_ptr<const Rules> small_rules(std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> files = {
        {"parameters/p.json", params()}, {"variables.json", variables()},
        {"programs/base.json", kBase}, {"programs/senior.json", kSenior}};
    for (auto& e : extra) files.push_back(e);
    return Rules::from_files(files);
}

Household parse(const Rules& r, const std::string& text, Days date, std::vector<std::string>* fields = nullptr) {
    dure::FieldErrors errors;
    auto h = parse_household(json::parse(text), r, date, errors);
    try {
        errors.throw_if_any();
    } catch (const dure::Error& e) {
        if (!fields) throw;
        for (const auto& f : e.fields()) fields->push_back(f.field);
    }
    return h;
}

Days d(const char* s) { return *parse_date(s); }

}  // namespace

TEST(EligibilityDates, ParsesStrictlyAndRoundTrips) {
    EXPECT_EQ(format_date(d("2024-02-29")), "2024-02-29");
    EXPECT_FALSE(parse_date("2025-02-29"));
    EXPECT_FALSE(parse_date("2025-13-01"));
    EXPECT_FALSE(parse_date("2025-1-01"));
    EXPECT_EQ(d("1970-01-01"), 0);
    Member m;
    m.birth = d("2024-03-15");
    EXPECT_EQ(member_age_months(m, d("2025-03-14")), 11);
    EXPECT_EQ(member_age_months(m, d("2025-03-15")), 12);
    EXPECT_EQ(member_age(m, d("2026-03-14")), 1);
}

TEST(EligibilityEngine, EligibleWithAmountAndReasons) {
    auto r = small_rules();
    auto h = parse(*r, R"({"members": [{"age": 70}], "recognized_income": 400000})", d("2025-06-01"));
    ParamsAt p(*r, d("2025-06-01"));
    auto e = evaluate(*r, p, h, Options{});
    const auto& base = e.outcomes[r->program("base")->index];
    EXPECT_EQ(base.status, Status::eligible);
    ASSERT_TRUE(base.amount);
    EXPECT_EQ(*base.amount, 1050000 - 400000);  // 2,100,000 × 0.5 floored to 10, minus income
    ASSERT_EQ(base.reasons.size(), 1u);
    EXPECT_EQ(base.reasons[0].held, Tri::yes);
    EXPECT_EQ(base.reasons[0].left.v, 400000);
    EXPECT_EQ(base.reasons[0].right.v, 1050000);
    const auto& senior = e.outcomes[r->program("senior")->index];
    EXPECT_EQ(senior.status, Status::eligible);
    EXPECT_EQ(senior.amount, 100000);
}

TEST(EligibilityEngine, ParametersFollowTheDate) {
    auto r = small_rules();
    auto h = parse(*r, R"({"members": [{"age": 40}], "recognized_income": 1020000})", d("2024-06-01"));
    EXPECT_EQ(evaluate(*r, ParamsAt(*r, d("2024-06-01")), h, {}).outcomes[0].status, Status::not_eligible);
    EXPECT_EQ(evaluate(*r, ParamsAt(*r, d("2025-01-01")), h, {}).outcomes[0].status, Status::eligible);
    EXPECT_EQ(r->first_date(), d("2024-01-01"));
    EXPECT_EQ(r->last_date(), d("2025-12-31"));
}

TEST(EligibilityEngine, UnknownInputIsUndeterminedWithTheDecidingQuestion) {
    auto r = small_rules();
    // Incomes given, assets not: recognized income is unknown and the question is about assets.
    auto h = parse(*r, R"({"members": [{}], "incomes": {"earned": 100000}})", d("2025-06-01"));
    auto e = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h, {});
    const auto& base = e.outcomes[r->program("base")->index];
    EXPECT_EQ(base.status, Status::undetermined);
    ASSERT_TRUE(base.ask.set);
    EXPECT_FALSE(base.ask.member_var);
    EXPECT_EQ(std::string(hvar_name(base.ask.var)), "asset_housing");
    // The senior program is undetermined too (depends on base), not "not eligible".
    EXPECT_EQ(e.outcomes[r->program("senior")->index].status, Status::undetermined);
}

TEST(EligibilityEngine, AFalseCriterionDecidesDespiteUnknowns) {
    auto r = small_rules();
    // Nobody is 65 or older: senior is not eligible even though base is undetermined.
    auto h = parse(*r, R"({"members": [{"age": 30}, {"age": 5}]})", d("2025-06-01"));
    auto e = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h, {});
    EXPECT_EQ(e.outcomes[r->program("senior")->index].status, Status::not_eligible);
    // A member of unknown age keeps it open, and the question names that member.
    auto h2 = parse(*r, R"({"members": [{"age": 30}, {}], "receives": ["base"]})", d("2025-06-01"));
    auto e2 = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h2, {});
    const auto& s = e2.outcomes[r->program("senior")->index];
    EXPECT_EQ(s.status, Status::undetermined);
    EXPECT_TRUE(s.ask.member_var);
    EXPECT_EQ(s.ask.member, 1);
    EXPECT_EQ(std::string(mvar_name(s.ask.var)), "age");
}

TEST(EligibilityEngine, RecognizedIncomeFollowsTheDocumentedMethod) {
    auto r = small_rules();
    // earned 1,000,000 × (1 − 0.1) = 900,000; housing 3,000,000 − deduction 1,000,000 − debts 500,000
    // = 1,500,000 × 0.1 = 150,000; financial 2,500,000 − 1,000,000 = 1,500,000 × 0.1 = 150,000.
    auto h = parse(*r, R"({"members": [{}], "residence": {"region": "seoul"}, "incomes": {"earned": 1000000},
                          "assets": {"housing": 3000000, "deposits": 2500000, "debts": 500000}})", d("2025-06-01"));
    auto e = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h, {});
    EXPECT_TRUE(e.vars[recognized_income].value.known);
    EXPECT_EQ(e.vars[recognized_income].value.v, 900000 + 150000 + 150000);
    // Without the region, property cannot be valued: the question is the region.
    auto h2 = parse(*r, R"({"members": [{}], "incomes": {}, "assets": {"housing": 3000000}})", d("2025-06-01"));
    auto e2 = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h2, {});
    EXPECT_FALSE(e2.vars[recognized_income].value.known);
    EXPECT_EQ(std::string(hvar_name(e2.outcomes[0].ask.var)), "region");
    // With no property at all the region is not needed.
    auto h3 = parse(*r, R"({"members": [{}], "incomes": {"business": 10}, "assets": {}})", d("2025-06-01"));
    EXPECT_EQ(evaluate(*r, ParamsAt(*r, d("2025-06-01")), h3, {}).vars[recognized_income].value.v, 10);
}

TEST(EligibilityEngine, TraceShowsEveryStep) {
    auto r = small_rules();
    auto h = parse(*r, R"({"members": [{"age": 70}], "recognized_income": 0})", d("2025-06-01"));
    auto e = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h, Options{true, true});
    const auto& t = e.outcomes[r->program("base")->index].trace;
    ASSERT_GE(t.size(), 5u);
    bool saw_param = false;
    for (const auto& s : t) saw_param = saw_param || (s.op == "param" && s.value == "2100000");
    EXPECT_TRUE(saw_param);
    EXPECT_EQ(t.back().path, "amount");
}

TEST(EligibilityRules, BadRuleFilesAreRefusedWithTheirPlace) {
    auto fails_with = [](const char* program, const char* needle) {
        try {
            small_rules({{"programs/bad.json", program}});
            ADD_FAILURE() << "accepted: " << program;
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"cmp": ["<", {"var": "nope"}, 1], "label_ko": "l"}})",
               "unknown household variable nope");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"cmp": ["<", {"param": "nope"}, 1], "label_ko": "l"}})",
               "unknown parameter nope");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"xor": []}})", "unknown condition operator xor");
    fails_with(R"({"program": "x", "name_ko": "x", "criteria": {"flag": "defector", "label_ko": "l"}})", "cites its source");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"flag": "defector"}})", "label_ko is required");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"is": "tenure", "in": ["castle"], "label_ko": "l"}})",
               "not a value of tenure");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"eligible": "y", "label_ko": "l"}})",
               "unknown program y");
    fails_with(R"({"program": "base", "name_ko": "x", "source": "s", "criteria": {"flag": "defector", "label_ko": "l"}})",
               "defined twice");
    fails_with(R"({"program": "x", "name_ko": "x", "source": "s", "criteria": {"cmp": ["<", {"mvar": "age"}, 1], "label_ko": "l"}})",
               "only allowed inside a member condition");
    // A cycle through `eligible`.
    try {
        small_rules({{"programs/a.json", R"({"program": "a", "name_ko": "a", "source": "s", "criteria": {"eligible": "b", "label_ko": "l"}})"},
                     {"programs/b.json", R"({"program": "b", "name_ko": "b", "source": "s", "criteria": {"eligible": "a", "label_ko": "l"}})"}});
        ADD_FAILURE() << "cycle accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("cycle"), std::string::npos) << e.what();
    }
}

TEST(EligibilityHousehold, ImpossibleHouseholdsNameTheField) {
    auto r = small_rules();
    std::vector<std::string> f;
    parse(*r, R"({"members": [{"age": -1}, {"age": 40, "wings": 2}], "incomes": {"earned": 1000000000000000},
                  "residence": {"tenure": "castle"}, "color": "blue"})", d("2025-06-01"), &f);
    auto has = [&](const std::string& s) { return std::find(f.begin(), f.end(), s) != f.end(); };
    EXPECT_TRUE(has("household.members[0].age"));
    EXPECT_TRUE(has("household.members[1].wings"));
    EXPECT_TRUE(has("household.incomes.earned"));
    EXPECT_TRUE(has("household.residence.tenure"));
    EXPECT_TRUE(has("household.color"));
    f.clear();
    std::string forty = R"({"members": [)";
    for (int i = 0; i < 40; ++i) forty += std::string(i ? "," : "") + "{}";
    parse(*r, forty + "]}", d("2025-06-01"), &f);
    EXPECT_TRUE(has("household.members"));
    f.clear();
    parse(*r, R"({"members": [{"birth_date": "2030-01-01"}, {"birth_date": "1990-01-01", "age": 20}], "incomes": {"earned": 1.5}})",
          d("2025-06-01"), &f);
    EXPECT_TRUE(has("household.members[0].birth_date"));
    EXPECT_TRUE(has("household.members[1].age"));
    EXPECT_TRUE(has("household.incomes.earned"));
    f.clear();
    parse(*r, R"({"members": []})", d("2025-06-01"), &f);
    EXPECT_TRUE(has("household.members"));
}

TEST(EligibilityHousehold, RoundTripsThroughJson) {
    auto r = small_rules();
    const char* text = R"({"members": [{"birth_date": "1950-01-02", "relation": "self", "disability": "severe", "veteran": true}, {"age": 8, "school": "elementary"}],
        "residence": {"tenure": "monthly_rent", "rent": 300000, "region": "seoul"}, "incomes": {"earned": 10},
        "recognized_income": 5, "single_parent": false, "crisis": "job_loss", "receives": ["base"]})";
    auto h = parse(*r, text, d("2025-06-01"));
    auto again = parse(*r, json::serialize(household_json(h, *r)), d("2025-06-01"));
    EXPECT_EQ(json::serialize(household_json(h, *r)), json::serialize(household_json(again, *r)));
    EXPECT_EQ(again.members.size(), 2u);
    EXPECT_EQ(again.core.money_of(rent), 300000);
    EXPECT_TRUE(again.core.money_has(income_business));  // a present section counts missing entries as 0
    EXPECT_EQ(again.core.money_of(income_business), 0);
    EXPECT_FALSE(again.core.money_has(asset_housing));  // an absent section stays unknown
}

TEST(EligibilityData, EmbeddedRulesLoadAndCoverTheRequiredPrograms) {
    auto r = Rules::embedded();
    EXPECT_GE(r->programs().size(), 30u);
    for (const char* code : {"livelihood_benefit", "medical_benefit", "housing_benefit", "education_benefit",
                             "basic_pension", "child_allowance", "parental_benefit", "disability_pension",
                             "emergency_welfare", "energy_voucher"})
        EXPECT_TRUE(r->program(code)) << code;
    // Median income for 2024, 2025 and 2026, each value with a source.
    const auto* median = r->parameter("median_income");
    ASSERT_TRUE(median);
    for (const char* y : {"2024-07-01", "2025-07-01", "2026-07-01"}) {
        const auto* v = median->in_force(d(y));
        ASSERT_TRUE(v) << y;
        EXPECT_EQ(format_date(v->from).substr(0, 4), std::string(y).substr(0, 4));
    }
    for (const auto& p : r->parameters())
        for (const auto& v : p.values) EXPECT_FALSE(v.source.empty()) << p.name;
}

TEST(EligibilityData, EveryRuleCasePasses) {
    auto r = Rules::embedded();
    std::ostringstream out;
    auto rep = run_case_files(*r, std::string(DURE_SOURCE_DIR) + "/tests/rules", out);
    EXPECT_EQ(rep.failures, 0) << out.str();
    EXPECT_GE(rep.cases, 100);
}

// ---- sources and rounding (issue 17) ---------------------------------------------------------

TEST(EligibilityEngine, RoundGivesTheLineAsTheMinistriesPublishIt) {
    // 2,100,001 × 0.5 = 1,050,000.5: the published line is 1,050,001, so an income of 1,050,001 is
    // within it (floor would say 1,050,000 and refuse it).
    const char* prog = R"({"program": "line", "name_ko": "선", "source": "test",
      "criteria": {"cmp": ["<=", {"var": "recognized_income"}, {"round": {"mul": [{"param": "odd"}, {"param": "ratio"}]}}],
                   "label_ko": "선 이하"},
      "amount": {"sub": [{"round": {"mul": [{"param": "odd"}, {"param": "ratio"}]}}, {"var": "recognized_income"}]}})";
    const char* odd = R"({"parameters": {"odd": {"label_ko": "홀수", "values": [
      {"from": "2024-01-01", "value": 2100001, "source": "test"}]}}})";
    auto r = small_rules({{"programs/line.json", prog}, {"parameters/odd.json", odd}});
    ParamsAt p(*r, d("2025-06-01"));
    auto at = [&](const char* income) {
        auto h = parse(*r, std::string(R"({"members": [{"age": 40}], "recognized_income": )") + income + "}", d("2025-06-01"));
        return evaluate(*r, p, h, {}).outcomes[r->program("line")->index];
    };
    EXPECT_EQ(at("1050001").status, Status::eligible);
    EXPECT_EQ(at("1050001").amount, 0);
    EXPECT_EQ(at("1050000").amount, 1);
    EXPECT_EQ(at("1050002").status, Status::not_eligible);
}

namespace {
const char* kLater = R"({"parameters": {"later": {"label_ko": "나중", "values": [
  {"from": "2026-01-01", "value": 1, "source": "test"}]}}})";
}  // namespace

TEST(EligibilitySources, PassesWhenEveryYearlyFigureHasTheNewestYear) {
    auto rep = check_sources(*small_rules());
    EXPECT_EQ(rep.newest_year, 2025);
    EXPECT_TRUE(rep.missing_newest_year.empty());
    EXPECT_EQ(rep.unsourced, 0);
    EXPECT_TRUE(rep.ok());
}

TEST(EligibilitySources, FailsWhenTheNewestYearIsMissing) {
    // A 2026 value somewhere makes 2026 the newest year; median_income has 2024 and 2025 values,
    // so it is renewed yearly, and it has no 2026 value.
    auto rep = check_sources(*small_rules({{"parameters/later.json", kLater}}));
    EXPECT_EQ(rep.newest_year, 2026);
    ASSERT_EQ(rep.missing_newest_year.size(), 1u);
    EXPECT_EQ(rep.missing_newest_year[0], "median_income");
    EXPECT_FALSE(rep.ok());
    // With the 2026 median it passes.
    std::string p = params();
    auto at = p.find(R"("source": "test"}]},)");
    ASSERT_NE(at, std::string::npos);
    p.insert(at + std::string(R"("source": "test"})").size(),
             R"(, {"from": "2026-01-01", "by_size": [2200000, 3200000], "step": 1000000, "source": "test"})");
    auto r = Rules::from_files({{"parameters/p.json", p}, {"parameters/later.json", kLater},
                                {"variables.json", variables()}, {"programs/base.json", kBase}});
    EXPECT_TRUE(check_sources(*r).ok());
}

TEST(EligibilitySources, UnverifiedFailsAndEstimatesAreCountedPerProgram) {
    const char* q = R"({"parameters": {
      "guess": {"label_ko": "추정값", "values": [{"from": "2024-01-01", "value": 7, "source": "estimate: no notice found"}]},
      "hope": {"label_ko": "미확인", "values": [{"from": "2024-01-01", "value": 8, "source": "unverified: I think so", "checked": "2026-12-07"}]}}})";
    const char* prog = R"({"program": "g", "name_ko": "추정", "source": "test",
      "criteria": {"cmp": [">=", {"var": "household_size"}, 1], "label_ko": "가구"}, "amount": {"param": "guess"}})";
    auto r = small_rules({{"parameters/q.json", q}, {"programs/g.json", prog}});
    auto rep = check_sources(*r);
    EXPECT_EQ(rep.estimates, 1);
    EXPECT_EQ(rep.estimates_by_program.at("g"), 1);
    EXPECT_EQ(rep.estimates_by_program.at("base"), 0);
    EXPECT_EQ(rep.unsourced, 1);
    EXPECT_EQ(rep.checked, 1);
    ASSERT_EQ(rep.unsourced_values.size(), 1u);
    EXPECT_EQ(rep.unsourced_values[0], "hope 2024-01-01");
    EXPECT_FALSE(rep.ok());
    // The answer flags the amount that reads the estimate, and only that one.
    auto h = parse(*r, R"({"members": [{"age": 70}], "recognized_income": 400000})", d("2025-06-01"));
    auto e = evaluate(*r, ParamsAt(*r, d("2025-06-01")), h, {});
    auto sim = simulation_json(*r, d("2025-06-01"), h, e, {}, false);
    for (const auto& x : sim.at("results").as_array()) {
        const auto& o = x.as_object();
        if (o.at("program").as_string() == "g") {
            EXPECT_TRUE(o.at("amount_estimate").as_bool());
            EXPECT_EQ(o.at("estimated_parameters").as_array()[0].as_object().at("parameter").as_string(), "guess");
        } else if (o.at("program").as_string() == "base") {
            EXPECT_FALSE(o.at("amount_estimate").as_bool());
        }
    }
}

TEST(EligibilitySources, EmbeddedDataHasAnOfficialSourceOrAnEstimateEverywhere) {
    auto rep = check_sources(*Rules::embedded());
    EXPECT_EQ(rep.unsourced, 0) << (rep.unsourced_values.empty() ? "" : rep.unsourced_values[0]);
    EXPECT_TRUE(rep.missing_newest_year.empty()) << (rep.missing_newest_year.empty() ? "" : rep.missing_newest_year[0]);
    EXPECT_GE(rep.newest_year, 2026);
}

TEST(EligibilityEngine, EnergyVoucherYoungChildIsByBirthYear) {
    auto r = Rules::embedded();
    auto run = [&](const char* date, const char* child) {
        auto h = parse(*r, std::string(R"({"members": [{"relation": "self", "age": 35, "disability": "none", "pregnant": false}, )") + child +
                               R"(], "single_parent": false, "recognized_income": 900000})", d(date));
        return evaluate(*r, ParamsAt(*r, d(date)), h, {}).outcomes[r->program("energy_voucher")->index].status;
    };
    EXPECT_EQ(run("2025-06-01", R"({"relation": "child", "birth_date": "2018-01-01", "disability": "none"})"), Status::eligible);
    EXPECT_EQ(run("2025-06-01", R"({"relation": "child", "birth_date": "2017-12-31", "disability": "none"})"), Status::not_eligible);
    EXPECT_EQ(run("2025-06-01", R"({"relation": "child", "age": 7, "disability": "none"})"), Status::undetermined);
    EXPECT_EQ(run("2025-06-01", R"({"relation": "child", "age": 8, "disability": "none"})"), Status::not_eligible);
}
