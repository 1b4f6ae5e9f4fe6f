#pragma once
// Evaluates a household against every program: status, amount, the reasons (each criterion with
// the values compared), the question that would decide an undetermined answer, and on request a
// trace of every step. Three-valued logic: an unanswered input is unknown, never zero.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "eligibility/model.hpp"
#include "eligibility/rules.hpp"

namespace dure::eligibility {

enum class Status : std::uint8_t { eligible, not_eligible, undetermined, not_computed };
const char* status_name(Status s);

enum class Tri : std::uint8_t { no, yes, unknown };

struct Value {
    double v = 0;
    bool known = false;
};

// An input the household has not answered. member < 0: a household variable.
struct Ask {
    bool set = false;
    bool member_var = false;
    int var = -1;
    int member = -1;
};

struct Reason {
    const Node* node = nullptr;
    Tri held = Tri::unknown;
    Value left, right;  // cmp only
    int member = -1;    // any_member / all_members: the first member that decided it
};

struct TraceStep {
    std::string path;
    std::string op;
    std::string value;  // number, true / false / unknown
};

struct Outcome {
    Status status = Status::not_computed;
    std::optional<std::int64_t> amount;
    Ask ask;                   // undetermined, or eligible with an amount that needs an answer
    std::vector<Reason> reasons;
    std::vector<TraceStep> trace;
    // Parameters whose value in force is an estimate ("estimate:" source) and that the amount
    // actually read: the formula's branches taken, and the recognized-income method's figures
    // that mattered for this household (e.g. the financial deduction only with financial assets).
    std::vector<int> estimates;
};

struct Derived {
    Value value;
    bool given = false;  // recognized incomes: given by an official, not computed
    Ask missing;          // why unknown
    std::vector<int> estimates;  // estimated parameters that shaped the value (recognized incomes)
};

struct Evaluation {
    std::vector<Outcome> outcomes;  // by program index
    std::array<Derived, kHVarCount> vars;
};

struct Options {
    bool reasons = true;
    bool trace = false;
};

// Evaluates every program. `params` must be for the same date as `date`.
Evaluation evaluate(const Rules& rules, const ParamsAt& params, HouseholdView h, const Options& opt);

// The compact form the re-screening job keeps: per program, status and amount.
struct Screening {
    std::uint64_t eligible = 0;       // bit per program index
    std::uint64_t undetermined = 0;
};
// Screens without reasons or trace; `amounts` (if not null) receives one amount per program
// (-1 where none).
Screening screen(const Rules& rules, const ParamsAt& params, HouseholdView h, std::int64_t* amounts = nullptr);

// Member age in full years and months on a date (nullopt when unknown).
std::optional<int> member_age(const Member& m, Days date);
std::optional<int> member_age_months(const Member& m, Days date);

}  // namespace dure::eligibility
