#include "giving/api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <tuple>
#include <map>
#include <set>

#include "app/module.hpp"
#include "common/dates.hpp"
#include "common/error.hpp"
#include "common/spreadsheet.hpp"
#include "giving/qr.hpp"
#include "giving/store.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "identity/authz.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"

namespace dure::giving {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

// What the public sees next to the collector: the legal shape, with its sources (docs/giving.md).
json::array legal_notes() {
    return {
        json::object{{"ko", "구와 공무원은 기부금품을 모집할 수 없습니다. 모집·보관·영수증 발급은 모집기관이 합니다. dure는 돈을 받지 않고 기록만 합니다."},
                     {"en", "The district and its officials may not solicit donations; the collector solicits, holds the account and issues receipts. dure takes no money; it keeps records."},
                     {"source", "기부금품의 모집 및 사용에 관한 법률 제5조"},
                     {"verified", true}},
        json::object{{"ko", "배분 결과는 공개합니다."},
                     {"en", "Distribution results are published."},
                     {"source", "사회복지공동모금회법 (조문 번호 미확인)"},
                     {"verified", false}},
        json::object{{"ko", "기부금영수증은 모집기관이 발급합니다 (주민등록번호는 영수증을 원하고 동의한 경우에만 받아 암호화 보관)."},
                     {"en", "The collector issues donation receipts (an RRN only when a receipt is wanted, with consent, stored encrypted)."},
                     {"source", "소득세법 시행규칙 별지 제45호의2; 개인정보 보호법 제24조의2"},
                     {"verified", true}},
    };
}

const std::set<std::string> kPurposes{"living", "medical", "education", "heating", "housing", "emergency", "other"};
const char* kFifoRule =
    "first in, first out per fund (designation and cash or in kind): the first distributions of a fund use its "
    "first gifts; recomputed on the current history";

Campaign campaign_param(GivingStore& store, const Request& req) {
    auto c = store.campaign(req.param("code"));
    if (!c) throw Error(ErrorKind::not_found, "no such campaign");
    return *c;
}

// A label that goes into the public ledger: no '|' (the line separator), no control characters,
// not a spreadsheet formula.
bool clean_label(const std::string& s) {
    return s.find('|') == std::string::npos && s.find('"') == std::string::npos && !has_control_chars(s) &&
           !cell_needs_guard(s);
}

std::optional<bool> boolean(const json::object& body, const char* key, FieldErrors& errors) {
    auto it = body.find(key);
    if (it == body.end() || it->value().is_null()) return std::nullopt;
    if (!it->value().is_bool()) {
        errors.add(key, "not_a_boolean", "true or false");
        return std::nullopt;
    }
    return it->value().as_bool();
}

json::value count_json(const LedgerEntry& e) {
    if (e.kind == "distribution" && e.count >= 1 && e.count <= 4) return json::value("1-4");
    return json::value(e.count);
}

json::object entry_json(const LedgerEntry& e) {
    json::object o{{"day", e.day},   {"kind", e.kind},         {"source", e.source}, {"purpose", e.purpose},
                   {"designation", e.designation}, {"form", e.form}, {"count", count_json(e)}, {"amount_krw", e.amount}};
    if (e.seq) {
        o["seq"] = e.seq;
        o["prev_hash"] = e.prev_hash;
        o["hash"] = e.hash;
    }
    return o;
}

json::object ledger_json(GivingStore& store, const Campaign& c) {
    auto entries = store.ledger(c.id);
    auto pending = store.pending(c.id);
    auto t = store.totals(c.id);
    json::array sealed, open;
    for (const auto& e : entries) sealed.push_back(entry_json(e));
    for (const auto& e : pending) open.push_back(entry_json(e));
    // Inflows per day and channel (sealed and pending together), net of reversals.
    std::map<std::pair<std::string, std::string>, std::pair<long long, long long>> inflow;
    for (const auto* list : {&entries, &pending})
        for (const auto& e : *list)
            if (e.kind != "distribution") {
                auto& x = inflow[{e.day, e.source}];
                x.first += e.kind == "gift" ? e.count : 0;
                x.second += e.amount;
            }
    json::array inflows;
    for (const auto& [k, v] : inflow)
        inflows.push_back(json::object{{"day", k.first}, {"channel", k.second}, {"gifts", v.first}, {"amount_krw", v.second}});
    json::array outflows;
    for (const auto* list : {&entries, &pending})
        for (const auto& e : *list)
            if (e.kind == "distribution")
                outflows.push_back(json::object{{"day", e.day}, {"program", e.source}, {"purpose", e.purpose},
                                                {"designation", e.designation}, {"form", e.form},
                                                {"households", count_json(e)}, {"amount_krw", e.amount}});
    return {{"campaign", c.code},
            {"collector", c.collector_name},
            {"head_hash", c.ledger_head},
            {"sealed_through", c.sealed_through},
            {"line_format", "seq|day|kind|source|purpose|designation|form|count|amount_krw; hash = sha256(prev_hash + \"\\n\" + line); first prev_hash = \"genesis\"; distribution counts of 1-4 written 1-4"},
            {"entries", std::move(sealed)},
            {"pending", std::move(open)},
            {"inflows", std::move(inflows)},
            {"outflows", std::move(outflows)},
            {"totals", json::object{{"gifts_krw", t.gifts_krw}, {"reversed_krw", t.reversed_krw},
                                    {"distributed_krw", t.distributed_krw}, {"balance_krw", t.balance_krw}}}};
}

std::string csv_cell(const std::string& s) {
    std::string g = guard_cell(s);
    if (g.find_first_of(",\"\n") == std::string::npos) return g;
    std::string out = "\"";
    for (char ch : g) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return out + "\"";
}

identity::Principal require_login(identity::IdentityService& ids, const Request& req) {
    auto p = identity::principal_of(ids, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first");
    return p;
}

std::string caller_of(const identity::Principal& p) { return "account:" + std::to_string(p.account_id); }

Response stored(const store::StoredAnswer& a) {
    Response r = http::json_response(a.status, json::parse(a.body));
    if (a.replayed) r.set_header("Idempotent-Replayed", "true");
    return http::no_store(std::move(r));
}

}  // namespace

std::string ledger_csv(const std::vector<LedgerEntry>& entries) {
    std::string out = "seq,day,kind,source,purpose,designation,form,count,amount_krw,prev_hash,hash\r\n";
    for (const auto& e : entries) {
        std::string count = e.kind == "distribution" ? count_band(e.count) : std::to_string(e.count);
        out += std::to_string(e.seq) + "," + e.day + "," + e.kind + "," + csv_cell(e.source) + "," + csv_cell(e.purpose) +
               "," + csv_cell(e.designation) + "," + e.form + "," + count + "," + std::to_string(e.amount) + "," +
               e.prev_hash + "," + e.hash + "\r\n";
    }
    return out;
}

std::string year_end_csv(const std::vector<YearEndRow>& rows) {
    // docs/giving.md "Year-end export": one line per receipt that is not void, by number.
    std::string out =
        "영수증번호,재발급_원영수증번호,기부자_구분,기부자_성명,주민등록번호_사업자등록번호,기부자_주소,기부일자,"
        "기부내용,품명,금액,기부금단체_단체명,기부금단체_고유번호,기부금단체_근거법령\r\n";
    for (const auto& r : rows) {
        const auto& g = r.gift;
        out += r.receipt.number + "," + r.replaces_number + "," + (g.donor_kind == "organization" ? "법인" : "개인") + "," +
               csv_cell(g.donor_name) + "," + csv_cell(g.receipt_id) + "," + csv_cell(g.receipt_address) + "," +
               g.given_on + "," + (g.form == "cash" ? "금전" : "현물") + "," + csv_cell(g.items) + "," +
               std::to_string(g.amount_krw) + "," + csv_cell(r.collector_name) + "," +
               csv_cell(r.collector_registration) + "," + csv_cell(r.collector_legal_basis) + "\r\n";
    }
    return out;
}

void register_routes(http::Router& router, GivingStore& store, app::Platform& platform) {
    auto& ids = *platform.identity;
    auto& db = platform.db;
    auto default_district = platform.default_district;

    auto dong_names = [&ids](long long district) {
        std::map<long long, std::pair<std::string, std::string>> names;
        for (const auto& d : ids.store().districts())
            if (d.id == district)
                for (const auto& g : d.dongs) names[g.id] = {g.name_ko, g.name_en};
        return names;
    };

    router.add({"GET", "/api/v1/giving/campaigns",
                [&store, default_district](Request& req) {
                    json::array items;
                    for (const auto& c : store.campaigns(default_district())) {
                        auto t = store.totals(c.id);
                        items.push_back(json::object{{"code", c.code}, {"title_ko", c.title_ko}, {"title_en", c.title_en},
                                                     {"target_krw", c.target_krw}, {"raised_krw", t.raised_krw()},
                                                     {"degrees_tenths", degrees_tenths(t.raised_krw(), c.target_krw)},
                                                     {"starts_on", c.starts_on}, {"ends_on", c.ends_on},
                                                     {"collector", c.collector_name}});
                    }
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Giving campaigns of the district with their thermometer (public)", "giving"});

    // Campaign creation by the council or a district administrator (docs/giving.md "Campaigns"):
    // the general designation and one per dong target are made here; purposes and programmes come
    // from the request. All-or-nothing, idempotent.
    router.add(
        {"POST", "/api/v1/giving/campaigns",
         [&store, &ids, &db, default_district](Request& req) {
             auto p = require_login(ids, req);
             long long district = p.district_id ? p.district_id : default_district();
             identity::require(p, Action::manage_campaigns, {district});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"code", "title_ko", "title_en", "target_krw", "starts_on", "ends_on", "collector_name",
                           "collector_registration", "collector_legal_basis", "collector_account_holder",
                           "collector_url", "dong_targets", "designations"});
             auto code = r.string("code", true, 40);
             auto title_ko = r.string("title_ko", true, 100);
             auto title_en = r.string("title_en", false, 100).value_or("");
             auto target = r.integer("target_krw", true, 1, kMaxAmount);
             auto starts = r.string("starts_on", true, 10);
             auto ends = r.string("ends_on", true, 10);
             auto cname = r.string("collector_name", true, 100);
             auto creg = r.string("collector_registration", true, 100);
             auto cbasis = r.string("collector_legal_basis", true, 200);
             auto cholder = r.string("collector_account_holder", true, 100);
             auto curl = r.string("collector_url", false, 300).value_or("");
             if (code && !valid_campaign_code(*code))
                 errors.add("code", "invalid", "3-40 characters: a-z, 0-9 and -, not starting with -");
             for (auto [k, v] : {std::pair<const char*, const std::optional<std::string>*>{"title_ko", &title_ko},
                                 {"collector_name", &cname}, {"collector_registration", &creg},
                                 {"collector_legal_basis", &cbasis}, {"collector_account_holder", &cholder}})
                 if (*v && !clean_label(**v)) errors.add(k, "invalid", "no | or \" or control characters, not a formula");
             if (!title_en.empty() && !clean_label(title_en))
                 errors.add("title_en", "invalid", "no | or \" or control characters, not a formula");
             if (!curl.empty() && (curl.rfind("https://", 0) != 0 || has_control_chars(curl) ||
                                   curl.find_first_of(" \"<>") != std::string::npos))
                 errors.add("collector_url", "invalid", "the collector's https:// page");
             if (starts && !valid_date(*starts)) errors.add("starts_on", "invalid", "YYYY-MM-DD");
             if (ends && !valid_date(*ends)) errors.add("ends_on", "invalid", "YYYY-MM-DD");
             else if (starts && ends && valid_date(*starts) && !valid_period(*starts, *ends))
                 errors.add("ends_on", *ends < *starts ? "before_start" : "too_long",
                            "on or after starts_on and at most one year later (기부금품법 제4조 모집기간)");
             // Per-dong targets: dongs of the district, each once, together at most the target.
             std::vector<std::pair<long long, long long>> dong_targets;
             std::map<long long, std::pair<std::string, std::string>> dong_info;  // id -> (code, name_ko)
             std::map<long long, std::string> dong_en;
             for (const auto& d : ids.store().districts())
                 if (d.id == district)
                     for (const auto& g : d.dongs) {
                         dong_info[g.id] = {g.code, g.name_ko};
                         dong_en[g.id] = g.name_en;
                     }
             if (auto it = body.find("dong_targets"); it != body.end() && !it->value().is_null()) {
                 if (!it->value().is_array() || it->value().as_array().size() > 200)
                     errors.add("dong_targets", "invalid", "a list of at most 200 {dong_id, target_krw}");
                 else {
                     std::set<long long> seen;
                     long long sum = 0;
                     const auto& arr = it->value().as_array();
                     for (std::size_t i = 0; i < arr.size(); ++i) {
                         std::string at = "dong_targets[" + std::to_string(i) + "]";
                         if (!arr[i].is_object()) {
                             errors.add(at, "invalid", "an object {dong_id, target_krw}");
                             continue;
                         }
                         FieldErrors sub;
                         http::BodyReader e(arr[i].as_object(), sub);
                         e.allow_only({"dong_id", "target_krw"});
                         auto dong = e.integer("dong_id", true, 1, 1LL << 53);
                         auto t = e.integer("target_krw", true, 1, kMaxAmount);
                         try {
                             sub.throw_if_any();
                         } catch (const Error& x) {
                             for (const auto& f : x.fields()) errors.add(at + "." + f.field, f.code, f.message);
                             continue;
                         }
                         if (!dong_info.count(*dong)) errors.add(at + ".dong_id", "unknown_dong", "a dong of the district");
                         else if (!seen.insert(*dong).second) errors.add(at + ".dong_id", "duplicate", "each dong once");
                         else {
                             dong_targets.emplace_back(*dong, *t);
                             sum += *t;
                         }
                     }
                     if (target && sum > *target)
                         errors.add("dong_targets", "exceeds_target", "the dong targets add up to more than the target");
                 }
             }
             // Purposes and programmes the money may be used for (besides general and each dong).
             std::vector<Designation> designations;
             designations.push_back({0, 0, "general", "general", "일반 (지정 없음)", "General", 0});
             for (const auto& [dong, t] : dong_targets)
                 designations.push_back({0, 0, "dong-" + dong_info[dong].first, "dong", dong_info[dong].second, dong_en[dong], dong});
             if (auto it = body.find("designations"); it != body.end() && !it->value().is_null()) {
                 if (!it->value().is_array() || it->value().as_array().size() > 50)
                     errors.add("designations", "invalid", "a list of at most 50 {code, kind, label_ko, label_en}");
                 else {
                     std::set<std::string> seen;
                     const auto& arr = it->value().as_array();
                     for (std::size_t i = 0; i < arr.size(); ++i) {
                         std::string at = "designations[" + std::to_string(i) + "]";
                         if (!arr[i].is_object()) {
                             errors.add(at, "invalid", "an object {code, kind, label_ko, label_en}");
                             continue;
                         }
                         FieldErrors sub;
                         http::BodyReader e(arr[i].as_object(), sub);
                         e.allow_only({"code", "kind", "label_ko", "label_en"});
                         auto dcode = e.string("code", true, 60);
                         auto kind = e.string("kind", true, 20);
                         auto lko = e.string("label_ko", true, 100);
                         auto len = e.string("label_en", false, 100).value_or("");
                         try {
                             sub.throw_if_any();
                         } catch (const Error& x) {
                             for (const auto& f : x.fields()) errors.add(at + "." + f.field, f.code, f.message);
                             continue;
                         }
                         if (!valid_designation_code(*dcode))
                             errors.add(at + ".code", "invalid", "2-60 characters a-z, 0-9, -; not general or dong-...");
                         else if (!seen.insert(*dcode).second) errors.add(at + ".code", "duplicate", "each code once");
                         if (*kind != "purpose" && *kind != "program") errors.add(at + ".kind", "unknown_code", "purpose or program");
                         if (!clean_label(*lko)) errors.add(at + ".label_ko", "invalid", "no | or \" or control characters");
                         if (!len.empty() && !clean_label(len)) errors.add(at + ".label_en", "invalid", "no | or \" or control characters");
                         designations.push_back({0, 0, *dcode, *kind, *lko, len.empty() ? *lko : len, 0});
                     }
                 }
             }
             errors.throw_if_any();
             NewCampaign n;
             n.campaign.district_id = district;
             n.campaign.code = *code;
             n.campaign.title_ko = *title_ko;
             n.campaign.title_en = title_en.empty() ? *title_ko : title_en;
             n.campaign.target_krw = *target;
             n.campaign.starts_on = *starts;
             n.campaign.ends_on = *ends;
             n.campaign.collector_name = *cname;
             n.campaign.collector_registration = *creg;
             n.campaign.collector_legal_basis = *cbasis;
             n.campaign.collector_account_holder = *cholder;
             n.campaign.collector_url = curl;
             n.dong_targets = dong_targets;
             n.designations = designations;
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     long long id = store.create_campaign(s, n, store::now_unix());
                     json::array des;
                     for (const auto& d : n.designations) des.push_back(json::value(d.code));
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{{"id", id}, {"code", n.campaign.code},
                                                           {"designations", std::move(des)},
                                                           {"dong_targets", static_cast<long long>(n.dong_targets.size())}})};
                 });
             return stored(answer);
         },
         "Create a campaign (council or district admin): target, period (at most one year), the legal collector, "
         "per-dong targets (together at most the target) and the purposes and programmes the money may be used "
         "for; all or nothing; Idempotency-Key honoured; 409 (code) when the code is taken",
         "giving", false,
         R"({"type":"object","additionalProperties":false,"required":["code","title_ko","target_krw","starts_on",)"
         R"("ends_on","collector_name","collector_registration","collector_legal_basis","collector_account_holder"],)"
         R"("properties":{"code":{"type":"string","pattern":"^[a-z0-9][a-z0-9-]{2,39}$"},)"
         R"("title_ko":{"type":"string","minLength":1,"maxLength":100},"title_en":{"type":"string","maxLength":100},)"
         R"("target_krw":{"type":"integer","minimum":1,"maximum":10000000000000},)"
         R"("starts_on":{"type":"string","format":"date","maxLength":10},)"
         R"("ends_on":{"type":"string","format":"date","maxLength":10,"description":"at most one year after starts_on"},)"
         R"("collector_name":{"type":"string","minLength":1,"maxLength":100},)"
         R"("collector_registration":{"type":"string","minLength":1,"maxLength":100},)"
         R"("collector_legal_basis":{"type":"string","minLength":1,"maxLength":200},)"
         R"("collector_account_holder":{"type":"string","minLength":1,"maxLength":100},)"
         R"("collector_url":{"type":"string","maxLength":300,"description":"https:// page of the collector"},)"
         R"("dong_targets":{"type":"array","maxItems":200,"items":{"type":"object","additionalProperties":false,)"
         R"("required":["dong_id","target_krw"],"properties":{"dong_id":{"type":"integer","minimum":1},)"
         R"("target_krw":{"type":"integer","minimum":1,"maximum":10000000000000}}}},)"
         R"("designations":{"type":"array","maxItems":50,"items":{"type":"object","additionalProperties":false,)"
         R"("required":["code","kind","label_ko"],"properties":{"code":{"type":"string","maxLength":60},)"
         R"("kind":{"type":"string","enum":["purpose","program"]},"label_ko":{"type":"string","maxLength":100},)"
         R"("label_en":{"type":"string","maxLength":100}}}}}})",
         201});

    // Donation days (모금의 날): events on a day of the campaign's period.
    router.add(
        {"POST", "/api/v1/giving/campaigns/{code}/days",
         [&store, &ids, &db](Request& req) {
             auto p = require_login(ids, req);
             auto c = campaign_param(store, req);
             identity::require(p, Action::manage_campaigns, {c.district_id});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"day", "title_ko", "title_en", "place", "dong_id"});
             auto day = r.string("day", true, 10);
             auto tko = r.string("title_ko", true, 100);
             auto ten = r.string("title_en", false, 100).value_or("");
             auto place = r.string("place", false, 200).value_or("");
             auto dong = r.integer("dong_id", false, 0, 1LL << 53).value_or(0);
             if (day && (!valid_date(*day) || *day < c.starts_on || *day > c.ends_on))
                 errors.add("day", "outside_period", "a date within the campaign (" + c.starts_on + " to " + c.ends_on + ")");
             if (tko && !clean_label(*tko)) errors.add("title_ko", "invalid", "no | or \" or control characters");
             if (!ten.empty() && !clean_label(ten)) errors.add("title_en", "invalid", "no | or \" or control characters");
             if (!place.empty() && !clean_label(place)) errors.add("place", "invalid", "no | or \" or control characters");
             if (dong && ids.store().district_of_dong(dong) != c.district_id)
                 errors.add("dong_id", "unknown_dong", "a dong of the campaign's district, or 0");
             errors.throw_if_any();
             DonationDay d;
             d.campaign_id = c.id;
             d.day = *day;
             d.title_ko = *tko;
             d.title_en = ten.empty() ? *tko : ten;
             d.place = place;
             d.dong_id = dong;
             d.created_by = p.account_id;
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     long long id = store.add_day(s, d, store::now_unix());
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{{"id", id}, {"day", d.day}, {"title_ko", d.title_ko}})};
                 });
             return stored(answer);
         },
         "Add a donation day (모금의 날) to a campaign (council or district admin); within the campaign period; "
         "Idempotency-Key honoured",
         "giving", false,
         R"({"type":"object","additionalProperties":false,"required":["day","title_ko"],)"
         R"("properties":{"day":{"type":"string","format":"date","maxLength":10},)"
         R"("title_ko":{"type":"string","minLength":1,"maxLength":100},"title_en":{"type":"string","maxLength":100},)"
         R"("place":{"type":"string","maxLength":200},"dong_id":{"type":"integer","minimum":0}}})",
         201});

    router.add({"GET", "/api/v1/giving/campaigns/{code}",
                [&store, dong_names](Request& req) {
                    auto c = campaign_param(store, req);
                    auto t = store.totals(c.id);
                    auto names = dong_names(c.district_id);
                    std::map<long long, long long> raised_by_dong(t.by_dong.begin(), t.by_dong.end());
                    json::array dongs;
                    for (const auto& [dong, target] : store.dong_targets(c.id)) {
                        long long r = raised_by_dong.count(dong) ? raised_by_dong[dong] : 0;
                        dongs.push_back(json::object{{"dong_id", dong}, {"name_ko", names[dong].first},
                                                     {"name_en", names[dong].second}, {"target_krw", target},
                                                     {"raised_krw", r}, {"degrees_tenths", degrees_tenths(r, target)}});
                    }
                    json::array channels, forms, designations, wall;
                    for (const auto& [k, v] : t.by_channel) channels.push_back(json::object{{"channel", k}, {"raised_krw", v}});
                    for (const auto& [k, v] : t.by_form) forms.push_back(json::object{{"form", k}, {"raised_krw", v}});
                    auto funds = store.funds(c.id);
                    for (const auto& d : store.designations(c.id)) {
                        json::object bal;
                        for (const auto& f : funds)
                            if (f.designation_id == d.id) bal[f.form] = f.balance_krw;
                        designations.push_back(json::object{{"code", d.code}, {"kind", d.kind}, {"label_ko", d.label_ko},
                                                            {"label_en", d.label_en}, {"dong_id", d.dong_id},
                                                            {"balance_krw", std::move(bal)}});
                    }
                    for (const auto& [name, amount] : store.donor_wall(c.id, 30))
                        wall.push_back(json::object{{"name", name}, {"amount_krw", amount}});
                    json::array days;
                    for (const auto& d : store.days(c.id))
                        days.push_back(json::object{{"id", d.id}, {"day", d.day}, {"title_ko", d.title_ko},
                                                    {"title_en", d.title_en}, {"place", d.place}, {"dong_id", d.dong_id}});
                    return http::json_response(
                        200,
                        json::object{{"code", c.code}, {"title_ko", c.title_ko}, {"title_en", c.title_en},
                                     {"starts_on", c.starts_on}, {"ends_on", c.ends_on},
                                     {"collector", json::object{{"name", c.collector_name},
                                                                {"registration", c.collector_registration},
                                                                {"legal_basis", c.collector_legal_basis},
                                                                {"account_holder", c.collector_account_holder},
                                                                {"url", c.collector_url}}},
                                     {"thermometer", json::object{{"target_krw", c.target_krw},
                                                                  {"raised_krw", t.raised_krw()},
                                                                  {"degrees_tenths", degrees_tenths(t.raised_krw(), c.target_krw)},
                                                                  {"rule", "1 % of the target = 1 degree"}}},
                                     {"gifts", t.gifts_count},
                                     {"by_channel", std::move(channels)}, {"by_form", std::move(forms)},
                                     {"by_dong", std::move(dongs)}, {"designations", std::move(designations)},
                                     {"donor_wall", std::move(wall)}, {"days", std::move(days)},
                                     {"distributed_krw", t.distributed_krw}, {"balance_krw", t.balance_krw},
                                     {"head_hash", c.ledger_head}, {"legal", legal_notes()}});
                },
                "A campaign: collector, thermometer, progress by channel and dong, designations, donor wall (public)",
                "giving"});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/ledger",
                [&store](Request& req) { return http::json_response(200, ledger_json(store, campaign_param(store, req))); },
                "The public ledger: sealed hash-chained entries with the head hash, today's pending aggregates, "
                "inflows per day and channel, outflows itemised (household counts of 1-4 shown as 1-4)",
                "giving"});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/ledger.json",
                [&store](Request& req) {
                    auto c = campaign_param(store, req);
                    Response r = http::json_response(200, ledger_json(store, c));
                    r.set_header("Content-Disposition", "attachment; filename=\"ledger-" + c.code + ".json\"");
                    return r;
                },
                "The public ledger as a JSON download", "giving"});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/ledger.csv",
                [&store](Request& req) {
                    auto c = campaign_param(store, req);
                    Response r;
                    r.content_type = "text/csv; charset=utf-8";
                    r.body = ledger_csv(store.ledger(c.id));
                    r.set_header("Content-Disposition", "attachment; filename=\"ledger-" + c.code + ".csv\"");
                    r.set_header("X-Ledger-Head", c.ledger_head);
                    return r;
                },
                "The sealed public ledger as CSV (the head hash in X-Ledger-Head)", "giving"});

    // QR posters (docs/giving.md "QR codes"): the link opens the collector's own page with the
    // campaign code and, for a dong's poster, the dong; the gift is made to the collector, never dure.
    router.add({"GET", "/api/v1/giving/campaigns/{code}/qr.svg",
                [&store, &ids](Request& req) {
                    auto c = campaign_param(store, req);
                    if (c.collector_url.empty())
                        throw Error(ErrorKind::not_found, "the collector has no giving page for a QR code");
                    std::string dong_code, dong_name;
                    if (auto d = req.query_param("dong"); d && !d->empty()) {
                        for (const auto& dist : ids.store().districts())
                            if (dist.id == c.district_id)
                                for (const auto& g : dist.dongs)
                                    if (g.code == *d) {
                                        dong_code = g.code;
                                        dong_name = g.name_ko;
                                    }
                        if (dong_code.empty())
                            throw Error(ErrorKind::validation, "no such dong",
                                        {{"dong", "unknown_dong", "the code of a dong of the campaign's district"}});
                    }
                    std::string link = gift_link(c.collector_url, c.code, dong_code);
                    auto q = qr_encode(link);
                    Response r;
                    r.content_type = "image/svg+xml";
                    r.body = qr_svg(q, c.title_ko + (dong_name.empty() ? "" : " · " + dong_name) + " — " +
                                           c.collector_name + " " + link);
                    r.set_header("X-QR-Link", link);
                    r.set_header("X-QR-Version", std::to_string(q.version));
                    r.set_header("Content-Disposition", "inline; filename=\"qr-" + c.code +
                                                            (dong_code.empty() ? "" : "-" + dong_code) + ".svg\"");
                    r.set_header("Cache-Control", "public, max-age=3600");
                    return r;
                },
                "A QR code (SVG, for a poster) linking to the collector's giving page with the campaign code and, "
                "with ?dong=<dong code>, the dong; link in X-QR-Link (public)",
                "giving"});

    // Counter intake (기탁서) by the dong's officials, for the collector.
    router.add(
        {"POST", "/api/v1/giving/campaigns/{code}/gifts",
         [&store, &ids, &db](Request& req) {
             auto p = require_login(ids, req);
             auto c = campaign_param(store, req);
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"dong_id", "designation", "channel", "form", "amount_krw", "items", "valuation_basis",
                           "donor_kind", "display", "donor_name", "donor_contact", "receipt_wanted", "receipt_consent",
                           "receipt_id", "receipt_address", "given_on"});
             auto dong = r.integer("dong_id", true, 1, 1LL << 53);
             auto designation = r.string("designation", true, 60);
             auto channel = r.string("channel", false, 20).value_or("counter");
             auto form = r.string("form", false, 20).value_or("cash");
             auto amount = r.integer("amount_krw", true, 1, kMaxAmount);
             auto items = r.string("items", false, 500).value_or("");
             auto basis = r.string("valuation_basis", false, 200).value_or("");
             auto donor_kind = r.string("donor_kind", false, 20).value_or("anonymous");
             auto display = r.string("display", false, 20).value_or("anonymous");
             auto donor_name = r.string("donor_name", false, 100).value_or("");
             auto contact = r.string("donor_contact", false, 200).value_or("");
             auto receipt_id = r.string("receipt_id", false, 20).value_or("");
             auto receipt_address = r.string("receipt_address", false, 300).value_or("");
             auto given_on = r.string("given_on", true, 10);
             bool wanted = boolean(body, "receipt_wanted", errors).value_or(false);
             bool consent = boolean(body, "receipt_consent", errors).value_or(false);
             if (channel != "counter" && channel != "transfer")
                 errors.add("channel", "unknown_code", "counter or transfer (QR gifts come from the collector's statement)");
             if (form != "cash" && form != "in_kind") errors.add("form", "unknown_code", "cash or in_kind");
             if (form == "in_kind" && items.empty()) errors.add("items", "required", "what was given");
             if (form == "in_kind" && basis.empty())
                 errors.add("valuation_basis", "required", "the purchase receipt the valuation comes from");
             if (donor_kind != "person" && donor_kind != "organization" && donor_kind != "anonymous")
                 errors.add("donor_kind", "unknown_code", "person, organization or anonymous");
             if (display != "anonymous" && display != "masked" && display != "named")
                 errors.add("display", "unknown_code", "anonymous, masked or named");
             if (donor_kind != "anonymous" && donor_name.empty()) errors.add("donor_name", "required", "the donor's name");
             if (donor_kind == "anonymous" && (!donor_name.empty() || !contact.empty() || wanted))
                 errors.add("donor_kind", "anonymous_with_identity", "an anonymous gift carries no name, contact or receipt");
             if (!contact.empty()) {
                 auto phone = identity::normalize_phone(contact);
                 auto email = identity::normalize_email(contact);
                 if (!phone.empty()) contact = phone;
                 else if (!email.empty()) contact = email;
                 else errors.add("donor_contact", "invalid", "a mobile number or an e-mail address");
             }
             if (wanted) {
                 if (!consent) errors.add("receipt_consent", "required", "the donor's consent to keep the receipt identifiers");
                 bool digits = !receipt_id.empty() && receipt_id.find_first_not_of("0123456789") == std::string::npos;
                 if (!digits || (receipt_id.size() != 13 && receipt_id.size() != 10))
                     errors.add("receipt_id", "invalid", "13 digits (주민등록번호) or 10 (사업자등록번호), no dashes");
             } else if (!receipt_id.empty() || !receipt_address.empty()) {
                 errors.add(receipt_id.empty() ? "receipt_address" : "receipt_id", "not_without_receipt",
                            "identifiers are kept only when a receipt is wanted");
             }
             if (given_on && (!valid_date(*given_on) || *given_on < c.starts_on || *given_on > c.ends_on))
                 errors.add("given_on", "outside_period", "a date within the campaign (" + c.starts_on + " to " + c.ends_on + ")");
             std::optional<Designation> des;
             if (designation) {
                 for (const auto& d : store.designations(c.id))
                     if (d.code == *designation) des = d;
                 if (!des) errors.add("designation", "unknown_designation", "a designation of this campaign");
             }
             if (dong && ids.store().district_of_dong(*dong) != c.district_id)
                 errors.add("dong_id", "unknown_dong", "a dong of the campaign's district");
             // The counter's dong decides who may take the gift: check before saying more.
             identity::require(p, Action::take_gift, {c.district_id, dong.value_or(-1)});
             errors.throw_if_any();
             NewGift g;
             g.campaign_id = c.id;
             g.designation_id = des->id;
             g.dong_id = *dong;
             g.channel = channel;
             g.form = form;
             g.amount_krw = *amount;
             g.items = items;
             g.valuation_basis = basis;
             g.donor_kind = donor_kind;
             g.display = display;
             g.donor_name = donor_name;
             g.donor_contact = contact;
             g.receipt_wanted = wanted;
             g.receipt_id = receipt_id;
             g.receipt_address = receipt_address;
             g.given_on = *given_on;
             g.entered_by = p.account_id;
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     long long id = store.add_gift(s, g, store::now_unix());
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{{"id", id}, {"campaign", c.code}, {"designation", des->code},
                                                           {"form", g.form}, {"amount_krw", g.amount_krw},
                                                           {"receipt_wanted", g.receipt_wanted},
                                                           {"collector", c.collector_name}})};
                 });
             return stored(answer);
         },
         "Take a gift at a dong counter (기탁서) for the campaign's collector; Idempotency-Key honoured; receipt "
         "identifiers only when a receipt is wanted, with consent, encrypted",
         "giving", false,
         R"({"type":"object","additionalProperties":false,"required":["dong_id","designation","amount_krw",)"
         R"("given_on"],"properties":{"dong_id":{"type":"integer","minimum":1,"maximum":9007199254740992},)"
         R"("designation":{"type":"string","minLength":1,"maxLength":60,)"
         R"("description":"a designation code of the campaign"},"channel":{"type":"string","enum":["counter",)"
         R"("transfer"],"default":"counter"},"form":{"type":"string","enum":["cash","in_kind"],)"
         R"("default":"cash"},"amount_krw":{"type":"integer","minimum":1,"maximum":10000000000000},)"
         R"("items":{"type":"string","maxLength":500,"description":"required for in_kind"},)"
         R"("valuation_basis":{"type":"string","maxLength":200,"description":"required for in_kind"},)"
         R"("donor_kind":{"type":"string","enum":["person","organization","anonymous"],"default":"anonymous"},)"
         R"("display":{"type":"string","enum":["anonymous","masked","named"],"default":"anonymous"},)"
         R"("donor_name":{"type":"string","maxLength":100,"description":"required unless anonymous"},)"
         R"("donor_contact":{"type":"string","maxLength":200,)"
         R"("description":"a mobile number or an e-mail address"},"receipt_wanted":{"type":"boolean",)"
         R"("default":false},"receipt_consent":{"type":"boolean","default":false,)"
         R"("description":"required when receipt_wanted"},"receipt_id":{"type":"string",)"
         R"("pattern":"^([0-9]{10}|[0-9]{13})$","description":"only when receipt_wanted"},)"
         R"("receipt_address":{"type":"string","maxLength":300,"description":"only when receipt_wanted"},)"
         R"("given_on":{"type":"string","format":"date","maxLength":10,)"
         R"("description":"within the campaign period"}}})",
         201});

    router.add({"POST", "/api/v1/giving/gifts/{id}/reversal",
                [&store, &ids, &db](Request& req) {
                    auto p = require_login(ids, req);
                    auto g = store.gift(http::path_id(req, "id", "gift"));
                    std::optional<identity::Target> t;
                    if (g) {
                        long long district = 0;
                        for (const auto& c : store.campaigns(p.district_id))
                            if (c.id == g->campaign_id) district = c.district_id;
                        if (district) t = identity::Target{district, g->dong_id};
                    }
                    identity::require_record(p, Action::take_gift, t, "gift");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"reason"});
                    auto reason = r.string("reason", true, 500);
                    if (reason && utf8_length(*reason) < 2) errors.add("reason", "too_short", "say why");
                    errors.throw_if_any();
                    auto answer = store::run_idempotent(
                        db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req),
                        [&](soci::session& s) {
                            long long id = store.reverse_gift(s, g->id, *reason, p.account_id, store::now_unix());
                            return std::pair<int, std::string>{
                                201, json::serialize(json::object{{"gift_id", g->id}, {"reversal_id", id},
                                                                  {"amount_krw", -g->amount_krw}})};
                        });
                    return stored(answer);
                },
                "Reverse a gift with a reason (a correcting entry; gifts are never edited or deleted); "
                "Idempotency-Key honoured",
                "giving", false,
                R"({"type":"object","additionalProperties":false,"required":["reason"],)"
                R"("properties":{"reason":{"type":"string","minLength":2,"maxLength":500}}})",
                201});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/gifts",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    auto d = req.query_param("dong");
                    long long dong = d && !d->empty() && d->size() < 16 &&
                                             d->find_first_not_of("0123456789") == std::string::npos
                                         ? std::stoll(*d)
                                         : -1;
                    if (dong < 0)
                        throw Error(ErrorKind::validation, "which dong", {{"dong", "required", "a dong id"}});
                    identity::require(p, Action::take_gift, {c.district_id, dong});
                    std::string why = identity::access_reason(req, "counter work");
                    identity::log_access(ids, p, req, c.district_id, "giving_gifts", dong, "list", "donor_name", why);
                    json::array items;
                    for (const auto& g : store.gifts_of_dong(c.id, dong, 200))
                        items.push_back(json::object{{"id", g.id}, {"designation", g.designation_code},
                                                     {"channel", g.channel}, {"form", g.form},
                                                     {"amount_krw", g.amount_krw}, {"donor_kind", g.donor_kind},
                                                     {"donor_name", g.donor_name}, {"display", g.display},
                                                     {"given_on", g.given_on}, {"receipt_wanted", g.receipt_wanted},
                                                     {"reversed", g.reversed}, {"reversal_reason", g.reversal_reason}});
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "A dong counter's recent gifts (its officials; no receipt identifiers; logged)", "giving"});

    // The donor's own gifts and where they went (FIFO per fund).
    router.add({"GET", "/api/v1/giving/mine",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto account = ids.store().account(p.account_id);
                    std::vector<std::string> contacts;
                    if (account) {
                        if (!account->phone.empty()) contacts.push_back(store.contact_index(account->phone));
                        if (!account->email.empty()) contacts.push_back(store.contact_index(account->email));
                    }
                    std::map<long long, Distribution> dist_by_id;
                    std::set<long long> campaigns_loaded;
                    std::map<long long, std::string> campaign_code;
                    for (const auto& c : store.campaigns(p.district_id)) campaign_code[c.id] = c.code;
                    json::array items;
                    for (const auto& g : store.gifts_of_donor(contacts)) {
                        if (!campaigns_loaded.count(g.campaign_id)) {
                            for (auto& d : store.distributions(g.campaign_id, false)) dist_by_id[d.id] = d;
                            campaigns_loaded.insert(g.campaign_id);
                        }
                        json::array used;
                        long long unused = 0;
                        if (!g.reversed) {
                            auto [gifts, uses] = store.fund_slices(g.designation_id, g.form);
                            auto t = trace_fifo(gifts, uses, g.id);
                            unused = t.unused;
                            for (const auto& part : t.used) {
                                const auto& d = dist_by_id[part.distribution_id];
                                used.push_back(json::object{{"given_on", d.given_on}, {"program", d.program},
                                                            {"purpose", d.purpose}, {"amount_krw", part.amount},
                                                            {"households", d.households >= 1 && d.households <= 4
                                                                               ? json::value("1-4")
                                                                               : json::value(d.households)}});
                            }
                        }
                        items.push_back(json::object{{"id", g.id}, {"campaign", campaign_code[g.campaign_id]},
                                                     {"designation", g.designation_code}, {"form", g.form},
                                                     {"amount_krw", g.amount_krw}, {"given_on", g.given_on},
                                                     {"reversed", g.reversed}, {"used", std::move(used)},
                                                     {"unused_krw", unused}});
                    }
                    return http::no_store(http::json_response(
                        200, json::object{{"items", std::move(items)}, {"allocation_rule", kFifoRule}}));
                },
                "The caller's own gifts (matched by their account's phone or e-mail) and the distributions that "
                "used them, first in first out per fund; never who received them",
                "giving"});

    // Distributions: the council approves and records them.
    router.add(
        {"POST", "/api/v1/giving/campaigns/{code}/distributions",
         [&store, &ids, &db](Request& req) {
             auto p = require_login(ids, req);
             auto c = campaign_param(store, req);
             identity::require(p, Action::approve_distribution, {c.district_id});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"designation", "form", "amount_krw", "purpose", "program", "recipient_kind", "household_ref",
                           "households", "approval_ref", "given_on"});
             auto designation = r.string("designation", true, 60);
             auto form = r.string("form", false, 20).value_or("cash");
             auto amount = r.integer("amount_krw", true, 1, kMaxAmount);
             auto purpose = r.string("purpose", true, 20);
             auto program = r.string("program", true, 100);
             auto kind = r.string("recipient_kind", true, 20);
             auto household = r.string("household_ref", false, 100).value_or("");
             auto households = r.integer("households", false, 0, 1'000'000);
             auto approval = r.string("approval_ref", true, 100);
             auto given_on = r.string("given_on", true, 10);
             if (form != "cash" && form != "in_kind") errors.add("form", "unknown_code", "cash or in_kind");
             if (purpose && !kPurposes.count(*purpose))
                 errors.add("purpose", "unknown_code", "living, medical, education, heating, housing, emergency or other");
             if (program && !clean_label(*program)) errors.add("program", "invalid", "no | or \" or control characters");
             if (kind && *kind != "household" && *kind != "program")
                 errors.add("recipient_kind", "unknown_code", "household or program");
             if (kind && *kind == "household" && household.empty())
                 errors.add("household_ref", "required", "the case or outreach reference of the household");
             if (kind && *kind == "program" && !household.empty())
                 errors.add("household_ref", "not_for_program", "a programme distribution names no household");
             if (kind && *kind == "program" && !households)
                 errors.add("households", "required", "how many households the programme helped (0 if none yet)");
             if (given_on && !valid_date(*given_on)) errors.add("given_on", "invalid", "YYYY-MM-DD");
             std::optional<Designation> des;
             if (designation) {
                 for (const auto& d : store.designations(c.id))
                     if (d.code == *designation) des = d;
                 if (!des) errors.add("designation", "unknown_designation", "a designation of this campaign");
             }
             errors.throw_if_any();
             NewDistribution d;
             d.campaign_id = c.id;
             d.designation_id = des->id;
             d.form = form;
             d.amount_krw = *amount;
             d.purpose = *purpose;
             d.program = *program;
             d.recipient_kind = *kind;
             d.household_ref = household;
             d.households = *kind == "household" ? 1 : *households;
             d.approval_ref = *approval;
             d.given_on = *given_on;
             d.approved_by = p.account_id;
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     long long id = store.add_distribution(s, d, store::now_unix());
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{{"id", id}, {"designation", des->code}, {"form", d.form},
                                                           {"amount_krw", d.amount_krw}, {"purpose", d.purpose},
                                                           {"program", d.program}, {"approval_ref", d.approval_ref}})};
                 });
             return stored(answer);
         },
         "Record a distribution the council approved, from a fund (designation, cash or in kind); refused (422, "
         "amount_krw) when the fund holds less, whatever the concurrency; Idempotency-Key honoured",
         "giving", false,
         R"({"type":"object","additionalProperties":false,"required":["designation","amount_krw","purpose",)"
         R"("program","recipient_kind","approval_ref","given_on"],"properties":{"designation":{"type":"string",)"
         R"("minLength":1,"maxLength":60,"description":"a designation code of the campaign"},)"
         R"("form":{"type":"string","enum":["cash","in_kind"],"default":"cash"},"amount_krw":{"type":"integer",)"
         R"("minimum":1,"maximum":10000000000000},"purpose":{"type":"string","enum":["living","medical",)"
         R"("education","heating","housing","emergency","other"]},"program":{"type":"string","minLength":1,)"
         R"("maxLength":100,"pattern":"^[^|\"]*$"},"recipient_kind":{"type":"string","enum":["household",)"
         R"("program"]},"household_ref":{"type":"string","maxLength":100,)"
         R"("description":"required for a household, absent for a program"},"households":{"type":"integer",)"
         R"("minimum":0,"maximum":1000000,"description":"required for a program"},)"
         R"("approval_ref":{"type":"string","minLength":1,"maxLength":100},"given_on":{"type":"string",)"
         R"("format":"date","maxLength":10}}})",
         201});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/distributions",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::read_giving, {c.district_id});
                    std::string why = identity::access_reason(req);
                    identity::log_access(ids, p, req, c.district_id, "giving_distributions", c.id, "list",
                                         "household_ref", why);
                    json::array items;
                    for (const auto& d : store.distributions(c.id, true))
                        items.push_back(json::object{{"id", d.id}, {"designation", d.designation_code}, {"form", d.form},
                                                     {"amount_krw", d.amount_krw}, {"purpose", d.purpose},
                                                     {"program", d.program}, {"recipient_kind", d.recipient_kind},
                                                     {"household_ref", d.household_ref}, {"households", d.households},
                                                     {"approval_ref", d.approval_ref}, {"given_on", d.given_on},
                                                     {"received_at", d.received_at}});
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "A campaign's distributions with the households they went to (council only; X-Access-Reason; logged)",
                "giving"});

    router.add({"POST", "/api/v1/giving/campaigns/{code}/distributions/{id}/received",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::approve_distribution, {c.district_id});
                    long long id = http::path_id(req, "id", "distribution");
                    bool found = false;
                    for (const auto& d : store.distributions(c.id, false)) found = found || d.id == id;
                    if (!found) throw Error(ErrorKind::not_found, "no such distribution in this campaign");
                    bool changed = store.mark_received(id, store::now_unix());
                    return http::json_response(200, json::object{{"id", id}, {"recorded", changed}});
                },
                "Record that the household or programme received a distribution (once)", "giving", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    // The collector's statement (CSV): matched to counter gifts, QR gifts recorded, the rest reported.
    router.add(
        {"POST", "/api/v1/giving/campaigns/{code}/statements",
         [&store, &ids, &db](Request& req) {
             auto p = require_login(ids, req);
             auto c = campaign_param(store, req);
             // District-wide officials: a statement covers every dong.
             identity::require(p, Action::take_gift, {c.district_id});
             auto type = req.header("content-type").value_or("");
             if (type.rfind("text/csv", 0) != 0)
                 throw Error(ErrorKind::unsupported_media_type, "send the statement as text/csv");
             std::vector<RowError> row_errors;
             auto rows = parse_statement(req.body, row_errors);
             if (!row_errors.empty()) {
                 std::vector<FieldError> fields;
                 for (const auto& e : row_errors)
                     fields.push_back({e.line ? "rows[" + std::to_string(e.line) + "]." + e.field : e.field, e.code, e.message});
                 throw Error(ErrorKind::validation, std::to_string(fields.size()) + " problems in the file; nothing was imported", fields);
             }
             std::string sha = identity::token_hash(req.body);
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     auto rep = store.import_statement(s, c, rows, sha, p.account_id, store::now_unix());
                     json::array left;
                     for (auto id : rep.unmatched_ids) left.push_back(id);
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{
                                  {"statement_id", rep.statement_id}, {"rows", rep.rows},
                                  {"matched", json::object{{"count", rep.matched}, {"amount_krw", rep.matched_krw}}},
                                  {"qr_added", json::object{{"count", rep.qr_added}, {"amount_krw", rep.qr_added_krw}}},
                                  {"unmatched_gifts", json::object{{"count", rep.unmatched_gifts},
                                                                   {"amount_krw", rep.unmatched_krw},
                                                                   {"first_ids", std::move(left)}}}})};
                 });
             return stored(answer);
         },
         "Import the collector's statement (text/csv: date,reference,channel,amount_krw): G<n> rows matched to "
         "counter gifts, qr rows recorded as gifts, the cash gifts not yet matched reported; any bad row: 422 "
         "naming rows[line].column, nothing imported; Idempotency-Key honoured",
         "giving", false,
         R"({"type":"string","contentMediaType":"text/csv",)"
         R"("description":"UTF-8 CSV with a header row: date,reference,channel,amount_krw; reference G<gift id> for counter and transfer, QR or QR-<dong code> for qr"})",
         201});

    // Receipt data for the collector, in the fields of 소득세법 시행규칙 별지 제45호의2 (type codes
    // left to the collector: the post-2023 code list is unverified, docs/giving.md).
    router.add({"GET", "/api/v1/giving/campaigns/{code}/receipts.csv",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::export_receipts, {c.district_id});
                    std::string why = identity::access_reason(req);
                    auto rows = store.receipts(c.id);
                    std::string out =
                        "일련번호,기부자_성명,기부자_주민등록번호_사업자등록번호,기부자_주소,기부금단체_단체명,"
                        "기부금단체_고유번호,기부금단체_근거법령,기부_구분,기부_연월일,품명,금액\r\n";
                    for (const auto& r : rows) {
                        identity::log_access(ids, p, req, c.district_id, "giving_gift", r.gift_id, "export",
                                             "donor_name,receipt_id,receipt_address", why);
                        out += "G" + std::to_string(r.gift_id) + "," + csv_cell(r.donor_name) + "," + csv_cell(r.receipt_id) +
                               "," + csv_cell(r.receipt_address) + "," + csv_cell(c.collector_name) + "," +
                               csv_cell(c.collector_registration) + "," + csv_cell(c.collector_legal_basis) + "," +
                               (r.form == "cash" ? "금전" : "현물") + "," + r.given_on + "," + csv_cell(r.items) + "," +
                               std::to_string(r.amount_krw) + "\r\n";
                    }
                    Response resp;
                    resp.content_type = "text/csv; charset=utf-8";
                    resp.body = out;
                    resp.set_header("Content-Disposition", "attachment; filename=\"receipts-" + c.code + ".csv\"");
                    return http::no_store(std::move(resp));
                },
                "Receipt data of gifts whose donors want a receipt, for the collector to issue (district admin; "
                "X-Access-Reason; every row logged)",
                "giving"});

    // Stock of goods (docs/giving.md "Stock of goods"): dong officials count goods in; the council
    // approves goods out; the database keeps every item at or above zero.
    router.add(
        {"POST", "/api/v1/giving/campaigns/{code}/stock/moves",
         [&store, &ids, &db](Request& req) {
             auto p = require_login(ids, req);
             auto c = campaign_param(store, req);
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             http::BodyReader r(body, errors);
             r.allow_only({"direction", "item", "unit", "quantity", "dong_id", "gift_id", "approval_ref", "purpose",
                           "households"});
             auto direction = r.string("direction", true, 10);
             auto item = r.string("item", true, 100);
             auto unit = r.string("unit", false, 20).value_or("");
             auto quantity = r.integer("quantity", true, 1, 1'000'000'000);
             auto dong = r.integer("dong_id", false, 1, 1LL << 53);
             auto gift_id = r.integer("gift_id", false, 1, 1LL << 53).value_or(0);
             auto approval = r.string("approval_ref", false, 100).value_or("");
             auto purpose = r.string("purpose", false, 20).value_or("");
             auto households = r.integer("households", false, 0, 1'000'000).value_or(0);
             bool in = direction && *direction == "in", out = direction && *direction == "out";
             if (direction && !in && !out) errors.add("direction", "unknown_code", "in or out");
             if (item && !clean_label(*item)) errors.add("item", "invalid", "no | or \" or control characters, not a formula");
             if (in) {
                 if (unit.empty()) errors.add("unit", "required", "the unit it is counted in (kg, box, piece ...)");
                 else if (!clean_label(unit)) errors.add("unit", "invalid", "no | or \" or control characters");
                 if (!dong) errors.add("dong_id", "required", "the dong counter the goods came to");
                 else if (ids.store().district_of_dong(*dong) != c.district_id)
                     errors.add("dong_id", "unknown_dong", "a dong of the campaign's district");
                 if (!approval.empty() || !purpose.empty() || households)
                     errors.add("approval_ref", "not_for_in", "goods in carry no approval, purpose or households");
             }
             if (out) {
                 if (approval.empty()) errors.add("approval_ref", "required", "the council's approval (meeting and resolution)");
                 else if (!clean_label(approval)) errors.add("approval_ref", "invalid", "no | or \" or control characters");
                 if (!kPurposes.count(purpose))
                     errors.add("purpose", "unknown_code", "living, medical, education, heating, housing, emergency or other");
                 if (gift_id) errors.add("gift_id", "not_for_out", "only goods in name a gift");
             }
             if (gift_id) {
                 auto g = store.gift(gift_id);
                 if (!g || g->campaign_id != c.id || g->form != "in_kind")
                     errors.add("gift_id", "unknown_gift", "an in-kind gift of this campaign");
             }
             // Who: goods in, the dong's officials; goods out, the council (an unknown direction is
             // answered first: it decides whose action this is).
             if (!in && !out) errors.throw_if_any();
             if (out) identity::require(p, Action::approve_distribution, {c.district_id});
             else identity::require(p, Action::take_gift, {c.district_id, dong.value_or(-1)});
             errors.throw_if_any();
             StockMove m;
             m.campaign_id = c.id;
             m.item = *item;
             m.unit = unit;
             m.direction = *direction;
             m.quantity = *quantity;
             m.gift_id = gift_id;
             m.approval_ref = approval;
             m.purpose = purpose;
             m.households = households;
             m.dong_id = dong.value_or(0);
             m.by = p.account_id;
             auto answer = store::run_idempotent(
                 db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req), [&](soci::session& s) {
                     long long id = store.move_stock(s, m, store::now_unix());
                     return std::pair<int, std::string>{
                         201, json::serialize(json::object{{"id", id}, {"item", m.item}, {"direction", m.direction},
                                                           {"quantity", m.quantity}})};
                 });
             return stored(answer);
         },
         "Goods in (a dong's officials) or out (the council, with its approval); an item never goes below zero "
         "whatever the concurrency (422, quantity); Idempotency-Key honoured",
         "giving", false,
         R"({"type":"object","additionalProperties":false,"required":["direction","item","quantity"],"properties":{)"
         R"("direction":{"type":"string","enum":["in","out"]},"item":{"type":"string","minLength":1,"maxLength":100},)"
         R"("unit":{"type":"string","maxLength":20,"description":"required for in"},)"
         R"("quantity":{"type":"integer","minimum":1,"maximum":1000000000},)"
         R"("dong_id":{"type":"integer","minimum":1,"description":"required for in"},)"
         R"("gift_id":{"type":"integer","minimum":1,"description":"the in-kind gift the goods came with, for in"},)"
         R"("approval_ref":{"type":"string","maxLength":100,"description":"required for out"},)"
         R"("purpose":{"type":"string","enum":["living","medical","education","heating","housing","emergency","other"],)"
         R"("description":"required for out"},"households":{"type":"integer","minimum":0,"maximum":1000000}}})",
         201});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/stock",
                [&store](Request& req) {
                    auto c = campaign_param(store, req);
                    json::array items;
                    for (const auto& i : store.stock(c.id))
                        items.push_back(json::object{{"item", i.item}, {"unit", i.unit}, {"quantity", i.quantity}});
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Goods on hand per item (public: counts only)", "giving"});

    // The council's report (docs/giving.md "Council report"): raised against target by week,
    // channel, dong and form; distributions by purpose; the balance; the statutory checks with
    // their sources. Every count of 1-4 is published as "1-4".
    router.add({"GET", "/api/v1/giving/campaigns/{code}/report",
                [&store, &ids, dong_names](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::read_giving, {c.district_id});
                    auto band = [](long long n) { return n >= 1 && n <= 4 ? json::value("1-4") : json::value(n); };
                    auto t = store.totals(c.id);
                    json::array weeks;
                    for (const auto& w : weekly_totals(store.gift_facts(c.id), c.starts_on))
                        weeks.push_back(json::object{{"week", w.week}, {"from", w.from}, {"to", w.to}, {"gifts", band(w.gifts)},
                                                     {"amount_krw", w.amount}, {"cash_krw", w.cash}, {"in_kind_krw", w.in_kind}});
                    json::array channels, forms, dongs, purposes;
                    for (const auto& [k, v] : t.by_channel) channels.push_back(json::object{{"channel", k}, {"raised_krw", v}});
                    for (const auto& [k, v] : t.by_form) forms.push_back(json::object{{"form", k}, {"raised_krw", v}});
                    auto names = dong_names(c.district_id);
                    std::map<long long, long long> raised(t.by_dong.begin(), t.by_dong.end());
                    for (const auto& [dong, target] : store.dong_targets(c.id))
                        dongs.push_back(json::object{{"dong_id", dong}, {"name_ko", names[dong].first}, {"target_krw", target},
                                                     {"raised_krw", raised[dong]},
                                                     {"degrees_tenths", degrees_tenths(raised[dong], target)}});
                    std::map<std::string, std::tuple<long long, long long, long long>> by_purpose;  // count, KRW, households
                    for (const auto& d : store.distributions(c.id, false)) {
                        auto& x = by_purpose[d.purpose];
                        std::get<0>(x)++;
                        std::get<1>(x) += d.amount_krw;
                        std::get<2>(x) += d.households;
                    }
                    for (const auto& [k, v] : by_purpose)
                        purposes.push_back(json::object{{"purpose", k}, {"distributions", band(std::get<0>(v))},
                                                        {"amount_krw", std::get<1>(v)}, {"households", band(std::get<2>(v))}});
                    long long days = 0;
                    {
                        auto today = seoul_date(std::chrono::system_clock::now());
                        for (std::string d = c.starts_on; d < today && days < 100000; d = next_day(d)) ++days;
                    }
                    json::array checks{
                        json::object{{"rule", "A solicitation of 10,000,000 KRW or more is registered by the collector"},
                                     {"rule_ko", "1천만원 이상 모집은 모집기관이 등록합니다"},
                                     {"source", "기부금품의 모집 및 사용에 관한 법률 제4조제1항"},
                                     {"verified", false},
                                     {"status", c.target_krw >= 10'000'000 ? "registration_needed" : "below_threshold"},
                                     {"detail", "target " + std::to_string(c.target_krw) + " KRW; collector registration: " +
                                                    c.collector_registration}},
                        json::object{{"rule", "The solicitation period is at most one year"},
                                     {"rule_ko", "모집기간은 1년 이내입니다"},
                                     {"source", "기부금품의 모집 및 사용에 관한 법률 제4조 (기간: 2차 자료)"},
                                     {"verified", false},
                                     {"status", valid_period(c.starts_on, c.ends_on) ? "ok" : "exceeded"},
                                     {"detail", c.starts_on + " to " + c.ends_on}},
                        json::object{{"rule", "Fundraising costs within 15/13/12/10 % of the amount raised"},
                                     {"rule_ko", "모집비용은 모금액의 15/13/12/10% 이내"},
                                     {"source", "기부금품의 모집 및 사용에 관한 법률 시행령 (2006 개정, 조문 미확인)"},
                                     {"verified", false},
                                     {"status", "not_checked"},
                                     {"detail", "dure records no fundraising costs; the collector reports them"}},
                        json::object{{"rule", "Money is used within the period the law sets after the solicitation starts"},
                                     {"rule_ko", "모금액은 법이 정한 기간 안에 사용합니다"},
                                     {"source", "기부금품법 2024 개정 (조문·시행일 미확인)"},
                                     {"verified", false},
                                     {"status", "not_checked"},
                                     {"detail", std::to_string(days) + " days since the start; balance " +
                                                    std::to_string(t.balance_krw) + " KRW unused"}},
                    };
                    return http::no_store(http::json_response(
                        200, json::object{{"code", c.code}, {"target_krw", c.target_krw}, {"raised_krw", t.raised_krw()},
                                          {"degrees_tenths", degrees_tenths(t.raised_krw(), c.target_krw)},
                                          {"gifts", band(t.gifts_count)}, {"reversed_krw", t.reversed_krw},
                                          {"distributed_krw", t.distributed_krw}, {"balance_krw", t.balance_krw},
                                          {"by_week", std::move(weeks)}, {"by_channel", std::move(channels)},
                                          {"by_form", std::move(forms)}, {"by_dong", std::move(dongs)},
                                          {"distributions_by_purpose", std::move(purposes)},
                                          {"statutory_checks", std::move(checks)},
                                          {"suppression", "counts of 1-4 are shown as 1-4"}}));
                },
                "The council's campaign report: raised against target by week, channel, dong and form, "
                "distributions by purpose, the balance, and the statutory checks with their sources (council; "
                "counts of 1-4 suppressed)",
                "giving"});

    // The receipt lifecycle (docs/giving.md "Receipts"): numbers per year, void and reissue with a
    // reason, never edited; the year-end export for the collector's 연말정산 간소화 submission.
    auto record_json = [](const ReceiptRecord& r) {
        return json::object{{"id", r.id}, {"number", r.number}, {"gift_id", r.gift_id}, {"year", r.year},
                            {"serial", r.serial}, {"replaces_id", r.replaces_id}, {"issued_at", r.issued_at},
                            {"voided", r.voided}, {"void_reason", r.void_reason}};
    };
    router.add({"POST", "/api/v1/giving/campaigns/{code}/receipts",
                [&store, &ids, &db, record_json](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::export_receipts, {c.district_id});
                    if (!req.body.empty()) {
                        auto body = http::parse_json_object(req);
                        FieldErrors errors;
                        http::BodyReader r(body, errors);
                        r.allow_only({});
                        errors.throw_if_any();
                    }
                    auto answer = store::run_idempotent(
                        db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req),
                        [&](soci::session& s) {
                            auto made = store.issue_receipts(s, c.id, p.account_id, store::now_unix());
                            json::array items;
                            for (const auto& r : made) items.push_back(record_json(r));
                            return std::pair<int, std::string>{
                                201, json::serialize(json::object{{"issued", static_cast<long long>(made.size())},
                                                                  {"items", std::move(items)}})};
                        });
                    return stored(answer);
                },
                "Number a receipt record for every gift whose donor wants a receipt and has none yet (district "
                "admin); serials unique per year (database constraint); Idempotency-Key honoured",
                "giving", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})", 201});

    router.add({"GET", "/api/v1/giving/campaigns/{code}/receipts",
                [&store, &ids, record_json](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::export_receipts, {c.district_id});
                    json::array items;
                    for (const auto& r : store.receipt_records(c.id)) items.push_back(record_json(r));
                    return http::no_store(http::json_response(200, json::object{{"items", std::move(items)}}));
                },
                "The campaign's receipt records with their voids (no donor data; district admin)", "giving"});

    router.add({"POST", "/api/v1/giving/receipts/{id}/void",
                [&store, &ids, &db, record_json](Request& req) {
                    auto p = require_login(ids, req);
                    auto found = store.receipt(http::path_id(req, "id", "receipt"));
                    std::optional<identity::Target> t;
                    if (found)
                        for (const auto& c : store.campaigns(p.district_id))
                            if (c.id == found->second) t = identity::Target{c.district_id};
                    identity::require_record(p, Action::export_receipts, t, "receipt");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"reason", "reissue"});
                    auto reason = r.string("reason", true, 500);
                    bool reissue = boolean(body, "reissue", errors).value_or(false);
                    if (reason && utf8_length(*reason) < 2) errors.add("reason", "too_short", "say why");
                    if (reason && has_control_chars(*reason)) errors.add("reason", "invalid", "no control characters");
                    errors.throw_if_any();
                    long long id = found->first.id;
                    auto answer = store::run_idempotent(
                        db, identity::idempotency_key(req, caller_of(p)), identity::request_hash(req),
                        [&](soci::session& s) {
                            auto made = store.void_receipt(s, id, *reason, reissue, p.account_id, store::now_unix());
                            json::object o{{"voided", id}};
                            if (made.id) o["reissued"] = record_json(made);
                            return std::pair<int, std::string>{201, json::serialize(o)};
                        });
                    return stored(answer);
                },
                "Void a receipt with a reason, and optionally reissue it under a new number (the old record "
                "stays; district admin); Idempotency-Key honoured",
                "giving", false,
                R"({"type":"object","additionalProperties":false,"required":["reason"],"properties":{)"
                R"("reason":{"type":"string","minLength":2,"maxLength":500},"reissue":{"type":"boolean","default":false}}})",
                201});

    router.add({"GET", "/api/v1/giving/receipts/year-end.csv",
                [&store, &ids, default_district](Request& req) {
                    auto p = require_login(ids, req);
                    long long district = p.district_id ? p.district_id : default_district();
                    identity::require(p, Action::export_receipts, {district});
                    auto y = req.query_param("year");
                    if (!y || y->size() != 4 || y->find_first_not_of("0123456789") != std::string::npos || *y < "2000")
                        throw Error(ErrorKind::validation, "which year", {{"year", "invalid", "a year, e.g. 2023"}});
                    std::string why = identity::access_reason(req);
                    auto rows = store.year_end(district, std::stoll(*y));
                    std::string out = year_end_csv(rows);
                    for (const auto& r : rows)
                        identity::log_access(ids, p, req, district, "giving_gift", r.receipt.gift_id, "export",
                                             "donor_name,receipt_id,receipt_address", why);
                    Response resp;
                    resp.content_type = "text/csv; charset=utf-8";
                    resp.body = out;
                    resp.set_header("Content-Disposition", "attachment; filename=\"giving-year-end-" + *y + ".csv\"");
                    return http::no_store(std::move(resp));
                },
                "The year-end export (연말정산 간소화 data, dure's documented layout) of the receipts of a year that "
                "are not void, for the collector to submit (district admin; X-Access-Reason; every row logged; "
                "cells formula-guarded)",
                "giving"});

    router.add({"POST", "/api/v1/giving/campaigns/{code}/ledger/seal",
                [&store, &ids](Request& req) {
                    auto p = require_login(ids, req);
                    auto c = campaign_param(store, req);
                    identity::require(p, Action::approve_distribution, {c.district_id});
                    // Only closed days: today's events may still arrive.
                    auto now = std::chrono::system_clock::now() - std::chrono::hours(24);
                    int added = store.seal(c.id, seoul_date(now));
                    auto after = store.campaign(c.code);
                    return http::json_response(200, json::object{{"added", added}, {"head_hash", after->ledger_head},
                                                                 {"sealed_through", after->sealed_through}});
                },
                "Seal every closed day into the hash-chained ledger (the daily job does the same)", "giving", false,
                R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});
}

}  // namespace dure::giving
