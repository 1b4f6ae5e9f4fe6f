#include "eligibility/casefile.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "eligibility/engine.hpp"
#include "eligibility/household.hpp"

namespace dure::eligibility {

namespace json = boost::json;

namespace {

const char* amount_key(Period p) {
    return p == Period::year ? "annual_amount" : p == Period::once ? "lump_sum_amount" : "monthly_amount";
}

void run_case(const Rules& rules, const std::string& where, const json::object& c, CaseReport& rep, std::ostream& out) {
    auto fail = [&](const std::string& msg) {
        ++rep.failures;
        out << "FAIL " << where << ": " << msg << "\n";
    };
    ++rep.cases;
    auto dit = c.find("date");
    auto date = dit != c.end() && dit->value().is_string() ? parse_date(dit->value().as_string()) : std::nullopt;
    if (!date) return fail("date must be YYYY-MM-DD");
    if (!c.contains("household")) return fail("household is missing");
    FieldErrors errors;
    auto h = parse_household(c.at("household"), rules, *date, errors);
    try {
        errors.throw_if_any();
    } catch (const Error& e) {
        std::string msg = "invalid household:";
        for (const auto& f : e.fields()) msg += " " + f.field + " (" + f.message + ")";
        return fail(msg);
    }
    auto eit = c.find("expect");
    if (eit == c.end() || !eit->value().is_object() || eit->value().as_object().empty())
        return fail("expect must name at least one program");
    ParamsAt params(rules, *date);
    auto ev = evaluate(rules, params, h, Options{true, false});
    for (const auto& [code, exp] : eit->value().as_object()) {
        ++rep.checks;
        const Program* p = rules.program(code);
        std::string pw = std::string(code);
        if (!p) {
            fail(pw + ": no such program");
            continue;
        }
        if (!exp.is_object()) {
            fail(pw + ": expected an object with status");
            continue;
        }
        const auto& eo = exp.as_object();
        const auto& o = ev.outcomes[p->index];
        if (auto s = eo.find("status"); s != eo.end()) {
            if (!s->value().is_string() || s->value().as_string() != status_name(o.status)) {
                std::string why;
                for (const auto& r : o.reasons) {
                    why += "\n      " + r.node->label_ko + " → " +
                           (r.held == Tri::yes ? "yes" : r.held == Tri::no ? "no" : "unknown");
                    if (r.node->op == Op::cmp && r.left.known && r.right.known)
                        why += " (" + std::to_string(static_cast<long long>(r.left.v)) + " " + cmp_symbol(r.node->cmp) +
                               " " + std::to_string(static_cast<long long>(r.right.v)) + ")";
                }
                if (o.ask.set)
                    why += "\n      asks: " + std::string(o.ask.member_var ? mvar_name(o.ask.var) : hvar_name(o.ask.var));
                fail(pw + ": status " + status_name(o.status) + ", expected " + json::serialize(s->value()) + why);
                continue;
            }
        }
        for (const char* key : {"monthly_amount", "annual_amount", "lump_sum_amount"}) {
            auto a = eo.find(key);
            if (a == eo.end()) continue;
            if (std::string(key) != amount_key(p->period)) {
                fail(pw + ": the program's amount is " + amount_key(p->period) + ", not " + key);
                continue;
            }
            if (a->value().is_null()) {
                if (o.amount) fail(pw + ": amount " + std::to_string(*o.amount) + ", expected none");
                continue;
            }
            if (!a->value().is_int64()) {
                fail(pw + ": " + key + " must be an integer");
                continue;
            }
            if (!o.amount) fail(pw + ": no amount, expected " + std::to_string(a->value().as_int64()));
            else if (*o.amount != a->value().as_int64())
                fail(pw + ": amount " + std::to_string(*o.amount) + ", expected " + std::to_string(a->value().as_int64()));
        }
    }
}

}  // namespace

CaseReport run_case_files(const Rules& rules, const std::string& dir, std::ostream& out) {
    namespace fs = std::filesystem;
    CaseReport rep;
    std::vector<fs::path> paths;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json") paths.push_back(e.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        ++rep.files;
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        boost::system::error_code ec;
        auto v = json::parse(ss.str(), ec);
        std::string name = path.filename().string();
        if (ec || !v.is_object() || !v.as_object().contains("cases") || !v.as_object().at("cases").is_array()) {
            ++rep.failures;
            out << "FAIL " << name << ": expected {\"cases\": [...]}" << (ec ? " (" + ec.message() + ")" : "") << "\n";
            continue;
        }
        int i = 0;
        for (const auto& c : v.as_object().at("cases").as_array()) {
            std::string where = name + " #" + std::to_string(i++);
            if (!c.is_object()) {
                ++rep.failures;
                out << "FAIL " << where << ": a case is an object\n";
                continue;
            }
            if (auto n = c.as_object().find("name"); n != c.as_object().end() && n->value().is_string())
                where += " (" + std::string(n->value().as_string()) + ")";
            try {
                run_case(rules, where, c.as_object(), rep, out);
            } catch (const std::exception& e) {
                ++rep.failures;
                out << "FAIL " << where << ": " << e.what() << "\n";
            }
        }
    }
    return rep;
}

}  // namespace dure::eligibility
