#include "eligibility/report.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <map>

namespace dure::eligibility {

namespace json = boost::json;

namespace {

json::value num(double v) {
    if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<std::int64_t>(v);
    return v;
}

json::value tri(Tri t) {
    if (t == Tri::yes) return true;
    if (t == Tri::no) return false;
    return nullptr;
}

const char* period_name(Period p) { return p == Period::year ? "year" : p == Period::once ? "once" : "month"; }

json::object reason_json(const Reason& r) {
    const Node& n = *r.node;
    json::object o{{"label_ko", n.label_ko}, {"label_en", n.label_en}, {"held", tri(r.held)}, {"kind", n.op == Op::cmp ? "compare" : n.op == Op::eligible ? "program" : n.op == Op::is || n.op == Op::flag ? "answer" : "members"}};
    if (n.op == Op::cmp) {
        o["op"] = cmp_symbol(n.cmp);
        o["left"] = r.left.known ? num(r.left.v) : json::value(nullptr);
        o["right"] = r.right.known ? num(r.right.v) : json::value(nullptr);
        if (n.kids[0].op == Op::var) o["variable"] = hvar_name(n.kids[0].id);
        // What would change the answer: how far the left side is from passing.
        if (r.held == Tri::no && r.left.known && r.right.known && n.cmp != Cmp::eq && n.cmp != Cmp::ne) {
            double gap = std::fabs(r.left.v - r.right.v);
            if (n.cmp == Cmp::lt || n.cmp == Cmp::gt) gap += 1;  // must cross the line, not touch it
            o["gap"] = num(std::ceil(gap));
            o["direction"] = (n.cmp == Cmp::lt || n.cmp == Cmp::le) ? "decrease" : "increase";
        }
    }
    if (r.member >= 0) o["member"] = r.member;
    return o;
}

}  // namespace

json::object ask_json(const Rules& rules, const Ask& a) {
    const auto& info = a.member_var ? rules.mvar(a.var) : rules.hvar(a.var);
    json::object o{{"variable", info.name}, {"question_ko", info.question_ko}, {"question_en", info.question_en},
                   {"type", info.type}};
    if (a.member_var) o["member"] = a.member;
    if (!info.values.empty()) {
        json::array vs;
        for (const auto& v : info.values) vs.emplace_back(v);
        o["values"] = std::move(vs);
    }
    return o;
}

json::object simulation_json(const Rules& rules, Days date, HouseholdView h, const Evaluation& e,
                             const std::vector<CatalogProgram>& catalog, bool trace) {
    std::map<std::string, const CatalogProgram*> by_code;
    for (const auto& c : catalog) by_code.emplace(c.code, &c);

    json::array results;
    std::map<std::string, std::pair<int, json::object>> questions;  // key -> (count, ask)
    ParamsAt at(rules, date);
    for (const auto& p : rules.programs()) {
        const Outcome& o = e.outcomes[p.index];
        json::object r{{"program", p.code},
                       {"name_ko", p.name_ko},
                       {"name_en", p.name_en},
                       {"status", status_name(o.status)},
                       {"period", period_name(p.period)}};
        if (o.amount) {
            const char* key = p.period == Period::year ? "annual_amount" : p.period == Period::once ? "lump_sum_amount" : "monthly_amount";
            r[key] = *o.amount;
            // An amount that reads a figure no official source confirmed is an estimate (추정).
            json::array est;
            for (int i : o.estimates)
                if (const auto* v = at[i]; v && v->estimate)
                    est.push_back(json::object{{"parameter", rules.parameters()[i].name},
                                               {"label_ko", rules.parameters()[i].label_ko},
                                               {"source", v->source}});
            r["amount_estimate"] = !est.empty();
            if (!est.empty()) r["estimated_parameters"] = std::move(est);
        }
        json::array reasons;
        for (const auto& rs : o.reasons) reasons.push_back(reason_json(rs));
        r["reasons"] = std::move(reasons);
        if (o.ask.set) {
            auto q = ask_json(rules, o.ask);
            r["question"] = q;
            std::string key = q.at("variable").as_string().c_str();
            if (o.ask.member_var) key += "#" + std::to_string(o.ask.member);
            auto& slot = questions[key];
            slot.first++;
            slot.second = std::move(q);
        }
        if (!p.notes_ko.empty()) r["notes_ko"] = p.notes_ko;
        if (!p.notes_en.empty()) r["notes_en"] = p.notes_en;
        r["source"] = p.source;
        if (auto it = by_code.find(p.code); it != by_code.end()) r["service_id"] = it->second->service_id;
        if (trace) {
            json::array steps;
            for (const auto& s : o.trace) steps.push_back(json::object{{"path", s.path}, {"op", s.op}, {"value", s.value}});
            r["trace"] = std::move(steps);
        }
        results.push_back(std::move(r));
    }
    for (const auto& c : catalog)
        if (!rules.program(c.code))
            results.push_back(json::object{{"program", c.code}, {"name_ko", c.name}, {"name_en", c.name},
                                           {"status", "not_computed"}, {"service_id", c.service_id},
                                           {"reasons", json::array{}}});

    // The questions, the ones deciding the most programs first.
    std::vector<std::pair<int, json::object>> qs;
    for (auto& [k, v] : questions) qs.push_back(std::move(v));
    std::stable_sort(qs.begin(), qs.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    json::array qa;
    for (auto& [count, q] : qs) {
        q["decides"] = count;
        qa.push_back(std::move(q));
    }

    json::object computed;
    for (int v : {household_size, monthly_income, financial_assets, total_assets, recognized_income, pension_recognized_income}) {
        const auto& d = e.vars[v];
        json::object c{{"value", d.value.known ? num(d.value.v) : json::value(nullptr)},
                       {"label_ko", rules.hvar(v).label_ko},
                       {"label_en", rules.hvar(v).label_en}};
        if (d.given) c["given"] = true;
        computed[hvar_name(v)] = std::move(c);
    }
    json::array ages;
    for (const auto& m : h.members) {
        auto a = member_age(m, date);
        ages.push_back(a ? json::value(*a) : json::value(nullptr));
    }
    computed["member_ages"] = std::move(ages);

    return json::object{{"date", format_date(date)},
                        {"computed", std::move(computed)},
                        {"results", std::move(results)},
                        {"questions", std::move(qa)}};
}

}  // namespace dure::eligibility
