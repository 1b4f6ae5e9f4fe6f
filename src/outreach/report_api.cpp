// Report channels over HTTP: the public web form, the partner API, staff intake and CSV upload,
// the reporter's own list, and the vocabularies the forms show.
#include "atlas/stats.hpp"
#include "http/json.hpp"
#include "identity/api.hpp"
#include "outreach/api_internal.hpp"
#include "outreach/intake.hpp"
#include "outreach/triage.hpp"

namespace dure::outreach {

namespace json = boost::json;
using http::Request;
using http::Response;
using identity::Action;

namespace {

constexpr int kPageSize = 20;

// The district a public report is about: the body's district_id, the caller's, or the default.
long long report_district(Context& c, const json::object& body, const identity::Principal& p,
                          FieldErrors& errors) {
    http::BodyReader r(body, errors);
    if (auto d = r.integer("district_id", false, 1, 1LL << 53)) {
        if (dongs_of(c, *d).empty()) errors.add("district_id", "unknown_district", "no such district");
        return *d;
    }
    return p.authenticated() ? p.district_id : c.default_district();
}

// Who the reporter is, as the district knows them: a registered gatekeeper, an official, a
// gatekeeper-type role (caregivers, care teams), a resident with an account, or nobody known.
void attribute(Context& c, const identity::Principal& p, NewReport& r) {
    if (!p.authenticated()) {
        r.reporter_kind = ReporterKind::anonymous;
        return;
    }
    r.reporter_account_id = p.account_id;
    r.created_by = p.account_id;
    if (auto g = c.store.gatekeeper_for_account(p.account_id);
        g && g->active && g->district_id == r.district_id) {
        r.gatekeeper_id = g->id;
        r.reporter_kind = ReporterKind::gatekeeper;
    } else if (identity::authorize(p, Action::take_report, {r.district_id, r.dong_id}).allowed) {
        r.reporter_kind = ReporterKind::staff;
    } else if (identity::authorize(p, Action::file_report, {r.district_id}).allowed) {
        r.reporter_kind = ReporterKind::gatekeeper;
    } else {
        r.reporter_kind = ReporterKind::resident;
    }
}

// What a reporter outside the district office is told: the receipt, never the household.
std::string reporter_answer(const FiledReport& f, const std::string& external_ref) {
    json::object o{{"receipt_no", f.receipt_no},
                   {"status", to_string(ReportStatus::received)},
                   {"received_at", time_json(f.received_at)},
                   {"message", "신고가 접수되었습니다. 담당 공무원이 확인 후 필요한 도움을 연결합니다."}};
    if (!external_ref.empty()) o["external_ref"] = external_ref;
    return json::serialize(o);
}

json::object staff_answer(const FiledReport& f) {
    return {{"receipt_no", f.receipt_no},
            {"report_id", f.report_id},
            {"household_id", f.household_id},
            {"merged", f.merged},
            {"reopened", f.reopened},
            {"household_reports", f.household_reports},
            {"received_at", time_json(f.received_at)}};
}

Response filed_response(const FilingResult& r) {
    Response resp;
    resp.status = r.replayed ? 200 : 201;
    resp.body = r.response;
    return resp;
}

// 429 once an address (anonymous) or an account has filed too many reports lately.
void throttle(RateLimiter& limiter, const std::string& key) {
    if (long long wait = limiter.hit(key, steady_seconds()))
        throw Error(ErrorKind::too_many_requests, "too many reports from here lately; try again later")
            .with_type("too-many-reports")
            .with_retry_after(static_cast<int>(wait));
}

const char* kReportSchema = R"({"type":"object","additionalProperties":false,"required":["concern"],
 "properties":{"district_id":{"type":"integer"},"dong_id":{"type":"integer"},"address":{"type":"string","maxLength":200},
 "place":{"type":"string","maxLength":200,"description":"where, when there is no address"},
 "concern":{"type":"string","maxLength":2000,"description":"what the reporter saw"},
 "urgency":{"enum":["urgent","high","normal"]},"signs":{"type":"array","items":{"type":"string"}},
 "subject_name":{"type":"string","maxLength":50},"subject_phone":{"type":"string"},
 "contact":{"type":"string","maxLength":100,"description":"how to reach the reporter, if they wish"}}})";
const char* kPartnerSchema = R"({"type":"object","additionalProperties":false,"required":["concern"],
 "properties":{"dong_id":{"type":"integer"},"address":{"type":"string"},"place":{"type":"string"},
 "concern":{"type":"string"},"urgency":{"enum":["urgent","high","normal"]},"signs":{"type":"array","items":{"type":"string"}},
 "subject_name":{"type":"string"},"subject_phone":{"type":"string"},"external_ref":{"type":"string","maxLength":100}}})";
const char* kIntakeSchema =
    R"({"type":"object","additionalProperties":false,"required":["channel","dong_id","concern"],
 "properties":{"channel":{"enum":["hotline","counter"]},"dong_id":{"type":"integer"},"address":{"type":"string"},
 "place":{"type":"string"},"concern":{"type":"string"},"urgency":{"enum":["urgent","high","normal"]},
 "signs":{"type":"array","items":{"type":"string"}},"subject_name":{"type":"string"},"subject_phone":{"type":"string"},
 "contact":{"type":"string"},"received_at":{"type":"string","format":"date-time"},"gatekeeper_id":{"type":"integer"}}})";

}  // namespace

void add_report_routes(http::Router& router, ContextPtr ctx) {
    router.add({"GET", "/api/v1/outreach/vocabulary",
                [](Request&) {
                    auto codes = [](const std::vector<Code>& list) {
                        json::array out;
                        for (const auto& c : list)
                            out.push_back(json::object{{"code", c.code}, {"ko", c.ko}, {"en", c.en}});
                        return out;
                    };
                    json::array urgencies;
                    for (const auto& r : deadline_rules())
                        urgencies.push_back(json::object{{"code", to_string(r.urgency)},
                                                         {"ko", r.ko},
                                                         {"en", r.en},
                                                         {"contact_within_hours", r.hours}});
                    return http::json_response(200, json::object{{"urgencies", std::move(urgencies)},
                                                                 {"signs", codes(sign_codes())},
                                                                 {"occupations", codes(occupation_codes())},
                                                                 {"outcomes", codes(outcome_codes())}});
                },
                "Urgencies with their response deadlines, sign, occupation and outcome codes", "outreach",
                true});

    router.add(
        {"POST", "/api/v1/outreach/reports",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = identity::principal_of(c.ids, req);
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             long long district = report_district(c, body, p, errors);
             auto raw = read_report_json(body,
                                         {"district_id", "dong_id", "address", "place", "concern", "urgency",
                                          "signs", "subject_name", "subject_phone", "contact"},
                                         errors);
             long long now = store::now_unix();
             auto r = check_report(raw, dongs_of(c, district), now, errors);
             errors.throw_if_any();
             // Anonymous callers cannot be told apart, so their key is scoped by the body too: two
             // people who pick the same key never get each other's receipt.
             auto body_hash = request_hash(req);
             std::string caller =
                 p.authenticated() ? "account:" + std::to_string(p.account_id) : "anonymous:" + body_hash;
             auto key = idempotency_key(req, caller);
             if (!p.authenticated()) throttle(c.anonymous_reports, "addr:" + req.remote_addr);
             else throttle(c.account_reports, "account:" + std::to_string(p.account_id));
             r.district_id = district;
             r.channel = Channel::web;
             attribute(c, p, r);
             auto filed = c.store.file(
                 {r}, key, now,
                 [](const std::vector<FiledReport>& f) { return reporter_answer(f.front(), ""); }, body_hash);
             return filed_response(filed);
         },
         "Report a household that may be in crisis (anyone, anonymous allowed); answers with a receipt "
         "number and nothing about the household. Idempotency-Key honoured",
         "outreach", false, kReportSchema, 201});

    router.add(
        {"POST", "/api/v1/outreach/partner/reports",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             if (!p.via_api_token)
                 throw Error(
                     ErrorKind::forbidden,
                     "the partner API takes an API token (Authorization: Bearer); people use the web form");
             identity::require(p, Action::file_report, {p.district_id});
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             auto raw = read_report_json(body,
                                         {"dong_id", "address", "place", "concern", "urgency", "signs",
                                          "subject_name", "subject_phone", "external_ref"},
                                         errors);
             long long now = store::now_unix();
             auto r = check_report(raw, dongs_of(c, p.district_id), now, errors);
             errors.throw_if_any();
             auto key = idempotency_key(req, "account:" + std::to_string(p.account_id));
             r.district_id = p.district_id;
             r.channel = Channel::partner;
             attribute(c, p, r);
             auto filed = c.store.file(
                 {r}, key, now,
                 [&r](const std::vector<FiledReport>& f) { return reporter_answer(f.front(), r.external_ref); },
                 request_hash(req));
             return filed_response(filed);
         },
         "Partner institutions report a household (API token of a gatekeeper or official); "
         "Idempotency-Key honoured",
         "outreach", false, kPartnerSchema, 201});

    router.add(
        {"POST", "/api/v1/outreach/intake",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             long long district = p.district_id;
             require_somewhere(p, Action::take_report, district);
             auto body = http::parse_json_object(req);
             FieldErrors errors;
             auto raw = read_report_json(
                 body,
                 {"channel", "dong_id", "address", "place", "concern", "urgency", "signs", "subject_name",
                  "subject_phone", "contact", "received_at", "gatekeeper_id"},
                 errors);
             http::BodyReader br(body, errors);
             auto channel_s = br.string("channel", true, 20);
             Channel channel = Channel::hotline;
             if (channel_s) {
                 auto parsed = parse_channel(*channel_s).value_or(Channel::web);
                 if (parsed != Channel::hotline && parsed != Channel::counter)
                     errors.add("channel", "unknown_channel", "hotline or counter");
                 channel = parsed;
             }
             if (!raw.dong_given && !errors.has("dong_id"))
                 errors.add("dong_id", "required", "the dong the household lives in");
             auto gatekeeper_id = br.integer("gatekeeper_id", false, 1, 1LL << 53);
             if (gatekeeper_id) {
                 auto g = c.store.gatekeeper(*gatekeeper_id);
                 if (!g || g->district_id != district)
                     errors.add("gatekeeper_id", "unknown_gatekeeper", "no such gatekeeper in your district");
             }
             long long now = store::now_unix();
             auto r = check_report(raw, dongs_of(c, district), now, errors);
             errors.throw_if_any();
             identity::require(p, Action::take_report, {district, r.dong_id});
             auto key = idempotency_key(req, "account:" + std::to_string(p.account_id));
             r.district_id = district;
             r.channel = channel;
             r.created_by = p.account_id;
             r.gatekeeper_id = gatekeeper_id.value_or(0);
             r.reporter_kind = r.gatekeeper_id              ? ReporterKind::gatekeeper
                               : r.reporter_contact.empty() ? ReporterKind::anonymous
                                                            : ReporterKind::resident;
             r.verified = true;  // an official took it and checked what the caller said
             r.match_in_dong_only = !identity::authorize(p, Action::take_report, {district, 0}).allowed;
             auto filed = c.store.file(
                 {r}, key, now,
                 [](const std::vector<FiledReport>& f) {
                     auto o = staff_answer(f.front());
                     return json::serialize(o);
                 },
                 request_hash(req));
             return filed_response(filed);
         },
         "Officials take a report on the hotline or at the counter (caseworker or district_admin of its "
         "dong); answers with the household it was merged into",
         "outreach", false, kIntakeSchema, 201});

    router.add(
        {"POST", "/api/v1/outreach/intake/import",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             long long district = p.district_id;
             require_somewhere(p, Action::take_report, district);
             auto ct = req.header("content-type").value_or("");
             for (auto& ch : ct) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
             if (ct.substr(0, ct.find(';')) != "text/csv")
                 throw Error(ErrorKind::unsupported_media_type, "send the file as text/csv (UTF-8)");
             if (auto enc = catalog::detect_encoding(req.body); enc != catalog::TextEncoding::utf8)
                 throw Error(ErrorKind::validation, "the file is not UTF-8; nothing was imported",
                             {{"file", enc == catalog::TextEncoding::cp949 ? "cp949_encoding" : "not_utf8",
                               enc == catalog::TextEncoding::cp949
                                   ? "the file looks like CP949/EUC-KR (Excel's Korean CSV): save it as "
                                     "\"CSV UTF-8\" and upload again"
                                   : "the file is not valid UTF-8 text"}});
             long long now = store::now_unix();
             auto csv = read_reports_csv(req.body, dongs_of(c, district), now);
             for (std::size_t i = 0; i < csv.reports.size(); ++i) {
                 auto dong = csv.reports[i].dong_id;
                 if (dong && !identity::authorize(p, Action::take_report, {district, dong}).allowed)
                     csv.errors.push_back({"line " + std::to_string(csv.lines[i]) + ": dong", "not_your_dong",
                                           "you may not take reports for this dong"});
             }
             if (!csv.errors.empty()) {
                 auto n = csv.errors.size();
                 throw Error(ErrorKind::validation,
                             std::to_string(n) + (n == 1 ? " problem" : " problems") +
                                 " in the file; nothing was imported",
                             csv.errors);
             }
             for (auto& r : csv.reports) {
                 r.district_id = district;
                 r.created_by = p.account_id;
                 r.verified = true;  // uploaded by an official of every row's dong
                 r.match_in_dong_only = !identity::authorize(p, Action::take_report, {district, 0}).allowed;
             }
             auto key = idempotency_key(req, "account:" + std::to_string(p.account_id));
             auto lines = csv.lines;
             auto filed = c.store.file(csv.reports, key, now, [&lines](const std::vector<FiledReport>& f) {
                 json::array rows;
                 long long merged = 0;
                 for (std::size_t i = 0; i < f.size(); ++i) {
                     auto o = staff_answer(f[i]);
                     o["line"] = lines[i];
                     merged += f[i].merged ? 1 : 0;
                     rows.push_back(std::move(o));
                 }
                 return json::serialize(
                     json::object{{"rows", f.size()},
                                  {"households_new", static_cast<long long>(f.size()) - merged},
                                  {"merged", merged},
                                  {"reports", std::move(rows)}});
             }, request_hash(req));
             return filed_response(filed);
         },
         "Upload reports as CSV (text/csv, UTF-8; caseworker or district_admin for every row's dong): "
         "dong, concern and address or place, plus urgency, signs, subject_name, subject_phone, contact, "
         "received_at. Every row is checked; any error imports nothing",
         "outreach", false,
         R"({"type":"string","contentMediaType":"text/csv","description":"UTF-8 CSV with a header row: dong,concern,address,urgency,signs,subject_name,subject_phone,contact,received_at"})", 201});

    router.add(
        {"GET", "/api/v1/outreach/my-reports",
         [ctx](Request& req) {
             auto& c = *ctx;
             auto p = require_login(c, req);
             int page = page_param(req);
             auto list = c.store.own_reports(p.account_id, (page - 1) * kPageSize, kPageSize);
             json::array items;
             for (const auto& o : list.items) {
                 json::object j{{"receipt_no", o.receipt_no},
                                {"received_at", time_json(o.received_at)},
                                {"channel", to_string(o.channel)},
                                {"urgency", to_string(o.urgency)},
                                {"status", to_string(o.status)}};
                 j["dong_id"] = o.dong_id ? json::value(o.dong_id) : json::value(nullptr);
                 items.push_back(std::move(j));
             }
             return http::json_response(200, json::object{{"items", std::move(items)},
                                                          {"total", list.total},
                                                          {"page", page},
                                                          {"page_size", kPageSize}});
         },
         "The reports the caller filed, with their status (received, under_review, closed) and nothing "
         "about the household",
         "outreach"});
}

}  // namespace dure::outreach
