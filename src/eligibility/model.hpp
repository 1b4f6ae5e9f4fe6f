#pragma once
// The household as the eligibility engine sees it. Compact on purpose: the re-screening job keeps
// hundreds of thousands of these in memory (see bench/eligibility_bench.cpp), so a household is a
// fixed block of integers plus a span of 12-byte members; every input has a "known" bit, because
// an answer the household did not give is unknown, never zero.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dure::eligibility {

// Days since 1970-01-01 (proleptic Gregorian).
using Days = std::int32_t;
constexpr Days kNoDate = INT32_MIN;

// Strict YYYY-MM-DD; nullopt for anything else (including 2025-02-30).
std::optional<Days> parse_date(std::string_view s);
std::string format_date(Days d);
struct Ymd {
    int y;
    unsigned m, d;
};
Ymd to_ymd(Days d);

// Household-level variables. Inputs and computed values share one numbering so rules refer to
// both the same way. The names are in variables.json, checked against this list at start-up.
enum HVar : std::uint8_t {
    // computed
    household_size, monthly_income, financial_assets, total_assets, recognized_income, pension_recognized_income,
    // money inputs (the first kMoneyInputs are the money array)
    income_earned, income_business, income_property, income_public_transfer, income_private_transfer,
    asset_housing, asset_deposits, asset_financial, asset_vehicles, debts, rent, deposit,
    recognized_income_given, pension_recognized_income_given,
    // coded inputs
    tenure, region, crisis,
    // yes/no inputs
    single_parent, multicultural, defector,
    // list input
    receives,
    kHVarCount
};
constexpr int kFirstMoney = income_earned;
constexpr int kMoneyCount = pension_recognized_income_given - income_earned + 1;
constexpr int kFirstCode = tenure;
constexpr int kCodeCount = crisis - tenure + 1;
constexpr int kFirstFlag = single_parent;
constexpr int kFlagCount = defector - single_parent + 1;

enum MVar : std::uint8_t {
    age, age_months,
    birth_ymd,  // the birth date as the number YYYYMMDD, for rules written as "born on or after" a date
    relation, disability, school, nationality,
    pregnant, employed, job_seeking, veteran, in_childcare,
    kMVarCount
};
constexpr int kFirstMemberCode = relation;
constexpr int kMemberCodeCount = nationality - relation + 1;
constexpr int kFirstMemberFlag = pregnant;

const char* hvar_name(int v);
const char* mvar_name(int v);
std::optional<int> hvar_by_name(std::string_view name);
std::optional<int> mvar_by_name(std::string_view name);

constexpr std::uint8_t kUnknownCode = 0xFF;

struct Member {
    Days birth = kNoDate;       // from birth_date
    std::int16_t age = -1;      // given age in years, when no birth date
    std::array<std::uint8_t, kMemberCodeCount> codes{kUnknownCode, kUnknownCode, kUnknownCode, kUnknownCode};
    std::uint8_t flags_known = 0;  // bit i: member flag kFirstMemberFlag+i was answered
    std::uint8_t flags = 0;
};
static_assert(sizeof(Member) <= 12);

// Everything but the members: 18 money fields, 3 codes, 3 flags, the receives set.
struct HouseholdCore {
    std::array<std::int64_t, kMoneyCount> money{};
    std::uint32_t money_known = 0;
    std::array<std::uint8_t, kCodeCount> codes{kUnknownCode, kUnknownCode, kUnknownCode};
    std::uint8_t flags_known = 0;
    std::uint8_t flags = 0;
    bool receives_known = false;
    std::uint64_t receives = 0;  // bit = program index (at most 64 programs)

    bool money_has(int hvar) const { return money_known >> (hvar - kFirstMoney) & 1u; }
    std::int64_t money_of(int hvar) const { return money[hvar - kFirstMoney]; }
    void set_money(int hvar, std::int64_t v) {
        money[hvar - kFirstMoney] = v;
        money_known |= 1u << (hvar - kFirstMoney);
    }
};

struct Household {
    HouseholdCore core;
    std::vector<Member> members;
};

// What the engine evaluates: a core and its members, wherever they are stored.
struct HouseholdView {
    const HouseholdCore* core;
    std::span<const Member> members;
    HouseholdView(const Household& h) : core(&h.core), members(h.members) {}  // NOLINT: implicit on purpose
    HouseholdView(const HouseholdCore* c, std::span<const Member> m) : core(c), members(m) {}
};

}  // namespace dure::eligibility
