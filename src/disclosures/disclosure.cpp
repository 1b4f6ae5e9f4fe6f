#include "disclosures/disclosure.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "catalog/hsds.hpp"
#include "common/text.hpp"

namespace dure::catalog {

namespace json = boost::json;

namespace {

// 관 (top-level headings) of the 사회복지법인 및 사회복지시설 재무·회계 규칙 (별표), as facilities
// report them; 보조금, 후원금 and 전입금 are written without the 수입 suffix, as on 공시 forms.
const std::vector<DisclosureCategory> kCategories = {
    {"revenue", "사업수입", "program income"},
    {"revenue", "과년도수입", "prior-year income"},
    {"revenue", "보조금", "government subsidies"},
    {"revenue", "후원금", "donations"},
    {"revenue", "요양급여", "long-term care benefits"},
    {"revenue", "차입금", "borrowing"},
    {"revenue", "법인전입금", "transfers from the corporation"},
    {"revenue", "기타전입금", "other transfers"},
    {"revenue", "이월금", "carried over from the previous year"},
    {"revenue", "잡수입", "miscellaneous income"},
    {"expenditure", "인건비", "personnel"},
    {"expenditure", "업무추진비", "business promotion"},
    {"expenditure", "운영비", "operations"},
    {"expenditure", "시설비", "facilities"},
    {"expenditure", "자산취득비", "asset acquisition"},
    {"expenditure", "사업비", "programs"},
    {"expenditure", "과년도지출", "prior-year expenditure"},
    {"expenditure", "상환금", "repayments"},
    {"expenditure", "반환금", "refunds"},
    {"expenditure", "잡지출", "miscellaneous expenditure"},
    {"expenditure", "예비비", "reserve"},
};

const std::set<std::string> kSources = {"individual", "organization", "anonymous"};
const std::set<std::string> kDonationKinds = {"cash", "in_kind"};

std::string at(const char* list, std::size_t i, const char* field) {
    return std::string(list) + "[" + std::to_string(i) + "]." + field;
}

bool text_ok(const std::string& s, std::size_t max) {
    return utf8_length(s) <= max && !has_control_chars(s);
}

// Reads an integer member (no fraction); records an error for any other JSON value.
std::optional<long long> int_member(const json::object& o, std::string_view key, const std::string& path,
                                    FieldErrors& errors) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) {
        errors.add(path, "required", "required");
        return std::nullopt;
    }
    const auto& v = it->value();
    if (v.is_int64()) return v.as_int64();
    if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(kMaxAmount))
        return static_cast<long long>(v.as_uint64());
    if (v.is_double() && v.as_double() == static_cast<double>(static_cast<long long>(v.as_double())) &&
        std::abs(v.as_double()) < 1e15)
        return static_cast<long long>(v.as_double());
    errors.add(path, "not_an_integer", "a whole number of won");
    return std::nullopt;
}

std::string str_member(const json::object& o, std::string_view key, const std::string& path,
                       FieldErrors& errors) {
    auto it = o.find(key);
    if (it == o.end() || it->value().is_null()) return {};
    if (!it->value().is_string()) {
        errors.add(path, "not_a_string", "expected a string");
        return {};
    }
    std::string s(it->value().as_string());
    auto b = s.find_first_not_of(" \t");
    auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

void only(const json::object& o, std::initializer_list<std::string_view> keys, const std::string& prefix,
          FieldErrors& errors) {
    for (const auto& kv : o) {
        std::string_view k = kv.key();
        if (std::find(keys.begin(), keys.end(), k) == keys.end())
            errors.add(prefix + std::string(k), "unknown_field", "not a field of this object");
    }
}

std::string ko_source(const std::string& s) {
    if (s == "individual") return "개인";
    if (s == "organization") return "단체·기업";
    if (s == "anonymous") return "익명";
    return s;
}
std::string ko_kind(const std::string& k) {
    return k == "cash" ? "현금" : k == "in_kind" ? "현물" : k;
}
std::string ko_side(const std::string& s) {
    return s == "revenue" ? "세입" : s == "expenditure" ? "세출" : s;
}

}  // namespace

const std::vector<DisclosureCategory>& disclosure_categories() {
    return kCategories;
}

const DisclosureCategory* find_category(std::string_view side, std::string_view ko) {
    for (const auto& c : kCategories)
        if (c.side == side && c.ko == ko) return &c;
    return nullptr;
}

std::string_view kind_ko(std::string_view kind) {
    return kind == "budget" ? "예산" : kind == "settlement" ? "결산" : kind;
}

DisclosureContent read_disclosure(const json::object& body, FieldErrors& errors) {
    DisclosureContent d;
    only(body, {"fiscal_year", "kind", "lines", "donations"}, "", errors);
    if (auto y = int_member(body, "fiscal_year", "fiscal_year", errors)) d.fiscal_year = *y;
    d.kind = str_member(body, "kind", "kind", errors);
    if (auto it = body.find("lines"); it != body.end()) {
        if (!it->value().is_array()) {
            errors.add("lines", "not_a_list", "a list of lines");
        } else if (it->value().as_array().size() > kMaxLines) {
            errors.add("lines", "too_many", "at most " + std::to_string(kMaxLines) + " lines");
        } else {
            std::size_t i = 0;
            for (const auto& e : it->value().as_array()) {
                DisclosureLine l;
                if (!e.is_object()) {
                    errors.add("lines[" + std::to_string(i) + "]", "not_an_object", "a line object");
                } else {
                    const auto& o = e.as_object();
                    std::string p = "lines[" + std::to_string(i) + "].";
                    only(o, {"side", "category", "item", "amount"}, p, errors);
                    l.side = str_member(o, "side", at("lines", i, "side"), errors);
                    l.category = str_member(o, "category", at("lines", i, "category"), errors);
                    l.item = str_member(o, "item", at("lines", i, "item"), errors);
                    if (auto a = int_member(o, "amount", at("lines", i, "amount"), errors)) l.amount = *a;
                }
                d.lines.push_back(std::move(l));
                ++i;
            }
        }
    }
    if (auto it = body.find("donations"); it != body.end() && !it->value().is_null()) {
        if (!it->value().is_array()) {
            errors.add("donations", "not_a_list", "a list of donations");
        } else if (it->value().as_array().size() > kMaxDonations) {
            errors.add("donations", "too_many", "at most " + std::to_string(kMaxDonations) + " donations");
        } else {
            std::size_t i = 0;
            for (const auto& e : it->value().as_array()) {
                Donation g;
                if (!e.is_object()) {
                    errors.add("donations[" + std::to_string(i) + "]", "not_an_object", "a donation object");
                } else {
                    const auto& o = e.as_object();
                    std::string p = "donations[" + std::to_string(i) + "].";
                    only(o, {"received_from_type", "amount", "kind", "used_for", "used_amount"}, p, errors);
                    g.received_from_type =
                        str_member(o, "received_from_type", at("donations", i, "received_from_type"), errors);
                    g.kind = str_member(o, "kind", at("donations", i, "kind"), errors);
                    g.used_for = str_member(o, "used_for", at("donations", i, "used_for"), errors);
                    if (auto a = int_member(o, "amount", at("donations", i, "amount"), errors)) g.amount = *a;
                    if (o.contains("used_amount")) {
                        if (auto a = int_member(o, "used_amount", at("donations", i, "used_amount"), errors))
                            g.used_amount = *a;
                    }
                }
                d.donations.push_back(std::move(g));
                ++i;
            }
        }
    }
    return d;
}

void validate(const DisclosureContent& d, long long current_year, FieldErrors& errors) {
    if (d.fiscal_year < 2000 || d.fiscal_year > current_year + 1) {
        if (!errors.has("fiscal_year"))
            errors.add("fiscal_year", "out_of_range",
                       "a year from 2000 to " + std::to_string(current_year + 1));
    }
    bool budget = d.kind == "budget", settlement = d.kind == "settlement";
    if (!budget && !settlement && !errors.has("kind"))
        errors.add("kind", "unknown_code", "budget or settlement");
    if (d.lines.empty() && !errors.has("lines")) errors.add("lines", "required", "at least one line");

    bool lines_ok = true;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (std::size_t i = 0; i < d.lines.size(); ++i) {
        const auto& l = d.lines[i];
        if (l.side != "revenue" && l.side != "expenditure") {
            if (!errors.has(at("lines", i, "side")))
                errors.add(at("lines", i, "side"), "unknown_code", "revenue or expenditure");
            lines_ok = false;
        } else if (!find_category(l.side, l.category)) {
            std::string names;
            for (const auto& c : kCategories)
                if (c.side == l.side) names += (names.empty() ? "" : ", ") + std::string(c.ko);
            if (!errors.has(at("lines", i, "category")))
                errors.add(at("lines", i, "category"), "unknown_category", "one of: " + names);
            lines_ok = false;
        } else if (settlement && l.category == "예비비") {
            errors.add(at("lines", i, "category"), "reserve_in_settlement",
                       "예비비 is budgeted, not spent: report the spending under the category it went to");
            lines_ok = false;
        }
        if (!text_ok(l.item, 100))
            errors.add(at("lines", i, "item"), "too_long", "at most 100 characters, no control characters");
        if (l.amount < 0) {
            errors.add(at("lines", i, "amount"), "negative", "an amount of won, 0 or more");
            lines_ok = false;
        } else if (l.amount > kMaxAmount) {
            errors.add(at("lines", i, "amount"), "too_large", "at most 1,000,000,000,000 won");
            lines_ok = false;
        }
        if (!seen.insert({l.side, l.category, l.item}).second) {
            errors.add(at("lines", i, "item"), "duplicate_line",
                       "the same side, category and item appear twice");
            lines_ok = false;
        }
    }

    long long cash_donations = 0;
    bool donations_ok = true;
    if (budget && !d.donations.empty())
        errors.add("donations", "donations_on_budget",
                   "donations received are reported with the settlement; budget them as 후원금 revenue");
    for (std::size_t i = 0; i < d.donations.size(); ++i) {
        const auto& g = d.donations[i];
        if (!kSources.count(g.received_from_type) && !errors.has(at("donations", i, "received_from_type")))
            errors.add(at("donations", i, "received_from_type"), "unknown_code",
                       "individual, organization or anonymous");
        if (!kDonationKinds.count(g.kind) && !errors.has(at("donations", i, "kind")))
            errors.add(at("donations", i, "kind"), "unknown_code", "cash or in_kind");
        if (g.amount <= 0 || g.amount > kMaxAmount) {
            if (!errors.has(at("donations", i, "amount")))
                errors.add(at("donations", i, "amount"), g.amount < 0 ? "negative" : "out_of_range",
                           "an amount of won above 0");
            donations_ok = false;
        }
        if (g.used_amount < 0) {
            errors.add(at("donations", i, "used_amount"), "negative", "an amount of won, 0 or more");
        } else if (g.used_amount > g.amount && g.amount > 0) {
            errors.add(at("donations", i, "used_amount"), "used_more_than_received",
                       "a donation cannot be used beyond the " + std::to_string(g.amount) + " won received");
        }
        if (g.used_amount > 0 && g.used_for.empty())
            errors.add(at("donations", i, "used_for"), "required", "say what the donation was used for");
        if (!text_ok(g.used_for, 200))
            errors.add(at("donations", i, "used_for"), "too_long",
                       "at most 200 characters, no control characters");
        if (g.kind == "cash" && g.amount > 0) cash_donations += g.amount;
    }

    if (!lines_ok || errors.has("kind")) return;
    auto t = totals(d);
    if (budget && t.revenue_total != t.expenditure_total)
        errors.add("lines", "unbalanced_budget",
                   "a budget balances: revenue " + std::to_string(t.revenue_total) + " won, expenditure " +
                       std::to_string(t.expenditure_total) + " won (put the difference in 예비비)");
    if (settlement && t.expenditure_total > t.revenue_total)
        errors.add("lines", "expenditure_exceeds_revenue",
                   "a settlement cannot spend more than it took in: revenue " +
                       std::to_string(t.revenue_total) + " won, expenditure " +
                       std::to_string(t.expenditure_total) + " won");
    if (settlement && donations_ok) {
        long long donation_revenue = 0;
        for (const auto& c : t.revenue)
            if (c.category == "후원금") donation_revenue = c.amount;
        if ((donation_revenue > 0 || cash_donations > 0) && donation_revenue != cash_donations)
            errors.add("donations", "donations_do_not_match_revenue",
                       "cash donations listed (" + std::to_string(cash_donations) +
                           " won) must equal the 후원금 revenue (" + std::to_string(donation_revenue) +
                           " won)");
    }
}

DisclosureTotals totals(const DisclosureContent& d) {
    DisclosureTotals t;
    std::map<std::string, long long> sums;
    for (const auto& l : d.lines) {
        sums[l.side + "/" + l.category] += l.amount;
        (l.side == "revenue" ? t.revenue_total : t.expenditure_total) += l.amount;
    }
    for (const auto& c : kCategories) {
        auto it = sums.find(std::string(c.side) + "/" + std::string(c.ko));
        if (it == sums.end()) continue;
        (c.side == "revenue" ? t.revenue : t.expenditure).push_back({std::string(c.ko), it->second});
    }
    t.balance = t.revenue_total - t.expenditure_total;
    std::map<std::string, long long> by_source;
    for (const auto& g : d.donations) {
        t.donations_received += g.amount;
        (g.kind == "cash" ? t.donations_cash : t.donations_in_kind) += g.amount;
        t.donations_used += g.used_amount;
        by_source[g.received_from_type] += g.amount;
    }
    for (const char* s : {"individual", "organization", "anonymous"})
        if (by_source.count(s)) t.donations_by_source.push_back({s, by_source[s]});
    return t;
}

std::string next_status(const std::string& status, const std::string& action) {
    if (action == "submit") {
        if (status == "draft" || status == "returned" || status == "submitted") return "submitted";
        throw Error(ErrorKind::conflict,
                    "only a draft or a returned disclosure can be submitted (it is " + status + ")");
    }
    if (action == "approve") {
        if (status == "submitted" || status == "approved") return "approved";
        throw Error(ErrorKind::conflict,
                    "only a submitted disclosure can be approved (it is " + status + ")");
    }
    if (action == "return") {
        if (status == "submitted" || status == "returned") return "returned";
        throw Error(ErrorKind::conflict,
                    "only a submitted disclosure can be returned (it is " + status + ")");
    }
    throw Error(ErrorKind::bad_request, "unknown action " + action);
}

bool editable(const std::string& status) {
    return status == "draft" || status == "returned" || status == "approved";
}

json::object content_json(const DisclosureContent& c) {
    json::array lines, donations;
    for (const auto& l : c.lines)
        lines.push_back(
            json::object{{"side", l.side}, {"category", l.category}, {"item", l.item}, {"amount", l.amount}});
    for (const auto& g : c.donations)
        donations.push_back(json::object{{"received_from_type", g.received_from_type},
                                         {"kind", g.kind},
                                         {"amount", g.amount},
                                         {"used_for", g.used_for},
                                         {"used_amount", g.used_amount}});
    return {{"fiscal_year", c.fiscal_year},
            {"kind", c.kind},
            {"lines", std::move(lines)},
            {"donations", std::move(donations)}};
}

json::object disclosure_json(const Disclosure& d) {
    auto o = content_json(d.content);
    o["id"] = d.id;
    o["district_id"] = d.district_id;
    o["facility_id"] = d.facility_id;
    o["status"] = d.status;
    o["version"] = d.version;
    o["published_version"] = d.published_version;
    o["return_reason"] = d.return_reason;
    o["created_by"] = d.created_by;
    o["updated_by"] = d.updated_by;
    o["submitted_by"] = d.submitted_by;
    o["decided_by"] = d.decided_by;
    o["created_at"] = d.created_at;
    o["updated_at"] = d.updated_at;
    o["submitted_at"] = d.submitted_at;
    o["decided_at"] = d.decided_at;
    return o;
}

Disclosure disclosure_from_json(const json::object& o) {
    FieldErrors ignored;
    Disclosure d;
    auto s = [&](const char* k) {
        auto it = o.find(k);
        return it != o.end() && it->value().is_string() ? std::string(it->value().as_string())
                                                        : std::string();
    };
    auto n = [&](const char* k) {
        auto it = o.find(k);
        return it != o.end() && it->value().is_int64() ? it->value().as_int64() : 0LL;
    };
    json::object content;
    for (const char* k : {"fiscal_year", "kind", "lines", "donations"})
        if (auto it = o.find(k); it != o.end()) content[k] = it->value();
    d.content = read_disclosure(content, ignored);
    d.id = s("id");
    d.district_id = n("district_id");
    d.facility_id = s("facility_id");
    d.status = s("status");
    d.version = n("version");
    d.published_version = n("published_version");
    d.return_reason = s("return_reason");
    d.created_by = s("created_by");
    d.updated_by = s("updated_by");
    d.submitted_by = s("submitted_by");
    d.decided_by = s("decided_by");
    d.created_at = n("created_at");
    d.updated_at = n("updated_at");
    d.submitted_at = n("submitted_at");
    d.decided_at = n("decided_at");
    return d;
}

json::object totals_json(const DisclosureTotals& t) {
    auto list = [](const std::vector<CategoryTotal>& v) {
        json::array a;
        for (const auto& c : v) a.push_back(json::object{{"category", c.category}, {"amount", c.amount}});
        return a;
    };
    json::array sources;
    for (const auto& c : t.donations_by_source)
        sources.push_back(json::object{{"received_from_type", c.category}, {"amount", c.amount}});
    return {{"revenue", list(t.revenue)},
            {"expenditure", list(t.expenditure)},
            {"revenue_total", t.revenue_total},
            {"expenditure_total", t.expenditure_total},
            {"balance", t.balance},
            {"donations", json::object{{"received", t.donations_received},
                                       {"cash", t.donations_cash},
                                       {"in_kind", t.donations_in_kind},
                                       {"used", t.donations_used},
                                       {"unused", t.donations_received - t.donations_used},
                                       {"by_source", std::move(sources)}}}};
}

std::string disclosure_csv(const Disclosure& d, const std::string& facility_name) {
    std::string out = "\xEF\xBB\xBF";
    out += csv_record({"시설", "회계연도", "구분", "항목", "관", "목·내역", "금액(원)", "후원자 유형",
                       "후원 종류", "사용 내역", "사용 금액(원)"}) +
           "\r\n";
    std::string year = std::to_string(d.content.fiscal_year);
    std::string kind(kind_ko(d.content.kind));
    for (const auto& l : d.content.lines)
        out += csv_record({facility_name, year, kind, ko_side(l.side), l.category, l.item,
                           std::to_string(l.amount), "", "", "", ""}) +
               "\r\n";
    for (const auto& g : d.content.donations)
        out += csv_record({facility_name, year, kind, "후원금", "", "", std::to_string(g.amount),
                           ko_source(g.received_from_type), ko_kind(g.kind), g.used_for,
                           std::to_string(g.used_amount)}) +
               "\r\n";
    return out;
}

std::vector<XlsxSheet> disclosure_sheets(const Disclosure& d, const std::string& facility_name) {
    auto t = totals(d.content);
    std::string title = facility_name + " " + std::to_string(d.content.fiscal_year) + "년 " +
                        std::string(kind_ko(d.content.kind));
    XlsxSheet summary{"요약", {"구분", "관", "금액(원)"}, {}, {12, 24, 18}};
    summary.rows.push_back({std::string("공시"), title, std::string()});
    for (const auto& c : t.revenue) summary.rows.push_back({std::string("세입"), c.category, c.amount});
    summary.rows.push_back({std::string("세입"), std::string("세입 합계"), t.revenue_total});
    for (const auto& c : t.expenditure) summary.rows.push_back({std::string("세출"), c.category, c.amount});
    summary.rows.push_back({std::string("세출"), std::string("세출 합계"), t.expenditure_total});
    summary.rows.push_back({std::string("차액"),
                            std::string(d.content.kind == "settlement" ? "차기이월금" : "세입-세출"),
                            t.balance});
    if (!d.content.donations.empty()) {
        summary.rows.push_back({std::string("후원금"), std::string("받은 후원금"), t.donations_received});
        summary.rows.push_back({std::string("후원금"), std::string("사용한 후원금"), t.donations_used});
    }
    std::vector<XlsxSheet> out{summary};
    for (const char* side : {"revenue", "expenditure"}) {
        XlsxSheet s{ko_side(side), {"관", "목·내역", "금액(원)"}, {}, {16, 32, 18}};
        for (const auto& l : d.content.lines)
            if (l.side == side) s.rows.push_back({l.category, l.item, l.amount});
        out.push_back(std::move(s));
    }
    XlsxSheet g{"후원금",
                {"후원자 유형", "후원 종류", "금액(원)", "사용 내역", "사용 금액(원)"},
                {},
                {14, 10, 16, 36, 16}};
    for (const auto& x : d.content.donations)
        g.rows.push_back(
            {ko_source(x.received_from_type), ko_kind(x.kind), x.amount, x.used_for, x.used_amount});
    out.push_back(std::move(g));
    return out;
}

std::string disclosure_file_name(const Disclosure& d, const std::string& facility_name,
                                 std::string_view ext) {
    std::string name;
    for (char c : facility_name)
        name += (c == '/' || c == '\\' || c == '"' || static_cast<unsigned char>(c) < 0x20) ? '_' : c;
    return name + "_" + std::to_string(d.content.fiscal_year) + "_" + std::string(kind_ko(d.content.kind)) +
           "." + std::string(ext);
}

std::string content_disposition(const std::string& file_name, const std::string& ascii_fallback) {
    static const char* hex = "0123456789ABCDEF";
    std::string enc;
    for (unsigned char c : file_name) {
        // attr-char of RFC 5987: ALPHA / DIGIT / "!#$&+-.^_`|~"
        if (std::isalnum(c) && c < 0x80)
            enc += static_cast<char>(c);
        else if (std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos)
            enc += static_cast<char>(c);
        else {
            enc += '%';
            enc += hex[c >> 4];
            enc += hex[c & 15];
        }
    }
    return "attachment; filename=\"" + ascii_fallback + "\"; filename*=UTF-8''" + enc;
}

}  // namespace dure::catalog
