#include "eligibility/household.hpp"

#include <boost/json.hpp>

namespace dure::eligibility {

namespace json = boost::json;

namespace {

struct MoneyField {
    const char* key;
    int var;
};
constexpr MoneyField kIncomes[] = {{"earned", income_earned},
                                   {"business", income_business},
                                   {"property", income_property},
                                   {"public_transfer", income_public_transfer},
                                   {"private_transfer", income_private_transfer}};
constexpr MoneyField kAssets[] = {{"housing", asset_housing},
                                  {"deposits", asset_deposits},
                                  {"financial", asset_financial},
                                  {"vehicles", asset_vehicles},
                                  {"debts", debts}};

class Reader {
public:
    Reader(const Rules& r, Days date, FieldErrors& e) : r_(r), date_(date), e_(e) {}

    bool object(const json::value& v, const std::string& f) {
        if (v.is_object()) return true;
        e_.add(f, "not_an_object", "expected an object");
        return false;
    }
    void only(const json::object& o, const std::string& f, std::initializer_list<std::string_view> keys) {
        for (const auto& [k, v] : o) {
            bool ok = false;
            for (auto a : keys) ok = ok || a == k;
            if (!ok) e_.add(f + "." + std::string(k), "unknown_field", "not a field of " + f);
        }
    }
    // A whole number of KRW from 0 to 10^12; null counts as not given.
    std::optional<long long> money(const json::value& v, const std::string& f) {
        if (v.is_null()) return std::nullopt;
        long long x;
        if (v.is_int64()) x = v.as_int64();
        else if (v.is_uint64()) x = v.as_uint64() > static_cast<unsigned long long>(kMaxMoney) ? kMaxMoney + 1 : static_cast<long long>(v.as_uint64());
        else if (v.is_double() && v.as_double() == static_cast<double>(static_cast<long long>(v.as_double())) &&
                 std::abs(v.as_double()) <= 1e15)
            x = static_cast<long long>(v.as_double());
        else {
            e_.add(f, "not_an_amount", "a whole number of won");
            return std::nullopt;
        }
        if (x < 0 || x > kMaxMoney) {
            e_.add(f, "out_of_range", "from 0 to 1,000,000,000,000 won");
            return std::nullopt;
        }
        return x;
    }
    std::optional<bool> boolean(const json::value& v, const std::string& f) {
        if (v.is_null()) return std::nullopt;
        if (!v.is_bool()) {
            e_.add(f, "not_a_boolean", "true or false");
            return std::nullopt;
        }
        return v.as_bool();
    }
    std::optional<std::uint8_t> code(const json::value& v, const std::string& f, bool member, int var) {
        if (v.is_null()) return std::nullopt;
        const auto& info = member ? r_.mvar(var) : r_.hvar(var);
        int c = v.is_string() ? r_.code_of(member, var, v.as_string()) : -1;
        if (c < 0) {
            std::string allowed;
            for (const auto& s : info.values) allowed += (allowed.empty() ? "" : ", ") + s;
            e_.add(f, "unknown_code", "one of: " + allowed);
            return std::nullopt;
        }
        return static_cast<std::uint8_t>(c);
    }

    void member(const json::value& v, const std::string& f, Member& m) {
        if (!object(v, f)) return;
        const auto& o = v.as_object();
        only(o, f, {"id", "name", "relation", "birth_date", "age", "disability", "school", "nationality", "pregnant",
                    "employed", "job_seeking", "veteran", "in_childcare"});
        if (auto it = o.find("id"); it != o.end() && !it->value().is_string() && !it->value().is_int64())
            e_.add(f + ".id", "invalid", "a string or number the client uses to tell members apart");
        if (auto it = o.find("name"); it != o.end() && (!it->value().is_string() || it->value().as_string().size() > 100))
            e_.add(f + ".name", "invalid", "a short text (not stored unless the profile is saved)");
        if (auto it = o.find("birth_date"); it != o.end() && !it->value().is_null()) {
            auto d = it->value().is_string() ? parse_date(it->value().as_string()) : std::nullopt;
            if (!d) e_.add(f + ".birth_date", "invalid_date", "a date as YYYY-MM-DD");
            else if (*d > date_) e_.add(f + ".birth_date", "after_date", "after the simulation date (a pregnancy is \"pregnant\": true on the mother)");
            else if (to_ymd(date_).y - to_ymd(*d).y > 130) e_.add(f + ".birth_date", "out_of_range", "more than 130 years before the simulation date");
            else m.birth = *d;
        }
        if (auto it = o.find("age"); it != o.end() && !it->value().is_null()) {
            const auto& a = it->value();
            if (!a.is_int64() || a.as_int64() < 0 || a.as_int64() > 130)
                e_.add(f + ".age", "out_of_range", "a whole number of years from 0 to 130");
            else if (m.birth != kNoDate) {
                auto Y = to_ymd(date_), B = to_ymd(m.birth);
                int years = Y.y - B.y - ((Y.m < B.m || (Y.m == B.m && Y.d < B.d)) ? 1 : 0);
                if (years != a.as_int64())
                    e_.add(f + ".age", "inconsistent", "does not match birth_date (" + std::to_string(years) + " on the date)");
            } else m.age = static_cast<std::int16_t>(a.as_int64());
        }
        static constexpr std::pair<const char*, int> codes[] = {
            {"relation", relation}, {"disability", disability}, {"school", school}, {"nationality", nationality}};
        for (auto [k, var] : codes)
            if (auto it = o.find(k); it != o.end())
                if (auto c = code(it->value(), f + "." + k, true, var)) m.codes[var - kFirstMemberCode] = *c;
        static constexpr std::pair<const char*, int> flags[] = {{"pregnant", pregnant},
                                                                {"employed", employed},
                                                                {"job_seeking", job_seeking},
                                                                {"veteran", veteran},
                                                                {"in_childcare", in_childcare}};
        for (auto [k, var] : flags)
            if (auto it = o.find(k); it != o.end())
                if (auto b = boolean(it->value(), f + "." + k)) {
                    int bit = var - kFirstMemberFlag;
                    m.flags_known |= 1u << bit;
                    if (*b) m.flags |= 1u << bit;
                }
    }

    // incomes / assets: a present section counts missing entries as zero.
    void money_section(const json::object& o, const char* key, const std::string& f,
                       std::span<const MoneyField> fields, HouseholdCore& c) {
        auto it = o.find(key);
        if (it == o.end() || it->value().is_null()) return;
        std::string sf = f + "." + key;
        if (!object(it->value(), sf)) return;
        const auto& so = it->value().as_object();
        for (const auto& [k, v] : so) {
            bool ok = false;
            for (const auto& mf : fields) ok = ok || k == mf.key;
            if (!ok) e_.add(sf + "." + std::string(k), "unknown_field", "not a field of " + sf);
        }
        for (const auto& mf : fields) {
            auto fi = so.find(mf.key);
            if (fi == so.end()) c.set_money(mf.var, 0);
            else if (auto x = money(fi->value(), sf + "." + mf.key)) c.set_money(mf.var, *x);
            else if (fi->value().is_null()) {}  // explicitly unknown
        }
    }

    Household household(const json::value& v, const std::string& f) {
        Household h;
        if (!object(v, f)) return h;
        const auto& o = v.as_object();
        only(o, f, {"members", "residence", "incomes", "assets", "recognized_income", "pension_recognized_income",
                    "single_parent", "multicultural", "defector", "crisis", "receives"});
        auto& c = h.core;
        auto mit = o.find("members");
        if (mit == o.end() || !mit->value().is_array() || mit->value().as_array().empty())
            e_.add(f + ".members", "required", "a list of at least one member");
        else if (mit->value().as_array().size() > kMaxMembers)
            e_.add(f + ".members", "too_many", "at most " + std::to_string(kMaxMembers) + " members");
        else {
            int i = 0;
            for (const auto& m : mit->value().as_array()) {
                h.members.emplace_back();
                member(m, f + ".members[" + std::to_string(i++) + "]", h.members.back());
            }
        }
        if (auto it = o.find("residence"); it != o.end() && !it->value().is_null()) {
            std::string rf = f + ".residence";
            if (object(it->value(), rf)) {
                const auto& ro = it->value().as_object();
                only(ro, rf, {"district", "dong", "tenure", "rent", "deposit", "region"});
                for (const char* k : {"district", "dong"})
                    if (auto di = ro.find(k); di != ro.end() && !di->value().is_string() && !di->value().is_int64() && !di->value().is_null())
                        e_.add(rf + "." + k, "invalid", "a code or id");
                if (auto ti = ro.find("tenure"); ti != ro.end())
                    if (auto x = code(ti->value(), rf + ".tenure", false, tenure)) c.codes[tenure - kFirstCode] = *x;
                if (auto ti = ro.find("region"); ti != ro.end())
                    if (auto x = code(ti->value(), rf + ".region", false, region)) c.codes[region - kFirstCode] = *x;
                if (auto ri = ro.find("rent"); ri != ro.end())
                    if (auto x = money(ri->value(), rf + ".rent")) c.set_money(rent, *x);
                if (auto ri = ro.find("deposit"); ri != ro.end())
                    if (auto x = money(ri->value(), rf + ".deposit")) c.set_money(deposit, *x);
            }
        }
        money_section(o, "incomes", f, kIncomes, c);
        money_section(o, "assets", f, kAssets, c);
        if (auto it = o.find("recognized_income"); it != o.end())
            if (auto x = money(it->value(), f + ".recognized_income")) c.set_money(recognized_income_given, *x);
        if (auto it = o.find("pension_recognized_income"); it != o.end())
            if (auto x = money(it->value(), f + ".pension_recognized_income"))
                c.set_money(pension_recognized_income_given, *x);
        static constexpr std::pair<const char*, int> flags[] = {
            {"single_parent", single_parent}, {"multicultural", multicultural}, {"defector", defector}};
        for (auto [k, var] : flags)
            if (auto it = o.find(k); it != o.end())
                if (auto b = boolean(it->value(), f + "." + k)) {
                    int bit = var - kFirstFlag;
                    c.flags_known |= 1u << bit;
                    if (*b) c.flags |= 1u << bit;
                }
        if (auto it = o.find("crisis"); it != o.end())
            if (auto x = code(it->value(), f + ".crisis", false, crisis)) c.codes[crisis - kFirstCode] = *x;
        if (auto it = o.find("receives"); it != o.end() && !it->value().is_null()) {
            if (!it->value().is_array() || it->value().as_array().size() > 64)
                e_.add(f + ".receives", "not_a_list", "a list of program codes");
            else {
                c.receives_known = true;
                int i = 0;
                for (const auto& p : it->value().as_array()) {
                    const Program* prog = p.is_string() ? r_.program(p.as_string()) : nullptr;
                    if (!prog) e_.add(f + ".receives[" + std::to_string(i) + "]", "unknown_program",
                                      "not a program code: see GET /api/v1/eligibility/programs");
                    else c.receives |= 1ull << prog->index;
                    ++i;
                }
            }
        }
        return h;
    }

private:
    const Rules& r_;
    Days date_;
    FieldErrors& e_;
};

}  // namespace

Household parse_household(const json::value& v, const Rules& rules, Days date, FieldErrors& errors,
                          const std::string& prefix) {
    return Reader(rules, date, errors).household(v, prefix);
}

json::object household_json(const Household& h, const Rules& r) {
    json::object o;
    const auto& c = h.core;
    json::array members;
    for (const auto& m : h.members) {
        json::object mo;
        if (m.birth != kNoDate) mo["birth_date"] = format_date(m.birth);
        else if (m.age >= 0) mo["age"] = m.age;
        for (int v = kFirstMemberCode; v < kFirstMemberCode + kMemberCodeCount; ++v)
            if (auto code = m.codes[v - kFirstMemberCode]; code != kUnknownCode) mo[mvar_name(v)] = r.mvar(v).values[code];
        for (int v = kFirstMemberFlag; v < kMVarCount; ++v) {
            int bit = v - kFirstMemberFlag;
            if (m.flags_known >> bit & 1u) mo[mvar_name(v)] = static_cast<bool>(m.flags >> bit & 1u);
        }
        members.push_back(std::move(mo));
    }
    o["members"] = std::move(members);
    json::object res;
    if (auto t = c.codes[tenure - kFirstCode]; t != kUnknownCode) res["tenure"] = r.hvar(tenure).values[t];
    if (auto t = c.codes[region - kFirstCode]; t != kUnknownCode) res["region"] = r.hvar(region).values[t];
    if (c.money_has(rent)) res["rent"] = c.money_of(rent);
    if (c.money_has(deposit)) res["deposit"] = c.money_of(deposit);
    if (!res.empty()) o["residence"] = std::move(res);
    auto section = [&](const char* key, std::span<const MoneyField> fields) {
        json::object s;
        bool any = false;
        for (const auto& f : fields)
            if (c.money_has(f.var)) {
                s[f.key] = c.money_of(f.var);
                any = true;
            } else {
                s[f.key] = nullptr;
            }
        if (any) o[key] = std::move(s);
    };
    section("incomes", kIncomes);
    section("assets", kAssets);
    if (c.money_has(recognized_income_given)) o["recognized_income"] = c.money_of(recognized_income_given);
    if (c.money_has(pension_recognized_income_given))
        o["pension_recognized_income"] = c.money_of(pension_recognized_income_given);
    for (int v = kFirstFlag; v < kFirstFlag + kFlagCount; ++v) {
        int bit = v - kFirstFlag;
        if (c.flags_known >> bit & 1u) o[hvar_name(v)] = static_cast<bool>(c.flags >> bit & 1u);
    }
    if (auto t = c.codes[crisis - kFirstCode]; t != kUnknownCode) o["crisis"] = r.hvar(crisis).values[t];
    if (c.receives_known) {
        json::array rs;
        for (const auto& p : r.programs())
            if (c.receives >> p.index & 1u) rs.emplace_back(p.code);
        o["receives"] = std::move(rs);
    }
    return o;
}

}  // namespace dure::eligibility
