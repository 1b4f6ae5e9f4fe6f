#include "eligibility/engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace dure::eligibility {

const char* status_name(Status s) {
    switch (s) {
        case Status::eligible: return "eligible";
        case Status::not_eligible: return "not_eligible";
        case Status::undetermined: return "undetermined";
        case Status::not_computed: return "not_computed";
    }
    return "?";
}

std::optional<int> member_age(const Member& m, Days date) {
    if (m.birth != kNoDate) {
        auto b = to_ymd(m.birth), d = to_ymd(date);
        int years = d.y - b.y;
        if (d.m < b.m || (d.m == b.m && d.d < b.d)) --years;
        return years < 0 ? 0 : years;
    }
    if (m.age >= 0) return m.age;
    return std::nullopt;
}

std::optional<int> member_age_months(const Member& m, Days date) {
    if (m.birth == kNoDate) return std::nullopt;
    auto b = to_ymd(m.birth), d = to_ymd(date);
    int months = (d.y - b.y) * 12 + static_cast<int>(d.m) - static_cast<int>(b.m);
    if (d.d < b.d) --months;
    return months < 0 ? 0 : months;
}

namespace {

std::string num_text(double v) {
    char buf[64];
    if (v == std::floor(v) && std::fabs(v) < 1e15) std::snprintf(buf, sizeof buf, "%.0f", v);
    else std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}
const char* tri_text(Tri t) { return t == Tri::yes ? "true" : t == Tri::no ? "false" : "unknown"; }
const char* op_text(Op op) {
    static constexpr const char* names[] = {"num", "var", "mvar", "param", "add", "sub", "mul", "div",
                                            "min", "max", "floor", "if", "count_members", "sum_members",
                                            "all", "any", "not", "cmp", "is", "flag", "any_member",
                                            "all_members", "eligible", "round"};
    return names[static_cast<int>(op)];
}

enum MethodParam {
    earned_rate, living_fin, bpd_seoul, bpd_gi, bpd_metro, bpd_other, conv_general, conv_fin, conv_vehicle,
    p_earned_deduction, p_earned_rate, p_bpd_seoul, p_bpd_gi, p_bpd_metro, p_bpd_other, p_fin_deduction, p_conv,
    kMethodParamTotal
};
static_assert(kMethodParamTotal == kMethodParamCount);

class Eval {
public:
    Eval(const Rules& r, const ParamsAt& p, HouseholdView h, const Options& o, std::vector<Outcome>& out,
         std::array<Derived, kHVarCount>& vars)
        : r_(r), p_(p), h_(h), opt_(o), out_(out), vars_(vars) {}

    void run() {
        derive();
        // Reuse the outcome slots (the screening loop calls this hundreds of thousands of times).
        out_.resize(r_.programs().size());
        for (auto& o : out_) {
            o.status = Status::not_computed;
            o.amount.reset();
            o.ask = Ask{};
            o.reasons.clear();
            o.trace.clear();
            o.estimates.clear();
        }
        for (int i : r_.order()) program(r_.programs()[i], out_[i]);
    }

private:
    const Rules& r_;
    const ParamsAt& p_;
    HouseholdView h_;
    const Options& opt_;
    std::vector<Outcome>& out_;
    std::array<Derived, kHVarCount>& vars_;
    Outcome* cur_ = nullptr;
    int member_ = -1;     // inside a member condition: which member
    // Member ages on the date, computed once per household (-1: unknown).
    std::array<std::int16_t, 64> ages_{}, months_{};
    bool leaf_ok_ = true;  // reasons are recorded outside member conditions only
    bool in_amount_ = false;  // evaluating an amount: estimated parameters read are recorded

    void note_estimate(int param) {
        auto& e = cur_->estimates;
        if (std::find(e.begin(), e.end(), param) == e.end()) e.push_back(param);
    }
    // A method parameter that mattered for this household: recorded on the derived variable.
    void method_used(Derived& d, int k) const {
        int idx = r_.method_param(k);
        const ParamValue* v = idx < 0 ? nullptr : p_[idx];
        if (v && v->estimate && std::find(d.estimates.begin(), d.estimates.end(), idx) == d.estimates.end())
            d.estimates.push_back(idx);
    }

    // ---- derived household variables ----
    double mp(int k, bool& ok) const {
        int idx = r_.method_param(k);
        const ParamValue* v = idx < 0 ? nullptr : p_[idx];
        if (!v) {
            ok = false;
            return 0;
        }
        return v->at_size(static_cast<int>(h_.members.size()));
    }

    void input(int v) {
        auto& d = vars_[v];
        const auto& c = *h_.core;
        if (v >= kFirstMoney && v < kFirstMoney + kMoneyCount) {
            d.value = {static_cast<double>(c.money_of(v)), c.money_has(v)};
        } else if (v >= kFirstCode && v < kFirstCode + kCodeCount) {
            auto code = c.codes[v - kFirstCode];
            d.value = {static_cast<double>(code), code != kUnknownCode};
        } else if (v >= kFirstFlag && v < kFirstFlag + kFlagCount) {
            int bit = v - kFirstFlag;
            d.value = {static_cast<double>(c.flags >> bit & 1u), static_cast<bool>(c.flags_known >> bit & 1u)};
        } else if (v == receives) {
            d.value = {0, c.receives_known};
        }
        if (!d.value.known) d.missing = Ask{true, false, v, -1};
    }

    // Sum of inputs; unknown (with the first missing one) if any is.
    Derived sum(std::initializer_list<int> vs) {
        Derived d;
        d.value = {0, true};
        for (int v : vs) {
            const auto& x = vars_[v];
            if (!x.value.known) {
                if (d.value.known) d.missing = x.missing;
                d.value.known = false;
            } else {
                d.value.v += x.value.v;
            }
        }
        return d;
    }

    void derive() {
        auto d = to_ymd(p_.date());
        for (std::size_t i = 0; i < h_.members.size() && i < ages_.size(); ++i) {
            const Member& m = h_.members[i];
            ages_[i] = months_[i] = -1;
            if (m.birth != kNoDate) {
                auto b = to_ymd(m.birth);
                int months = (d.y - b.y) * 12 + static_cast<int>(d.m) - static_cast<int>(b.m) - (d.d < b.d ? 1 : 0);
                if (months < 0) months = 0;
                months_[i] = static_cast<std::int16_t>(std::min(months, 32000));
                ages_[i] = static_cast<std::int16_t>(months / 12);
            } else if (m.age >= 0) {
                ages_[i] = m.age;
            }
        }
        for (int v = kFirstMoney; v < kHVarCount; ++v) input(v);
        vars_[household_size] = Derived{{static_cast<double>(h_.members.size()), true}, false, {}};
        vars_[monthly_income] =
            sum({income_earned, income_business, income_property, income_public_transfer, income_private_transfer});
        vars_[financial_assets] = sum({asset_deposits, asset_financial});
        {
            auto t = sum({asset_housing, asset_deposits, asset_financial, asset_vehicles, debts});
            if (t.value.known) t.value.v = std::max(0.0, t.value.v - 2 * vars_[debts].value.v);
            vars_[total_assets] = t;
        }
        vars_[recognized_income] = livelihood_method();
        vars_[pension_recognized_income] = pension_method();
    }

    // The region's basic property deduction; asks the region only when there is property.
    bool region_deduction(int seoul_param, double& out, Derived& d) {
        const auto& reg = vars_[region];
        if (!reg.value.known) {
            d.value.known = false;
            d.missing = reg.missing;
            return false;
        }
        bool ok = true;
        out = mp(seoul_param + static_cast<int>(reg.value.v), ok);  // seoul, gyeonggi_incheon, metro_city, other
        if (!ok) d.value.known = false;
        return ok;
    }

    Derived livelihood_method() {
        if (h_.core->money_has(recognized_income_given))
            return Derived{{static_cast<double>(h_.core->money_of(recognized_income_given)), true}, true, {}};
        Derived d = sum({income_earned, income_business, income_property, income_public_transfer,
                         income_private_transfer, asset_housing, asset_deposits, asset_financial, asset_vehicles, debts});
        if (!d.value.known) return d;
        bool ok = true;
        auto val = [&](int v) { return vars_[v].value.v; };
        double income = val(income_earned) * (1 - mp(earned_rate, ok)) + val(income_business) + val(income_property) +
                        val(income_public_transfer) + val(income_private_transfer);
        double g = val(asset_housing), v = val(asset_vehicles);
        double f = std::max(0.0, val(asset_deposits) + val(asset_financial) - mp(living_fin, ok));
        double conversion = 0;
        bool property = g + f + v > 0;
        if (property) {
            double ded = 0;
            if (!region_deduction(bpd_seoul, ded, d)) return d;
            ded += val(debts);
            for (double* x : {&g, &f, &v}) {
                double take = std::min(*x, ded);
                *x -= take;
                ded -= take;
            }
            conversion = g * mp(conv_general, ok) + f * mp(conv_fin, ok) + v * mp(conv_vehicle, ok);
        }
        if (!ok) return Derived{{0, false}, false, {}};
        d.value = {std::floor(income + conversion), true};
        if (val(income_earned) > 0) method_used(d, earned_rate);
        if (val(asset_deposits) + val(asset_financial) > 0) method_used(d, living_fin);
        if (property) method_used(d, bpd_seoul + static_cast<int>(vars_[region].value.v));
        if (g > 0) method_used(d, conv_general);
        if (f > 0) method_used(d, conv_fin);
        if (v > 0) method_used(d, conv_vehicle);
        return d;
    }

    Derived pension_method() {
        if (h_.core->money_has(pension_recognized_income_given))
            return Derived{{static_cast<double>(h_.core->money_of(pension_recognized_income_given)), true}, true, {}};
        Derived d = sum({income_earned, income_business, income_property, income_public_transfer,
                         income_private_transfer, asset_housing, asset_deposits, asset_financial, asset_vehicles, debts});
        if (!d.value.known) return d;
        bool ok = true;
        auto val = [&](int v) { return vars_[v].value.v; };
        double earned = std::max(0.0, val(income_earned) - mp(p_earned_deduction, ok)) * (1 - mp(p_earned_rate, ok));
        double other = val(income_business) + val(income_property) + val(income_public_transfer) + val(income_private_transfer);
        double general = val(asset_housing) + val(asset_vehicles);
        double fin = val(asset_deposits) + val(asset_financial);
        double conversion = 0;
        if (general + fin > 0 || val(debts) > 0) {
            double ded = 0;
            if (general > 0 && !region_deduction(p_bpd_seoul, ded, d)) return d;
            double property = std::max(0.0, general - ded) + std::max(0.0, fin - mp(p_fin_deduction, ok)) - val(debts);
            conversion = std::max(0.0, property) * mp(p_conv, ok) / 12;
        }
        if (!ok) return Derived{{0, false}, false, {}};
        d.value = {std::floor(earned + other + conversion), true};
        if (val(income_earned) > 0) {
            method_used(d, p_earned_deduction);
            method_used(d, p_earned_rate);
        }
        if (general > 0) method_used(d, p_bpd_seoul + static_cast<int>(vars_[region].value.v));
        if (fin > 0) method_used(d, p_fin_deduction);
        if (conversion > 0) method_used(d, p_conv);
        return d;
    }

    // ---- evaluation ----
    void note_unknown(const Ask& a) {
        if (cur_ && !cur_->ask.set && a.set) cur_->ask = a;
    }
    void trace(const Node& n, const std::string& value) {
        if (!opt_.trace) return;
        std::string path = n.path;
        if (member_ >= 0) path += " [member " + std::to_string(member_) + "]";
        cur_->trace.push_back({std::move(path), op_text(n.op), value});
    }

    Value mvar_value(int v) {
        const Member& m = h_.members[member_];
        Value out;
        if ((v == age || v == age_months) && static_cast<std::size_t>(member_) >= ages_.size()) {
            // more members than the household model allows: unknown
        } else if (v == age) {
            if (ages_[member_] >= 0) out = {static_cast<double>(ages_[member_]), true};
        } else if (v == age_months) {
            if (months_[member_] >= 0) out = {static_cast<double>(months_[member_]), true};
        } else if (v == birth_ymd) {
            if (m.birth != kNoDate) {
                auto b = to_ymd(m.birth);
                out = {static_cast<double>(b.y * 10000 + static_cast<int>(b.m) * 100 + static_cast<int>(b.d)), true};
            }
        } else if (v >= kFirstMemberCode && v < kFirstMemberCode + kMemberCodeCount) {
            auto c = m.codes[v - kFirstMemberCode];
            if (c != kUnknownCode) out = {static_cast<double>(c), true};
        } else {
            int bit = v - kFirstMemberFlag;
            if (m.flags_known >> bit & 1u) out = {static_cast<double>(m.flags >> bit & 1u), true};
        }
        if (!out.known) note_unknown(Ask{true, true, v, member_});
        return out;
    }

    Value expr(const Node& n) {
        Value r;
        switch (n.op) {
            case Op::num: r = {n.num, true}; break;
            case Op::var: {
                const auto& d = vars_[n.id];
                r = d.value;
                if (!r.known) note_unknown(d.missing);
                if (in_amount_)
                    for (int e : d.estimates) note_estimate(e);
                break;
            }
            case Op::mvar: r = mvar_value(n.id); break;
            case Op::param: {
                const ParamValue* pv = p_[n.id];
                if (!pv) break;
                int size = static_cast<int>(h_.members.size());
                if (!n.kids.empty()) {
                    auto s = expr(n.kids[0]);
                    if (!s.known) break;
                    size = static_cast<int>(s.v);
                }
                r = {pv->at_size(size), true};
                if (in_amount_ && pv->estimate) note_estimate(n.id);
                break;
            }
            case Op::add: case Op::mul: case Op::min: case Op::max: {
                r.known = true;
                bool first = true;
                for (const auto& k : n.kids) {
                    auto x = expr(k);
                    if (!x.known) r.known = false;
                    if (first) r.v = x.v;
                    else if (n.op == Op::add) r.v += x.v;
                    else if (n.op == Op::mul) r.v *= x.v;
                    else if (n.op == Op::min) r.v = std::min(r.v, x.v);
                    else r.v = std::max(r.v, x.v);
                    first = false;
                }
                break;
            }
            case Op::sub: case Op::div: {
                auto a = expr(n.kids[0]), b = expr(n.kids[1]);
                r.known = a.known && b.known;
                if (n.op == Op::sub) r.v = a.v - b.v;
                else if (b.v != 0) r.v = a.v / b.v;
                else r.known = false;
                break;
            }
            case Op::floor: {
                auto a = expr(n.kids[0]);
                r = {std::floor(a.v / n.num + 1e-9) * n.num, a.known};
                break;
            }
            case Op::round: {
                // Half up to a multiple of unit: how the ministries publish a selection line
                // (기준 중위소득 × 비율, rounded to the won). The epsilon absorbs binary error in x.5.
                auto a = expr(n.kids[0]);
                r = {std::floor(a.v / n.num + 0.5 + 1e-6) * n.num, a.known};
                break;
            }
            case Op::if_: {
                auto c = cond(n.kids[0]);
                if (c == Tri::yes) r = expr(n.kids[1]);
                else if (c == Tri::no) r = expr(n.kids[2]);
                break;
            }
            case Op::count_members: case Op::sum_members: {
                r = {0, true};
                bool saved = leaf_ok_;
                leaf_ok_ = false;
                for (std::size_t i = 0; i < h_.members.size(); ++i) {
                    member_ = static_cast<int>(i);
                    if (n.op == Op::count_members) {
                        auto c = cond(n.kids[0]);
                        if (c == Tri::unknown) r.known = false;
                        else if (c == Tri::yes) r.v += 1;
                    } else {
                        Tri w = n.kids.size() > 1 ? cond(n.kids[1]) : Tri::yes;
                        if (w == Tri::unknown) r.known = false;
                        if (w != Tri::yes) continue;
                        auto x = expr(n.kids[0]);
                        if (!x.known) r.known = false;
                        r.v += x.v;
                    }
                }
                member_ = -1;
                leaf_ok_ = saved;
                break;
            }
            default: break;
        }
        if (!r.known) r.v = 0;
        if (opt_.trace) trace(n, r.known ? num_text(r.v) : "unknown");
        return r;
    }

    static bool compare(Cmp c, double a, double b) {
        switch (c) {
            case Cmp::lt: return a < b;
            case Cmp::le: return a <= b;
            case Cmp::gt: return a > b;
            case Cmp::ge: return a >= b;
            case Cmp::eq: return a == b;
            case Cmp::ne: return a != b;
        }
        return false;
    }

    void reason(const Node& n, Tri held, Value l = {}, Value rv = {}, int member = -1) {
        if (!opt_.reasons || !leaf_ok_) return;
        cur_->reasons.push_back(Reason{&n, held, l, rv, member});
    }

    // A decided condition forgets the questions its children raised: only an answer that would
    // still change the result is asked.
    Tri cond(const Node& n) {
        Ask saved = cur_->ask;
        cur_->ask = Ask{};
        Tri t = cond_inner(n);
        if (t != Tri::unknown || saved.set) cur_->ask = saved;
        return t;
    }

    Tri cond_inner(const Node& n) {
        Tri t = Tri::unknown;
        switch (n.op) {
            case Op::all: case Op::any: {
                bool any_unknown = false, decided = false;
                Tri stop = n.op == Op::all ? Tri::no : Tri::yes;
                for (const auto& k : n.kids) {
                    auto c = cond(k);  // every child, so every reason is shown
                    if (c == stop) decided = true;
                    if (c == Tri::unknown) any_unknown = true;
                }
                t = decided ? stop : any_unknown ? Tri::unknown : (n.op == Op::all ? Tri::yes : Tri::no);
                break;
            }
            case Op::not_: {
                auto c = cond(n.kids[0]);
                t = c == Tri::unknown ? c : c == Tri::yes ? Tri::no : Tri::yes;
                break;
            }
            case Op::cmp: {
                auto a = expr(n.kids[0]), b = expr(n.kids[1]);
                if (a.known && b.known) t = compare(n.cmp, a.v, b.v) ? Tri::yes : Tri::no;
                reason(n, t, a, b);
                break;
            }
            case Op::is: case Op::flag: {
                Value v;
                if (n.member_scope) v = mvar_value(n.id);
                else {
                    const auto& d = vars_[n.id];
                    v = d.value;
                    if (!v.known) note_unknown(d.missing);
                }
                if (v.known) {
                    bool yes = n.op == Op::flag ? v.v != 0 : (n.set >> static_cast<int>(v.v) & 1u);
                    t = yes ? Tri::yes : Tri::no;
                }
                reason(n, t);
                break;
            }
            case Op::any_member: case Op::all_members: {
                bool any_unknown = false;
                int decider = -1;
                Tri stop = n.op == Op::any_member ? Tri::yes : Tri::no;
                bool saved = leaf_ok_;
                leaf_ok_ = false;
                for (std::size_t i = 0; i < h_.members.size() && decider < 0; ++i) {
                    member_ = static_cast<int>(i);
                    auto c = cond(n.kids[0]);
                    if (c == stop) decider = static_cast<int>(i);
                    else if (c == Tri::unknown) any_unknown = true;
                }
                member_ = -1;
                leaf_ok_ = saved;
                t = decider >= 0 ? stop : any_unknown ? Tri::unknown : (n.op == Op::any_member ? Tri::no : Tri::yes);
                reason(n, t, {}, {}, decider);
                break;
            }
            case Op::eligible: {
                if (h_.core->receives_known && (h_.core->receives >> n.id & 1u)) t = Tri::yes;
                else {
                    const auto& o = out_[n.id];
                    if (o.status == Status::eligible) t = Tri::yes;
                    else if (o.status == Status::not_eligible) t = Tri::no;
                    else {
                        t = Tri::unknown;
                        note_unknown(o.ask);
                    }
                }
                reason(n, t);
                break;
            }
            default: break;
        }
        if (opt_.trace) trace(n, tri_text(t));
        return t;
    }

    void program(const Program& p, Outcome& o) {
        cur_ = &o;
        auto t = cond(p.criteria);
        if (t == Tri::yes) {
            o.status = Status::eligible;
            o.ask = Ask{};
            if (p.amount) {
                in_amount_ = true;
                auto a = expr(*p.amount);
                in_amount_ = false;
                if (a.known) o.amount = static_cast<std::int64_t>(std::max(0.0, std::floor(a.v + 1e-6)));
            }
        } else if (t == Tri::no) {
            o.status = Status::not_eligible;
            o.ask = Ask{};
        } else {
            o.status = Status::undetermined;
        }
        cur_ = nullptr;
    }
};

}  // namespace

Evaluation evaluate(const Rules& rules, const ParamsAt& params, HouseholdView h, const Options& opt) {
    Evaluation e;
    Eval(rules, params, h, opt, e.outcomes, e.vars).run();
    return e;
}

Screening screen(const Rules& rules, const ParamsAt& params, HouseholdView h, std::int64_t* amounts) {
    static thread_local std::vector<Outcome> out;
    static thread_local std::array<Derived, kHVarCount> vars;
    static const Options opt{false, false};
    Eval(rules, params, h, opt, out, vars).run();
    Screening s;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i].status == Status::eligible) s.eligible |= 1ull << i;
        else if (out[i].status == Status::undetermined) s.undetermined |= 1ull << i;
        if (amounts) amounts[i] = out[i].amount.value_or(-1);
    }
    return s;
}

}  // namespace dure::eligibility
