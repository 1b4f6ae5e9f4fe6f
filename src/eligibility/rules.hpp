#pragma once
// Rules as data: parameters with dates and sources, the household variables and their questions,
// and each program's criteria tree and amount formula, compiled from data/eligibility/ into
// nodes that refer to variables and parameters by index. See docs/eligibility.md.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "eligibility/model.hpp"

namespace dure::eligibility {

struct ParamValue {
    Days from = 0;
    bool sized = false;
    double value = 0;              // when !sized
    std::vector<double> by_size;   // households of 1, 2, 3 … people
    double step = 0;               // added per member beyond by_size
    std::string source;
    bool estimate = false;         // source starts with "estimate:" (no official figure found)
    Days checked = kNoDate;        // when the source was last checked ("checked", optional)

    double at_size(int size) const;
};

struct Parameter {
    std::string name, label_ko, label_en, unit;
    std::vector<ParamValue> values;  // sorted by from
    const ParamValue* in_force(Days d) const;
};

// A question for an input variable (from variables.json).
struct VariableInfo {
    std::string name, type, label_ko, label_en, question_ko, question_en;
    std::vector<std::string> values;  // enum codes, in code order
    bool computed = false;
};

// The parameters the two recognized-income methods read (docs/eligibility.md), in this order.
inline constexpr int kMethodParamCount = 17;
extern const char* const kMethodParamNames[kMethodParamCount];

enum class Op : std::uint8_t {
    // numbers
    num, var, mvar, param, add, sub, mul, div, min, max, floor, if_, count_members, sum_members,
    // conditions
    all, any, not_, cmp, is, flag, any_member, all_members, eligible,
    // numbers, added later (kept last so the names table stays in order)
    round,
};
enum class Cmp : std::uint8_t { lt, le, gt, ge, eq, ne };
const char* cmp_symbol(Cmp c);

struct Node {
    Op op = Op::num;
    Cmp cmp = Cmp::eq;
    bool member_scope = false;  // is/flag on a member variable
    std::int32_t id = -1;       // variable, parameter or program index
    double num = 0;             // literal, or the floor unit
    std::uint64_t set = 0;      // `is`: accepted codes
    std::vector<Node> kids;
    std::string label_ko, label_en;
    std::string path;  // where in the program file, e.g. criteria.all[0]
};

enum class Period : std::uint8_t { month, year, once };

struct Program {
    int index = 0;
    std::string code, name_ko, name_en, notes_ko, notes_en, source;
    Node criteria;
    std::unique_ptr<Node> amount;
    Period period = Period::month;
    std::string file;
    // The parameters the amount depends on: those in the formula, plus the recognized-income
    // method's when the formula reads recognized_income or pension_recognized_income.
    std::vector<int> amount_params;
};

class Rules {
public:
    // Loads from the embedded data/eligibility/ files.
    static std::shared_ptr<const Rules> embedded();
    // Loads from a directory laid out like data/eligibility/.
    static std::shared_ptr<const Rules> from_directory(const std::string& dir);
    // Loads from (path, text) pairs: parameters/*.json, variables.json, programs/*.json.
    static std::shared_ptr<const Rules> from_files(const std::vector<std::pair<std::string, std::string>>& files);

    const std::vector<Program>& programs() const { return programs_; }
    // Programs in an order where each comes after every program its `eligible` conditions name.
    const std::vector<int>& order() const { return order_; }
    const Program* program(std::string_view code) const;
    const std::vector<Parameter>& parameters() const { return params_; }
    const Parameter* parameter(std::string_view name) const;
    int parameter_index(std::string_view name) const;  // -1 when absent

    const VariableInfo& hvar(int v) const { return hvars_[v]; }
    const VariableInfo& mvar(int v) const { return mvars_[v]; }
    // The code of an enum value of a household (member=false) or member variable; -1 when not one.
    int code_of(bool member, int var, std::string_view value) const;

    // Simulation dates the parameters cover: from the latest first value among the parameters
    // the programs use, through 31 December of the year of the latest value.
    Days first_date() const { return first_date_; }
    // The index of the k-th recognized-income method parameter (kMethodParamNames), -1 if absent.
    int method_param(int k) const { return method_params_[k]; }
    Days last_date() const { return last_date_; }

private:
    std::vector<Parameter> params_;
    std::map<std::string, int, std::less<>> param_index_;
    std::vector<Program> programs_;
    std::vector<int> order_;
    std::array<VariableInfo, kHVarCount> hvars_;
    std::array<VariableInfo, kMVarCount> mvars_;
    Days first_date_ = 0, last_date_ = 0;
    std::array<int, kMethodParamCount> method_params_{};

    friend class RulesLoader;
};

// What `dure eligibility check` reports about the sources (docs/sources.md).
struct SourceReport {
    int values = 0, estimates = 0, unsourced = 0, checked = 0;
    std::map<std::string, int> estimates_by_program;  // program code -> estimated values it reads
    std::vector<std::string> unsourced_values;        // "name from" with no official source
    int newest_year = 0;
    std::vector<std::string> missing_newest_year;     // renewed-yearly parameters without a newest-year value
    bool ok() const { return unsourced == 0 && missing_newest_year.empty(); }
};
// Every value must cite a source; "unverified:" does not count as one. The newest year is the
// latest year any value starts in; a parameter with values starting in each of the two years
// before it is renewed yearly and must have a value starting in the newest year too.
SourceReport check_sources(const Rules& rules);

// Parameters resolved for one date: one pointer per parameter (nullptr when not in force).
class ParamsAt {
public:
    ParamsAt(const Rules& rules, Days date);
    const ParamValue* operator[](int i) const { return values_[i]; }
    Days date() const { return date_; }

private:
    std::vector<const ParamValue*> values_;
    Days date_;
};

}  // namespace dure::eligibility
