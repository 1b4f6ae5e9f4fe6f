#include "eligibility/rules.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "common/embedded.hpp"

namespace dure::eligibility {

namespace json = boost::json;

// ---- dates -------------------------------------------------------------------------------

namespace {
// Howard Hinnant's days_from_civil / civil_from_days.
Days days_from_civil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}
bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
}  // namespace

Ymd to_ymd(Days z) {
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int y = static_cast<int>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {y + (m <= 2), m, d};
}

std::optional<Days> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    unsigned m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    static constexpr unsigned mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1800 || m < 1 || m > 12 || d < 1) return std::nullopt;
    unsigned max = mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0);
    if (d > max) return std::nullopt;
    return days_from_civil(y, m, d);
}

std::string format_date(Days d) {
    auto v = to_ymd(d);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", v.y, v.m, v.d);
    return buf;
}

// ---- variable names ----------------------------------------------------------------------

namespace {
constexpr const char* kHNames[kHVarCount] = {
    "household_size", "monthly_income", "financial_assets", "total_assets", "recognized_income",
    "pension_recognized_income", "income_earned", "income_business", "income_property", "income_public_transfer",
    "income_private_transfer", "asset_housing", "asset_deposits", "asset_financial", "asset_vehicles", "debts",
    "rent", "deposit", "recognized_income_given", "pension_recognized_income_given", "tenure", "region", "crisis",
    "single_parent", "multicultural", "defector", "receives"};
constexpr const char* kMNames[kMVarCount] = {"age",         "age_months", "birth_ymd",   "relation",    "disability",
                                             "school",      "nationality", "pregnant",   "employed",
                                             "job_seeking", "veteran",    "in_childcare"};
bool internal_hvar(int v) { return v == recognized_income_given || v == pension_recognized_income_given; }
}  // namespace

const char* const kMethodParamNames[kMethodParamCount] = {
    "earned_income_deduction_rate", "living_necessity_financial_deduction", "basic_property_deduction_seoul",
    "basic_property_deduction_gyeonggi_incheon", "basic_property_deduction_metro_city",
    "basic_property_deduction_other", "conversion_rate_general_property", "conversion_rate_financial",
    "conversion_rate_vehicle", "pension_earned_income_deduction", "pension_earned_income_rate",
    "pension_basic_property_deduction_seoul", "pension_basic_property_deduction_gyeonggi_incheon",
    "pension_basic_property_deduction_metro_city", "pension_basic_property_deduction_other",
    "pension_financial_deduction", "pension_property_conversion_rate"};

const char* hvar_name(int v) { return kHNames[v]; }
const char* mvar_name(int v) { return kMNames[v]; }
std::optional<int> hvar_by_name(std::string_view name) {
    for (int i = 0; i < kHVarCount; ++i)
        if (name == kHNames[i] && !internal_hvar(i)) return i;
    return std::nullopt;
}
std::optional<int> mvar_by_name(std::string_view name) {
    for (int i = 0; i < kMVarCount; ++i)
        if (name == kMNames[i]) return i;
    return std::nullopt;
}

const char* cmp_symbol(Cmp c) {
    switch (c) {
        case Cmp::lt: return "<";
        case Cmp::le: return "<=";
        case Cmp::gt: return ">";
        case Cmp::ge: return ">=";
        case Cmp::eq: return "==";
        case Cmp::ne: return "!=";
    }
    return "?";
}

// ---- parameters --------------------------------------------------------------------------

double ParamValue::at_size(int size) const {
    if (!sized) return value;
    if (size < 1) size = 1;
    if (static_cast<std::size_t>(size) <= by_size.size()) return by_size[size - 1];
    return by_size.back() + step * static_cast<double>(size - static_cast<int>(by_size.size()));
}

const ParamValue* Parameter::in_force(Days d) const {
    const ParamValue* found = nullptr;
    for (const auto& v : values) {
        if (v.from <= d) found = &v;
        else break;
    }
    return found;
}

ParamsAt::ParamsAt(const Rules& rules, Days date) : date_(date) {
    values_.reserve(rules.parameters().size());
    for (const auto& p : rules.parameters()) values_.push_back(p.in_force(date));
}

const Program* Rules::program(std::string_view code) const {
    for (const auto& p : programs_)
        if (p.code == code) return &p;
    return nullptr;
}
const Parameter* Rules::parameter(std::string_view name) const {
    int i = parameter_index(name);
    return i < 0 ? nullptr : &params_[i];
}
int Rules::parameter_index(std::string_view name) const {
    auto it = param_index_.find(name);
    return it == param_index_.end() ? -1 : it->second;
}
int Rules::code_of(bool member, int var, std::string_view value) const {
    const auto& vals = member ? mvars_[var].values : hvars_[var].values;
    for (std::size_t i = 0; i < vals.size(); ++i)
        if (vals[i] == value) return static_cast<int>(i);
    return -1;
}

// ---- loader ------------------------------------------------------------------------------

class RulesLoader {
public:
    explicit RulesLoader(Rules& r) : r_(r) {}

    [[noreturn]] void fail(const std::string& file, const std::string& path, const std::string& msg) {
        throw std::runtime_error("eligibility data " + file + (path.empty() ? "" : " at " + path) + ": " + msg);
    }

    json::value parse(const std::string& file, const std::string& text) {
        boost::system::error_code ec;
        auto v = json::parse(text, ec);
        if (ec) fail(file, "", "not JSON: " + ec.message());
        return v;
    }

    static std::string str(const json::object& o, std::string_view k) {
        auto it = o.find(k);
        return it != o.end() && it->value().is_string() ? std::string(it->value().as_string()) : std::string();
    }
    static bool number(const json::value& v, double& out) {
        if (v.is_int64()) out = static_cast<double>(v.as_int64());
        else if (v.is_uint64()) out = static_cast<double>(v.as_uint64());
        else if (v.is_double()) out = v.as_double();
        else return false;
        return true;
    }

    void load_parameters(const std::string& file, const std::string& text) {
        auto root = parse(file, text);
        if (!root.is_object() || !root.as_object().contains("parameters") ||
            !root.as_object().at("parameters").is_object())
            fail(file, "", "expected {\"parameters\": {…}}");
        for (const auto& [name, pv] : root.as_object().at("parameters").as_object()) {
            std::string path = "parameters." + std::string(name);
            if (r_.param_index_.count(name)) fail(file, path, "defined twice");
            if (!pv.is_object()) fail(file, path, "expected an object");
            const auto& po = pv.as_object();
            Parameter p;
            p.name = name;
            p.label_ko = str(po, "label_ko");
            p.label_en = str(po, "label_en");
            p.unit = str(po, "unit");
            if (p.label_ko.empty()) fail(file, path, "label_ko is required");
            auto vit = po.find("values");
            if (vit == po.end() || !vit->value().is_array() || vit->value().as_array().empty())
                fail(file, path, "values must be a non-empty list");
            int i = 0;
            for (const auto& ve : vit->value().as_array()) {
                std::string vpath = path + ".values[" + std::to_string(i++) + "]";
                if (!ve.is_object()) fail(file, vpath, "expected an object");
                const auto& vo = ve.as_object();
                ParamValue val;
                auto from = parse_date(str(vo, "from"));
                if (!from) fail(file, vpath, "from must be a YYYY-MM-DD date");
                val.from = *from;
                val.source = str(vo, "source");
                if (val.source.empty()) fail(file, vpath, "every value needs a source");
                val.estimate = val.source.starts_with("estimate:");
                if (auto ch = vo.find("checked"); ch != vo.end()) {
                    auto cd = ch->value().is_string() ? parse_date(ch->value().as_string()) : std::nullopt;
                    if (!cd) fail(file, vpath, "checked must be a YYYY-MM-DD date");
                    val.checked = *cd;
                }
                if (auto it = vo.find("value"); it != vo.end()) {
                    if (!number(it->value(), val.value)) fail(file, vpath, "value must be a number");
                } else if (auto bs = vo.find("by_size"); bs != vo.end()) {
                    if (!bs->value().is_array() || bs->value().as_array().empty())
                        fail(file, vpath, "by_size must be a non-empty list of numbers");
                    val.sized = true;
                    for (const auto& n : bs->value().as_array()) {
                        double x;
                        if (!number(n, x)) fail(file, vpath, "by_size must hold numbers");
                        val.by_size.push_back(x);
                    }
                    if (auto st = vo.find("step"); st != vo.end() && !number(st->value(), val.step))
                        fail(file, vpath, "step must be a number");
                } else {
                    fail(file, vpath, "needs value or by_size");
                }
                if (!p.values.empty() && p.values.back().from >= val.from)
                    fail(file, vpath, "values must be in increasing order of from");
                p.values.push_back(std::move(val));
            }
            r_.param_index_.emplace(p.name, static_cast<int>(r_.params_.size()));
            r_.params_.push_back(std::move(p));
        }
    }

    void load_variables(const std::string& file, const std::string& text) {
        auto root = parse(file, text);
        if (!root.is_object()) fail(file, "", "expected an object");
        auto section = [&](const char* key, bool member) {
            auto it = root.as_object().find(key);
            if (it == root.as_object().end() || !it->value().is_object()) fail(file, key, "missing");
            std::set<int> seen;
            for (const auto& [name, v] : it->value().as_object()) {
                std::string path = std::string(key) + "." + std::string(name);
                auto id = member ? mvar_by_name(name) : hvar_by_name(name);
                if (!id) fail(file, path, "not a variable the engine knows");
                if (!v.is_object()) fail(file, path, "expected an object");
                const auto& o = v.as_object();
                VariableInfo info;
                info.name = name;
                info.type = str(o, "type");
                info.label_ko = str(o, "label_ko");
                info.label_en = str(o, "label_en");
                info.question_ko = str(o, "question_ko");
                info.question_en = str(o, "question_en");
                info.computed = o.contains("computed") && o.at("computed").is_bool() && o.at("computed").as_bool();
                if (auto vs = o.find("values"); vs != o.end() && vs->value().is_array())
                    for (const auto& e : vs->value().as_array())
                        if (e.is_string()) info.values.emplace_back(e.as_string());
                if (info.label_ko.empty()) fail(file, path, "label_ko is required");
                (member ? r_.mvars_[*id] : r_.hvars_[*id]) = std::move(info);
                seen.insert(*id);
            }
            int n = member ? static_cast<int>(kMVarCount) : static_cast<int>(kHVarCount);
            for (int i = 0; i < n; ++i) {
                if (!member && internal_hvar(i)) continue;
                if (!seen.count(i))
                    fail(file, key, std::string("the engine's variable ") + (member ? mvar_name(i) : hvar_name(i)) +
                                        " is not described");
            }
        };
        section("household", false);
        section("member", true);
        // The given-value inputs share their computed variable's description.
        r_.hvars_[recognized_income_given] = r_.hvars_[recognized_income];
        r_.hvars_[pension_recognized_income_given] = r_.hvars_[pension_recognized_income];
    }

    struct Ctx {
        std::string file;
        bool member = false;       // inside a member condition
        std::vector<std::string>* eligible_refs;
    };

    static Cmp parse_cmp(std::string_view s, bool& ok) {
        ok = true;
        if (s == "<") return Cmp::lt;
        if (s == "<=") return Cmp::le;
        if (s == ">") return Cmp::gt;
        if (s == ">=") return Cmp::ge;
        if (s == "==") return Cmp::eq;
        if (s == "!=") return Cmp::ne;
        ok = false;
        return Cmp::eq;
    }

    void labels(Node& n, const json::object& o, const Ctx& c, bool required) {
        n.label_ko = str(o, "label_ko");
        n.label_en = str(o, "label_en");
        if (required && !c.member && n.label_ko.empty()) fail(c.file, n.path, "label_ko is required on this condition");
        if (n.label_en.empty()) n.label_en = n.label_ko;
    }

    // The single operator key of an expression or condition object (labels aside).
    std::string op_key(const json::object& o, const Ctx& c, const std::string& path,
                       std::initializer_list<std::string_view> extra) {
        std::string key;
        for (const auto& [k, v] : o) {
            if (k == "label_ko" || k == "label_en") continue;
            if (std::find(extra.begin(), extra.end(), std::string_view(k)) != extra.end()) continue;
            if (!key.empty()) fail(c.file, path, "more than one operator: " + key + " and " + std::string(k));
            key = k;
        }
        if (key.empty()) fail(c.file, path, "no operator");
        return key;
    }

    Node expr(const json::value& v, const Ctx& c, const std::string& path) {
        Node n;
        n.path = path;
        if (double x; number(v, x)) {
            n.op = Op::num;
            n.num = x;
            return n;
        }
        if (!v.is_object()) fail(c.file, path, "expected a number or an expression object");
        const auto& o = v.as_object();
        auto key = op_key(o, c, path, {"unit", "size", "where", "then", "else"});
        const auto& a = o.at(key);
        auto list = [&](std::size_t min, std::size_t max) {
            if (!a.is_array() || a.as_array().size() < min || a.as_array().size() > max)
                fail(c.file, path, key + " needs a list of " + std::to_string(min) +
                                       (max == min ? "" : (max > 100 ? " or more" : " to " + std::to_string(max))) +
                                       " expressions");
            int i = 0;
            for (const auto& e : a.as_array())
                n.kids.push_back(expr(e, c, path + "." + key + "[" + std::to_string(i++) + "]"));
        };
        if (key == "var") {
            if (!a.is_string()) fail(c.file, path, "var needs a variable name");
            auto id = hvar_by_name(a.as_string());
            if (!id) fail(c.file, path, "unknown household variable " + std::string(a.as_string()));
            n.op = Op::var;
            n.id = *id;
        } else if (key == "mvar") {
            if (!c.member) fail(c.file, path, "mvar is only allowed inside a member condition");
            if (!a.is_string()) fail(c.file, path, "mvar needs a variable name");
            auto id = mvar_by_name(a.as_string());
            if (!id) fail(c.file, path, "unknown member variable " + std::string(a.as_string()));
            n.op = Op::mvar;
            n.id = *id;
        } else if (key == "param") {
            if (!a.is_string()) fail(c.file, path, "param needs a parameter name");
            n.op = Op::param;
            n.id = r_.parameter_index(a.as_string());
            if (n.id < 0) fail(c.file, path, "unknown parameter " + std::string(a.as_string()));
            if (auto s = o.find("size"); s != o.end()) n.kids.push_back(expr(s->value(), c, path + ".size"));
        } else if (key == "add" || key == "mul" || key == "min" || key == "max") {
            n.op = key == "add" ? Op::add : key == "mul" ? Op::mul : key == "min" ? Op::min : Op::max;
            list(1, 1000);
        } else if (key == "sub" || key == "div") {
            n.op = key == "sub" ? Op::sub : Op::div;
            list(2, 2);
        } else if (key == "floor" || key == "round") {
            n.op = key == "floor" ? Op::floor : Op::round;
            n.kids.push_back(expr(a, c, path + "." + key));
            n.num = 1;
            if (auto u = o.find("unit"); u != o.end())
                if (!number(u->value(), n.num) || n.num <= 0) fail(c.file, path, "unit must be a positive number");
        } else if (key == "if") {
            n.op = Op::if_;
            if (!o.contains("then") || !o.contains("else")) fail(c.file, path, "if needs then and else");
            n.kids.push_back(cond(a, c, path + ".if"));
            n.kids.push_back(expr(o.at("then"), c, path + ".then"));
            n.kids.push_back(expr(o.at("else"), c, path + ".else"));
        } else if (key == "count_members") {
            if (c.member) fail(c.file, path, "member conditions do not nest");
            n.op = Op::count_members;
            Ctx mc = c;
            mc.member = true;
            n.kids.push_back(cond(a, mc, path + ".count_members"));
        } else if (key == "sum_members") {
            if (c.member) fail(c.file, path, "member conditions do not nest");
            n.op = Op::sum_members;
            Ctx mc = c;
            mc.member = true;
            n.kids.push_back(expr(a, mc, path + ".sum_members"));
            if (auto w = o.find("where"); w != o.end()) n.kids.push_back(cond(w->value(), mc, path + ".where"));
        } else {
            fail(c.file, path, "unknown expression operator " + key);
        }
        return n;
    }

    Node cond(const json::value& v, const Ctx& c, const std::string& path) {
        Node n;
        n.path = path;
        if (!v.is_object()) fail(c.file, path, "expected a condition object");
        const auto& o = v.as_object();
        auto key = op_key(o, c, path, {"in"});
        const auto& a = o.at(key);
        if (key == "all" || key == "any") {
            n.op = key == "all" ? Op::all : Op::any;
            if (!a.is_array() || a.as_array().empty()) fail(c.file, path, key + " needs a non-empty list");
            int i = 0;
            for (const auto& e : a.as_array()) n.kids.push_back(cond(e, c, path + "." + key + "[" + std::to_string(i++) + "]"));
            labels(n, o, c, false);
        } else if (key == "not") {
            n.op = Op::not_;
            n.kids.push_back(cond(a, c, path + ".not"));
            labels(n, o, c, false);
        } else if (key == "cmp") {
            n.op = Op::cmp;
            if (!a.is_array() || a.as_array().size() != 3 || !a.as_array()[0].is_string())
                fail(c.file, path, "cmp needs [\"<=\", left, right]");
            bool ok;
            n.cmp = parse_cmp(a.as_array()[0].as_string(), ok);
            if (!ok) fail(c.file, path, "unknown comparison " + std::string(a.as_array()[0].as_string()));
            n.kids.push_back(expr(a.as_array()[1], c, path + ".cmp[1]"));
            n.kids.push_back(expr(a.as_array()[2], c, path + ".cmp[2]"));
            labels(n, o, c, true);
        } else if (key == "is" || key == "flag") {
            if (!a.is_string()) fail(c.file, path, key + " needs a variable name");
            auto name = std::string(a.as_string());
            std::optional<int> id = c.member ? mvar_by_name(name) : hvar_by_name(name);
            if (!id) fail(c.file, path, std::string("unknown ") + (c.member ? "member" : "household") + " variable " + name);
            const auto& info = c.member ? r_.mvars_[*id] : r_.hvars_[*id];
            n.member_scope = c.member;
            n.id = *id;
            if (key == "flag") {
                if (info.type != "bool") fail(c.file, path, name + " is not a yes/no variable");
                n.op = Op::flag;
            } else {
                if (info.type != "enum") fail(c.file, path, name + " is not a coded variable");
                n.op = Op::is;
                auto in = o.find("in");
                if (in == o.end() || !in->value().is_array() || in->value().as_array().empty())
                    fail(c.file, path, "is needs \"in\": [values]");
                for (const auto& e : in->value().as_array()) {
                    int code = e.is_string() ? r_.code_of(c.member, *id, e.as_string()) : -1;
                    if (code < 0) fail(c.file, path, "not a value of " + name + ": " + json::serialize(e));
                    n.set |= 1ull << code;
                }
            }
            labels(n, o, c, true);
        } else if (key == "any_member" || key == "all_members") {
            if (c.member) fail(c.file, path, "member conditions do not nest");
            n.op = key == "any_member" ? Op::any_member : Op::all_members;
            Ctx mc = c;
            mc.member = true;
            n.kids.push_back(cond(a, mc, path + "." + key));
            labels(n, o, c, true);
        } else if (key == "eligible") {
            if (!a.is_string()) fail(c.file, path, "eligible needs a program code");
            n.op = Op::eligible;
            c.eligible_refs->emplace_back(a.as_string());
            n.id = static_cast<int>(c.eligible_refs->size()) - 1;  // resolved after all programs load
            labels(n, o, c, true);
        } else {
            fail(c.file, path, "unknown condition operator " + key);
        }
        return n;
    }

    void load_program(const std::string& file, const std::string& text, std::vector<std::string>& refs) {
        auto root = parse(file, text);
        if (!root.is_object()) fail(file, "", "expected an object");
        const auto& o = root.as_object();
        static const std::set<std::string, std::less<>> allowed = {
            "program", "name_ko", "name_en", "criteria", "amount", "period", "notes_ko", "notes_en", "source"};
        for (const auto& [k, v] : o)
            if (!allowed.count(k)) fail(file, std::string(k), "unknown field");
        Program p;
        p.file = file;
        p.code = str(o, "program");
        p.name_ko = str(o, "name_ko");
        p.name_en = str(o, "name_en");
        p.notes_ko = str(o, "notes_ko");
        p.notes_en = str(o, "notes_en");
        p.source = str(o, "source");
        if (p.code.empty() || p.name_ko.empty()) fail(file, "", "program and name_ko are required");
        if (p.source.empty()) fail(file, "source", "every program cites its source");
        if (p.name_en.empty()) p.name_en = p.name_ko;
        if (r_.program(p.code)) fail(file, "program", "program " + p.code + " is defined twice");
        if (!o.contains("criteria")) fail(file, "criteria", "required");
        Ctx c{file, false, &refs};
        p.criteria = cond(o.at("criteria"), c, "criteria");
        if (auto a = o.find("amount"); a != o.end()) p.amount = std::make_unique<Node>(expr(a->value(), c, "amount"));
        auto period = str(o, "period");
        if (period.empty() || period == "month") p.period = Period::month;
        else if (period == "year") p.period = Period::year;
        else if (period == "once") p.period = Period::once;
        else fail(file, "period", "month, year or once");
        p.index = static_cast<int>(r_.programs_.size());
        r_.programs_.push_back(std::move(p));
    }

    static void params_of(const Node& n, std::set<int>& out, bool& reads_income) {
        if (n.op == Op::param) out.insert(n.id);
        if (n.op == Op::var && (n.id == recognized_income || n.id == pension_recognized_income)) reads_income = true;
        for (const auto& k : n.kids) params_of(k, out, reads_income);
    }

    // Walks every node: resolves `eligible` references, and records the parameters used.
    void resolve(Node& n, const std::vector<std::string>& refs, int self, std::set<int>& deps, std::set<int>& used) {
        if (n.op == Op::eligible) {
            const auto* target = r_.program(refs[n.id]);
            if (!target) fail(r_.programs_[self].file, n.path, "unknown program " + refs[n.id]);
            if (target->index == self) fail(r_.programs_[self].file, n.path, "a program cannot depend on itself");
            n.id = target->index;
            deps.insert(n.id);
        }
        if (n.op == Op::param) used.insert(n.id);
        for (auto& k : n.kids) resolve(k, refs, self, deps, used);
    }

    void finish(std::vector<std::vector<std::string>>& refs_per_program) {
        if (r_.programs_.size() > 64) throw std::runtime_error("eligibility data: at most 64 programs");
        std::vector<std::set<int>> deps(r_.programs_.size());
        std::set<int> used;
        for (auto& p : r_.programs_) {
            resolve(p.criteria, refs_per_program[p.index], p.index, deps[p.index], used);
            if (p.amount) resolve(*p.amount, refs_per_program[p.index], p.index, deps[p.index], used);
        }
        // Parameters the recognized-income methods read are used too.
        for (int k = 0; k < kMethodParamCount; ++k) {
            const char* name = kMethodParamNames[k];
            int i = r_.parameter_index(name);
            r_.method_params_[k] = i;
            if (i < 0 && !r_.programs_.empty())
                throw std::runtime_error(std::string("eligibility data: the parameter ") + name +
                                         " (recognized-income method) is missing");
            if (i >= 0) used.insert(i);
        }
        for (auto& p : r_.programs_) {
            if (!p.amount) continue;
            std::set<int> ps;
            bool reads_income = false;
            params_of(*p.amount, ps, reads_income);
            if (reads_income)
                for (int i : r_.method_params_)
                    if (i >= 0) ps.insert(i);
            p.amount_params.assign(ps.begin(), ps.end());
        }
        // Topological order (depth-first; a cycle is an error).
        std::vector<int> state(r_.programs_.size(), 0);
        std::function<void(int)> visit = [&](int i) {
            if (state[i] == 2) return;
            if (state[i] == 1) fail(r_.programs_[i].file, "", "eligible conditions form a cycle");
            state[i] = 1;
            for (int d : deps[i]) visit(d);
            state[i] = 2;
            r_.order_.push_back(i);
        };
        for (std::size_t i = 0; i < r_.programs_.size(); ++i) visit(static_cast<int>(i));
        // The dates covered.
        Days first = 0, last = 0;
        for (int i : used) {
            const auto& p = r_.params_[i];
            first = std::max(first, p.values.front().from);
            last = std::max(last, p.values.back().from);
        }
        r_.first_date_ = first;
        auto y = to_ymd(last).y;
        r_.last_date_ = *parse_date(std::to_string(y) + "-12-31");
    }


private:
    Rules& r_;
};

SourceReport check_sources(const Rules& rules) {
    SourceReport rep;
    const auto& params = rules.parameters();
    std::vector<int> estimates(params.size(), 0);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto& p = params[i];
        for (const auto& v : p.values) {
            ++rep.values;
            rep.newest_year = std::max(rep.newest_year, to_ymd(v.from).y);
            if (v.checked != kNoDate) ++rep.checked;
            if (v.estimate) {
                ++rep.estimates;
                ++estimates[i];
            } else if (v.source.starts_with("unverified") || v.source.find_first_not_of(" \t") == std::string::npos) {
                ++rep.unsourced;
                rep.unsourced_values.push_back(p.name + " " + format_date(v.from));
            }
        }
    }
    for (const auto& p : params) {
        bool before = false, two_before = false, newest = false;
        for (const auto& v : p.values) {
            int y = to_ymd(v.from).y;
            before |= y == rep.newest_year - 1;
            two_before |= y == rep.newest_year - 2;
            newest |= y == rep.newest_year;
        }
        if (before && two_before && !newest) rep.missing_newest_year.push_back(p.name);
    }
    // Per program: the estimated values among the parameters it reads (criteria and amount).
    for (const auto& prog : rules.programs()) {
        std::set<int> used;
        std::function<void(const Node&)> walk = [&](const Node& n) {
            if (n.op == Op::param) used.insert(n.id);
            for (const auto& k : n.kids) walk(k);
        };
        walk(prog.criteria);
        for (int i : prog.amount_params) used.insert(i);
        if (prog.amount) walk(*prog.amount);
        int n = 0;
        for (int i : used) n += estimates[i];
        rep.estimates_by_program[prog.code] = n;
    }
    return rep;
}

std::shared_ptr<const Rules> Rules::from_files(const std::vector<std::pair<std::string, std::string>>& files) {
    auto rules = std::make_shared<Rules>();
    RulesLoader loader(*rules);
    auto sorted = files;
    std::sort(sorted.begin(), sorted.end());
    bool have_vars = false;
    for (const auto& [path, text] : sorted)
        if (path.find("parameters/") != std::string::npos) loader.load_parameters(path, text);
    for (const auto& [path, text] : sorted)
        if (path.ends_with("variables.json")) {
            loader.load_variables(path, text);
            have_vars = true;
        }
    if (!have_vars) throw std::runtime_error("eligibility data: variables.json is missing");
    std::vector<std::vector<std::string>> refs;
    for (const auto& [path, text] : sorted)
        if (path.find("programs/") != std::string::npos) {
            refs.emplace_back();
            loader.load_program(path, text, refs.back());
        }
    loader.finish(refs);
    return rules;
}

std::shared_ptr<const Rules> Rules::embedded() {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& f : dure::embedded::files())
        if (f.path.starts_with("data/eligibility/") && f.path.ends_with(".json"))
            files.emplace_back(std::string(f.path), std::string(f.text));
    return from_files(files);
}

std::shared_ptr<const Rules> Rules::from_directory(const std::string& dir) {
    namespace fs = std::filesystem;
    std::vector<std::pair<std::string, std::string>> files;
    if (!fs::is_directory(dir)) throw std::runtime_error("eligibility data: no directory " + dir);
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file() || e.path().extension() != ".json") continue;
        std::ifstream in(e.path(), std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        files.emplace_back(fs::relative(e.path(), dir).generic_string(), ss.str());
    }
    return from_files(files);
}

}  // namespace dure::eligibility
