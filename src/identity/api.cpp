#include "identity/api.hpp"

#include "common/dates.hpp"

#include <boost/json.hpp>

#include <cstdlib>

#include "http/json.hpp"
#include "identity/authz.hpp"
#include "identity/consent_api.hpp"
#include "store/database.hpp"

namespace dure::identity {

namespace json = boost::json;
using http::Request;
using http::Response;

namespace {

constexpr int kPageSize = 20;

json::object grant_json(const Grant& g) {
    return {{"id", g.id},
            {"role", to_string(g.role)},
            {"scope_kind", to_string(g.scope_kind)},
            {"scope_id", g.scope_id},
            {"scope_name", g.scope_name}};
}

json::object account_json(const Account& a) {
    json::array roles;
    for (const auto& g : a.grants) roles.push_back(grant_json(g));
    json::object o{{"id", a.id}, {"name", a.name}, {"district_id", a.district_id}, {"roles", std::move(roles)}};
    o["email"] = a.email.empty() ? json::value(nullptr) : json::value(a.email);
    o["phone"] = a.phone.empty() ? json::value(nullptr) : json::value(a.phone);
    return o;
}

std::string session_cookie(const std::string& value, long long max_age, bool secure) {
    std::string c = std::string(session_cookie_name(secure)) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                    std::to_string(max_age);
    if (secure) c += "; Secure";
    return c;
}

// A readable companion of the session cookie that holds no secret: the web UI asks GET /api/v1/me
// only when it is present, so anonymous page views make no failing request.
std::string signed_in_marker(long long max_age, bool secure) {
    std::string c = std::string("dure_signed_in=") + (max_age > 0 ? "1" : "") + "; Path=/; SameSite=Strict; Max-Age=" +
                    std::to_string(max_age);
    if (secure) c += "; Secure";
    return c;
}

Response session_response(int status, const SessionStart& s, const Request& req, long long ttl) {
    Response r = http::json_response(status, json::object{{"account", account_json(s.account)},
                                                          {"csrf_token", s.csrf_token},
                                                          {"expires_in", ttl}});
    r.set_header("Set-Cookie", session_cookie(s.session_token, ttl, req.secure));
    r.set_header("Set-Cookie", signed_in_marker(ttl, req.secure));
    return r;
}

Principal require_login(IdentityService& svc, const Request& req) {
    auto p = principal_of(svc, req);
    if (!p.authenticated()) throw Error(ErrorKind::unauthorized, "log in first (or the session has expired)");
    return p;
}

long long parse_id(const std::string& s, const char* what) {
    if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorKind::not_found, std::string("no such ") + what);
    return std::stoll(s);
}

int parse_page(const Request& req) {
    auto p = req.query_param("page");
    if (!p) return 1;
    if (p->empty() || p->size() > 6 || p->find_first_not_of("0123456789") != std::string::npos || *p == "0")
        throw Error(ErrorKind::validation, "page must be a positive integer",
                    {{"page", "invalid_page", "a positive integer"}});
    return std::stoi(*p);
}

// The district an admin request is about: ?district_id= or the caller's own.
long long district_param(const Request& req, const Principal& p) {
    auto d = req.query_param("district_id");
    if (!d) return p.district_id;
    if (d->empty() || d->size() > 18 || d->find_first_not_of("0123456789") != std::string::npos)
        throw Error(ErrorKind::validation, "district_id must be an integer",
                    {{"district_id", "not_an_integer", "an integer"}});
    return std::stoll(*d);
}

// 440101-2345678 → 440101-2******: the birth date and the sex digit, never the rest. The full
// number leaves the server only through POST /persons/{id}/rrn (docs/privacy.md).
std::string masked_rrn(const std::string& rrn) {
    if (rrn.size() < 8) return rrn.empty() ? "" : "*******";
    return rrn.substr(0, 8) + std::string(rrn.size() - 8, '*');
}

json::object person_json(const Person& p) {
    auto opt = [](const std::string& v) { return v.empty() ? json::value(nullptr) : json::value(v); };
    return {{"id", p.id},
            {"district_id", p.district_id},
            {"dong_id", p.dong_id},
            {"name", p.name},
            {"phone", opt(p.phone)},
            {"birth_date", opt(p.birth_date)},
            {"address", opt(p.address)},
            {"rrn", opt(masked_rrn(p.rrn))},
            {"created_at", p.created_at}};
}

// The fields of person_json, as written to the access log.
constexpr const char* kPersonFields = "name,phone,birth_date,address,rrn_masked";

// A lookup key in a URL ends up in proxy and browser logs: those routes answer 400 and name the
// POST that takes the key in its body.
[[noreturn]] void refuse_in_url(const char* field, const std::string& post) {
    throw Error(ErrorKind::bad_request,
                std::string("send the ") + field + " in the body of " + post + ", never in the URL (it would be logged)",
                {{field, "not_in_url", "use " + post}});
}


const char* kSignupSchema = R"({"type":"object","additionalProperties":false,"required":["password","name"],
 "properties":{"email":{"type":"string","format":"email"},"phone":{"type":"string","example":"010-1234-5678"},
 "password":{"type":"string","minLength":10},"name":{"type":"string","maxLength":50},"district_id":{"type":"integer"},
 "consents":{"type":"array","maxItems":20,"description":"the consents ticked, each with the version shown (GET /api/v1/consents); when given, the required ones must be there","items":{"type":"object","additionalProperties":false,"required":["kind","version"],"properties":{"kind":{"type":"string"},"version":{"type":"string"}}}}}})";
const char* kLoginSchema = R"({"type":"object","additionalProperties":false,"required":["login","password"],
 "properties":{"login":{"type":"string","description":"e-mail or mobile number"},"password":{"type":"string"}}})";
const char* kGrantSchema = R"({"type":"object","additionalProperties":false,"required":["role","scope_kind","scope_id"],
 "properties":{"role":{"type":"string"},"scope_kind":{"enum":["district","dong","organization"]},"scope_id":{"type":"integer"}}})";
const char* kTokenSchema = R"({"type":"object","additionalProperties":false,"required":["name","scopes","expires_at"],
 "properties":{"name":{"type":"string","maxLength":100,"description":"the partner institution and its system"},
 "scopes":{"type":"array","minItems":1,"items":{"enum":["file_report"]}},
 "expires_at":{"type":"string","format":"date","description":"last day the token works in Korea time, at most a year ahead"}}})";
const char* kRotateSchema = R"({"type":"object","additionalProperties":false,
 "properties":{"grace_seconds":{"type":"integer","minimum":0,"maximum":604800},"expires_at":{"type":"string","format":"date"}}})";

json::object token_json(const ApiTokenInfo& t) {
    json::array scopes;
    std::string all = t.scopes + ",";
    for (std::size_t b = 0, e; (e = all.find(',', b)) != std::string::npos; b = e + 1)
        if (e > b) scopes.push_back(json::string(all.substr(b, e - b)));
    json::object o{{"id", t.id},           {"name", t.name},         {"service_account_id", t.account_id},
                   {"scopes", std::move(scopes)}, {"created_at", t.created_at}, {"expires_at", t.expires_at}};
    o["last_used_at"] = t.last_used_at ? json::value(t.last_used_at) : json::value(nullptr);
    o["revoked_at"] = t.revoked_at ? json::value(t.revoked_at) : json::value(nullptr);
    return o;
}

// "scopes": a non-empty array of known scope codes; returned comma-separated.
std::string token_scopes_param(const json::object& body, FieldErrors& errors) {
    auto it = body.find("scopes");
    if (it == body.end() || !it->value().is_array() || it->value().as_array().empty()) {
        errors.add("scopes", "required", "a list of what the token may do, e.g. [\"file_report\"]");
        return {};
    }
    std::string out;
    for (const auto& v : it->value().as_array()) {
        bool known = false;
        if (v.is_string())
            for (const auto& s : token_scopes())
                if (v.as_string() == s.code) known = true;
        if (!known) {
            errors.add("scopes", "unknown_scope", "known scopes: file_report");
            return {};
        }
        std::string code(v.as_string());
        if (("," + out + ",").find("," + code + ",") == std::string::npos) out += (out.empty() ? "" : ",") + code;
    }
    return out;
}

// "expires_at": a date (YYYY-MM-DD), the last day the token works in Korea time; after today and at
// most a year ahead. Returns the Unix time it stops (midnight KST after that day).
long long token_expiry_param(const json::object& body, FieldErrors& errors, long long now) {
    auto it = body.find("expires_at");
    if (it == body.end() || !it->value().is_string()) {
        errors.add("expires_at", "required", "the last day the token works, as YYYY-MM-DD (at most a year ahead)");
        return 0;
    }
    std::string d(it->value().as_string());
    if (!valid_date(d)) {
        errors.add("expires_at", "invalid_date", "a date as YYYY-MM-DD");
        return 0;
    }
    int y = std::stoi(d.substr(0, 4)), m = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
    // days_from_civil (Howard Hinnant)
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400, doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    long long ends = (days + 1) * 86400 - 9 * 3600;  // midnight in Korea after that day
    if (ends <= now) errors.add("expires_at", "in_the_past", "a day after today");
    else if (ends > now + 366 * 86400) errors.add("expires_at", "too_far", "at most a year ahead");
    return ends;
}
const char* kAccountSearchSchema = R"({"type":"object","additionalProperties":false,
 "properties":{"q":{"type":"string","description":"a full e-mail address or mobile number"},
 "page":{"type":"integer","minimum":1},"district_id":{"type":"integer"}}})";
const char* kLookupSchema = R"({"type":"object","additionalProperties":false,"required":["phone"],
 "properties":{"phone":{"type":"string","example":"010-1234-5678"}}})";
const char* kPersonSchema = R"({"type":"object","additionalProperties":false,"required":["name","dong_id"],
 "properties":{"name":{"type":"string"},"phone":{"type":"string"},"birth_date":{"type":"string","format":"date"},
 "address":{"type":"string"},"rrn":{"type":"string"},"dong_id":{"type":"integer"}}})";

}  // namespace

std::string idempotency_key(const Request& req, const std::string& caller) {
    auto k = req.header("idempotency-key");
    if (!k) return {};
    bool printable = std::all_of(k->begin(), k->end(), [](char ch) { return ch > 0x20 && ch < 0x7F; });
    if (k->empty() || k->size() > 100 || !printable)
        throw Error(ErrorKind::validation, "the Idempotency-Key header is malformed",
                    {{"Idempotency-Key", "invalid_idempotency_key", "1 to 100 visible ASCII characters"}});
    return token_hash(caller + "\x1f" + *k);
}

std::string request_hash(const Request& req) { return token_hash(req.body); }

std::string access_reason(const Request& req, const char* fallback) {
    auto h = req.header("x-access-reason");
    if (!h && fallback) return fallback;
    std::string reason = h.value_or("");
    auto b = reason.find_first_not_of(" \t");
    auto e = reason.find_last_not_of(" \t");
    reason = b == std::string::npos ? "" : reason.substr(b, e - b + 1);
    auto n = utf8_length(reason);
    if (n < 2 || n > 200 || http::has_control_chars(reason))
        throw Error(ErrorKind::validation, "say why you open this record (X-Access-Reason header)",
                    {{"X-Access-Reason", "required", "2 to 200 characters saying why this record is opened"}});
    return reason;
}

void log_access(IdentityService& svc, const Principal& who, const Request& req, long long district_id,
                std::string_view kind, long long subject_id, std::string_view action, std::string_view fields,
                const std::string& reason) {
    AccessEntry e;
    e.at = store::now_unix();
    e.actor_account_id = who.account_id;
    e.district_id = district_id;
    e.subject_kind = kind;
    e.subject_id = subject_id;
    e.action = action;
    e.fields = fields;
    e.reason = reason;
    e.request_id = req.request_id;
    svc.store().append_access(e);
}

const char* session_cookie_name(bool secure) { return secure ? "__Host-dure_session" : "dure_session"; }

std::optional<std::string> session_cookie_of(const Request& req) { return req.cookie(session_cookie_name(req.secure)); }

std::string clear_session_cookie(bool secure) { return session_cookie("", 0, secure); }
std::string clear_signed_in_marker(bool secure) { return signed_in_marker(0, secure); }

Principal principal_of(IdentityService& svc, const Request& req) {
    Credentials c;
    c.session_cookie = session_cookie_of(req);
    if (auto a = req.header("authorization"); a && a->size() > 7 && a->substr(0, 7) == "Bearer ")
        c.bearer = a->substr(7);
    c.csrf_header = req.header("x-csrf-token");
    c.unsafe_method = req.method != "GET" && req.method != "HEAD" && req.method != "OPTIONS";
    return svc.authenticate(c, store::now_unix());
}

void register_routes(http::Router& router, IdentityService& svc) {
    auto& st = svc.store();

    router.add({"GET", "/api/v1/districts",
                [&st](Request&) {
                    json::array out;
                    for (const auto& d : st.districts()) {
                        json::array dongs;
                        for (const auto& g : d.dongs)
                            dongs.push_back(
                                {{"id", g.id}, {"code", g.code}, {"name_ko", g.name_ko}, {"name_en", g.name_en}});
                        out.push_back(json::object{{"id", d.id},
                                                   {"code", d.code},
                                                   {"name_ko", d.name_ko},
                                                   {"name_en", d.name_en},
                                                   {"dongs", std::move(dongs)}});
                    }
                    return http::json_response(200, out);
                },
                "Districts and their dongs", "identity"});

    // What the site shows about the district that runs it: name (from the districts table: the one
    // DURE_SITE_DISTRICT names by code, else the first), emblem, the office in the footer and the
    // privacy officer of the privacy policy, from DURE_SITE_* settings (absent ones are null).
    router.add({"GET", "/api/v1/site",
                [&st](Request&) {
                    auto env = [](const char* name) -> json::value {
                        const char* v = std::getenv(name);
                        if (!v || !*v) return nullptr;
                        return json::value(std::string(v));
                    };
                    json::value district = nullptr;
                    const char* want = std::getenv("DURE_SITE_DISTRICT");
                    for (const auto& d : st.districts()) {
                        if (want && *want && d.code != want) continue;
                        district = json::object{{"id", d.id}, {"code", d.code}, {"name_ko", d.name_ko}, {"name_en", d.name_en}};
                        break;
                    }
                    json::object office{{"name", env("DURE_SITE_OFFICE")},         {"address", env("DURE_SITE_ADDRESS")},
                                        {"phone", env("DURE_SITE_PHONE")},         {"hours", env("DURE_SITE_HOURS")},
                                        {"email", env("DURE_SITE_EMAIL")}};
                    json::object officer{{"name", env("DURE_SITE_PRIVACY_OFFICER")},
                                         {"phone", env("DURE_SITE_PRIVACY_PHONE")},
                                         {"email", env("DURE_SITE_PRIVACY_EMAIL")}};
                    auto r = http::json_response(200, json::object{{"district", std::move(district)},
                                                                    {"emblem", env("DURE_SITE_EMBLEM")},
                                                                    {"office", std::move(office)},
                                                                    {"privacy_officer", std::move(officer)}});
                    r.set_header("Cache-Control", "public, max-age=300");
                    return r;
                },
                "The district running this site: name, emblem, office contact, privacy officer (DURE_SITE_*)", "identity"});

    router.add({"GET", "/api/v1/organizations",
                [&st](Request& req) {
                    auto d = req.query_param("district_id");
                    if (!d || d->empty() || d->size() > 18 || d->find_first_not_of("0123456789") != std::string::npos)
                        throw Error(ErrorKind::validation, "say which district",
                                    {{"district_id", "required", "the district's id, an integer"}});
                    json::array out;
                    for (const auto& o : st.organizations(std::stoll(*d))) {
                        json::object j{{"id", o.id}, {"district_id", o.district_id}, {"kind", o.kind}, {"name", o.name}};
                        j["dong_id"] = o.dong_id ? json::value(o.dong_id) : json::value(nullptr);
                        out.push_back(std::move(j));
                    }
                    return http::json_response(200, out);
                },
                "Organizations of a district (welfare centres, facilities) that roles can be scoped to", "identity"});

    router.add({"GET", "/api/v1/roles",
                [](Request&) {
                    json::array out;
                    for (const auto& r : all_roles()) {
                        json::array kinds;
                        for (auto k : r.scope_kinds) kinds.push_back(json::string(to_string(k)));
                        out.push_back(json::object{{"role", r.code},
                                                   {"name_ko", r.name_ko},
                                                   {"name_en", r.name_en},
                                                   {"scope_kinds", std::move(kinds)}});
                    }
                    return http::json_response(200, out);
                },
                "Roles and the scopes they can be granted at", "identity", true});

    http::Route signup_route{"POST", "/api/v1/auth/signup",
                [&svc](Request& req) {
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"email", "phone", "password", "name", "district_id", "consents"});
                    SignupInput in;
                    in.email = r.string("email", false, 254).value_or("");
                    in.phone = r.string("phone", false, 30).value_or("");
                    in.name = r.string("name", true, 50).value_or("");
                    auto pw = body.find("password");
                    if (pw == body.end() || !pw->value().is_string() || pw->value().as_string().empty())
                        errors.add("password", "required", "this field is required");
                    else
                        in.password = std::string(pw->value().as_string());
                    in.district_id = r.integer("district_id", false, 1, (1LL << 53)).value_or(0);
                    // The consents ticked (the web always sends them): the required ones in their
                    // current version, checked with the other fields, recorded with the account.
                    std::vector<ConsentGiven> consents;
                    bool stated = false;
                    if (auto c = body.find("consents"); c != body.end()) {
                        stated = true;
                        consents = read_consents(c->value(), errors);
                        if (!errors.has("consents")) check_signup_consents(ConsentCatalog::embedded(), consents, errors);
                    }
                    long long now = store::now_unix();
                    auto s = svc.signup(in, now, errors);
                    if (stated) record_signup_consents(s.account.id, consents, now);
                    return session_response(201, s, req, svc.options().session_ttl);
                },
                "Create a resident account and log in (throttled per client address)", "auth", false, kSignupSchema, 201};
    signup_route.hashes_password = true;
    signup_route.admit = [&svc](Request& req) { svc.admit_signup(req.remote_addr); };
    router.add(std::move(signup_route));

    http::Route login_route{"POST", "/api/v1/auth/login",
                [&svc](Request& req) {
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"login", "password"});
                    auto login = r.string("login", true, 254);
                    auto pw = body.find("password");
                    if (pw == body.end() || !pw->value().is_string() || pw->value().as_string().empty())
                        errors.add("password", "required", "this field is required");
                    errors.throw_if_any();
                    std::string password(pw->value().as_string());
                    if (password.size() > 1024) throw Error(ErrorKind::unauthorized, "the login or password is wrong");
                    auto s = svc.login(*login, password, req.remote_addr, store::now_unix());
                    return session_response(200, s, req, svc.options().session_ttl);
                },
                "Log in with an e-mail or mobile number and password (failures throttled per client address and "
                "per login at that address; no account lockout)", "auth", false, kLoginSchema};
    login_route.hashes_password = true;
    login_route.admit = [&svc](Request& req) { svc.admit_login(req.remote_addr); };
    router.add(std::move(login_route));

    router.add({"POST", "/api/v1/auth/logout",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    if (auto c = session_cookie_of(req)) svc.logout(*c);
                    Response r;
                    r.status = 204;
                    r.set_header("Set-Cookie", session_cookie("", 0, req.secure));
                    r.set_header("Set-Cookie", signed_in_marker(0, req.secure));
                    return r;
                },
                "End the session", "auth", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})", 204});

    router.add({"GET", "/api/v1/me",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    auto acc = svc.store().account(p.account_id);
                    if (!acc) throw Error(ErrorKind::unauthorized, "the account no longer exists");
                    auto o = account_json(*acc);
                    o["csrf_token"] = p.csrf_token.empty() ? json::value(nullptr) : json::value(p.csrf_token);
                    o["via_api_token"] = p.via_api_token;
                    return http::json_response(200, o);
                },
                "The logged-in account, its roles and CSRF token", "auth"});

    // The accounts of a district, optionally the one with an exact e-mail or mobile number.
    auto list_accounts = [&svc](const Request& req, const Principal& p, long long district, int page, const std::string& q) {
        require(p, Action::read_accounts, {district});
        std::string login;
        if (!q.empty()) {
            login = q.find('@') != std::string::npos ? normalize_email(q) : normalize_phone(q);
            if (login.empty())
                throw Error(ErrorKind::validation, "search by a full e-mail address or mobile number",
                            {{"q", "invalid_login", "a full e-mail address or mobile number"}});
        }
        long long total = 0;
        auto list = svc.store().accounts(district, login, (page - 1) * kPageSize, kPageSize, total);
        json::array items;
        for (const auto& a : list) {
            items.push_back(account_json(a));
            log_access(svc, p, req, district, "account", a.id, "list", "name,email,phone,roles", "role administration");
        }
        return http::json_response(200, json::object{{"items", std::move(items)},
                                                     {"total", total},
                                                     {"page", page},
                                                     {"page_size", kPageSize}});
    };

    router.add({"GET", "/api/v1/admin/accounts",
                [&svc, list_accounts](Request& req) {
                    if (req.query_param("q")) refuse_in_url("q", "POST /api/v1/admin/accounts/search");
                    auto p = require_login(svc, req);
                    return list_accounts(req, p, district_param(req, p), parse_page(req), "");
                },
                "Accounts of a district with their roles (district_admin); a search by e-mail or mobile number "
                "is POST /api/v1/admin/accounts/search (?q= is refused)",
                "admin"});

    router.add({"POST", "/api/v1/admin/accounts/search",
                [&svc, list_accounts](Request& req) {
                    auto p = require_login(svc, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"q", "page", "district_id"});
                    auto q = r.string("q", false, 254).value_or("");
                    int page = static_cast<int>(r.integer("page", false, 1, 999999).value_or(1));
                    long long district = r.integer("district_id", false, 1, (1LL << 53)).value_or(p.district_id);
                    errors.throw_if_any();
                    return list_accounts(req, p, district, page, q);
                },
                "Find an account by exact e-mail or mobile number in the body (district_admin; logged)", "admin",
                false, kAccountSearchSchema});

    router.add({"POST", "/api/v1/admin/accounts/{id}/roles",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long id = parse_id(req.param("id"), "account");
                    auto acc = svc.store().account(id);
                    // Authorize against the caller's district first so outsiders learn nothing.
                    require(p, Action::manage_roles, {acc ? acc->district_id : p.district_id});
                    if (!acc) throw Error(ErrorKind::not_found, "no such account");
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"role", "scope_kind", "scope_id"});
                    auto role_s = r.string("role", true, 40);
                    auto kind_s = r.string("scope_kind", true, 20);
                    auto scope_id = r.integer("scope_id", true, 1, (1LL << 53));
                    auto role = role_s ? parse_role(*role_s) : std::nullopt;
                    auto kind = kind_s ? parse_scope_kind(*kind_s) : std::nullopt;
                    if (role_s && !role) errors.add("role", "unknown_role", "no such role");
                    if (kind_s && !kind) errors.add("scope_kind", "unknown_scope_kind", "district, dong or organization");
                    if (role && kind) {
                        const auto& info = *std::find_if(all_roles().begin(), all_roles().end(),
                                                         [&](const RoleInfo& i) { return i.role == *role; });
                        if (std::find(info.scope_kinds.begin(), info.scope_kinds.end(), *kind) == info.scope_kinds.end())
                            errors.add("scope_kind", "scope_not_allowed", "this role cannot be granted at that scope");
                    }
                    if (kind && scope_id) {
                        long long owner = *kind == ScopeKind::district ? (svc.store().district_exists(*scope_id) ? *scope_id : 0)
                                          : *kind == ScopeKind::dong   ? svc.store().district_of_dong(*scope_id)
                                                                       : svc.store().district_of_organization(*scope_id);
                        if (owner != acc->district_id)
                            errors.add("scope_id", "scope_outside_district", "the scope must be in the account's district");
                    }
                    errors.throw_if_any();
                    long long gid = svc.store().add_grant(id, *role, *kind, *scope_id, acc->district_id, p.account_id);
                    auto g = svc.store().grant(gid);
                    return http::json_response(201, grant_json(*g));
                },
                "Grant a role to an account (district_admin)", "admin", false, kGrantSchema, 201});

    router.add({"DELETE", "/api/v1/admin/accounts/{id}/roles/{grant_id}",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long id = parse_id(req.param("id"), "account");
                    long long gid = parse_id(req.param("grant_id"), "grant");
                    auto acc = svc.store().account(id);
                    require(p, Action::manage_roles, {acc ? acc->district_id : p.district_id});
                    if (!acc) throw Error(ErrorKind::not_found, "no such account");
                    auto g = svc.store().grant(gid);
                    if (g && id == p.account_id && g->role == Role::district_admin)
                        throw Error(ErrorKind::conflict, "you cannot remove your own administrator role");
                    if (!svc.store().revoke_grant(id, gid, p.account_id))
                        throw Error(ErrorKind::not_found, "no such active grant on this account");
                    Response r;
                    r.status = 204;
                    return r;
                },
                "Revoke a role grant (district_admin)", "admin", false, "", 204});

    router.add({"GET", "/api/v1/admin/api-tokens",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long district = district_param(req, p);
                    require(p, Action::manage_api_tokens, {district});
                    json::array items;
                    for (const auto& t : svc.store().api_tokens(district)) items.push_back(token_json(t));
                    return http::json_response(200, json::object{{"items", std::move(items)}});
                },
                "Partner API tokens of a district: service account, scopes, expiry and last use (never their "
                "secrets)", "admin"});

    router.add({"POST", "/api/v1/admin/api-tokens",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    require(p, Action::manage_api_tokens, {p.district_id});
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    // No account_id: a token acts as a new partner service account, never as a person.
                    r.allow_only({"name", "scopes", "expires_at"});
                    auto name = r.string("name", true, 100);
                    std::string scopes = token_scopes_param(body, errors);
                    long long expires_at = token_expiry_param(body, errors, store::now_unix());
                    errors.throw_if_any();
                    long long account = svc.store().create_service_account(p.district_id, *name);
                    std::string token = "dure_" + random_token(32);
                    long long id = svc.store().create_api_token(token_hash(token), *name, account, p.district_id,
                                                                p.account_id, scopes, expires_at);
                    auto o = token_json(*svc.store().api_token(id, p.district_id));
                    o["token"] = token;
                    return http::json_response(201, o);
                },
                "Issue a partner API token for a new service account, scoped and expiring (the secret is shown "
                "once)", "admin", false, kTokenSchema, 201});

    router.add({"POST", "/api/v1/admin/api-tokens/{id}/rotate",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    require(p, Action::manage_api_tokens, {p.district_id});
                    long long id = parse_id(req.param("id"), "token");
                    auto body = req.body.empty() ? json::object{} : http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"grace_seconds", "expires_at"});
                    long long grace = r.integer("grace_seconds", false, 0, 7 * 86400).value_or(0);
                    long long now = store::now_unix();
                    auto old = svc.store().api_token(id, p.district_id);
                    if (!old || (old->revoked_at && old->revoked_at <= now) || old->expires_at <= now)
                        throw Error(ErrorKind::not_found, "no such active token");
                    long long expires_at = body.contains("expires_at") ? token_expiry_param(body, errors, now)
                                                                       : old->expires_at;
                    errors.throw_if_any();
                    std::string token = "dure_" + random_token(32);
                    long long nid = svc.store().create_api_token(token_hash(token), old->name, old->account_id,
                                                                 p.district_id, p.account_id, old->scopes, expires_at,
                                                                 old->id);
                    svc.store().revoke_api_token(old->id, p.district_id, now + grace);
                    auto o = token_json(*svc.store().api_token(nid, p.district_id));
                    o["token"] = token;
                    o["previous"] = json::object{{"id", old->id}, {"revoked_at", now + grace}};
                    return http::json_response(201, o);
                },
                "Rotate a partner API token: a new secret for the same service account; the old one stops now "
                "or after grace_seconds (at most 7 days)", "admin", false, kRotateSchema, 201});

    router.add({"DELETE", "/api/v1/admin/api-tokens/{id}",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    require(p, Action::manage_api_tokens, {p.district_id});
                    long long id = parse_id(req.param("id"), "token");
                    if (!svc.store().revoke_api_token(id, p.district_id)) throw Error(ErrorKind::not_found, "no such token");
                    Response r;
                    r.status = 204;
                    return r;
                },
                "Revoke a partner API token", "admin", false, "", 204});

    router.add({"GET", "/api/v1/admin/access-log",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long district = district_param(req, p);
                    require(p, Action::read_access_log, {district});
                    int page = parse_page(req);
                    std::string kind;
                    long long subject = 0;
                    if (auto pid = req.query_param("person_id")) {
                        kind = "person";
                        if (pid->empty() || pid->size() > 18 || pid->find_first_not_of("0123456789") != std::string::npos)
                            throw Error(ErrorKind::validation, "person_id must be an integer",
                                        {{"person_id", "not_an_integer", "an integer"}});
                        subject = std::stoll(*pid);
                    }
                    long long total = 0;
                    json::array items;
                    for (const auto& e : svc.store().access_log(district, kind, subject, (page - 1) * 50, 50, total))
                        items.push_back(json::object{{"id", e.id}, {"at", e.at}, {"actor_account_id", e.actor_account_id},
                                                     {"subject_kind", e.subject_kind}, {"subject_id", e.subject_id},
                                                     {"action", e.action}, {"fields", e.fields}, {"reason", e.reason},
                                                     {"request_id", e.request_id}});
                    return http::json_response(200, json::object{{"items", std::move(items)}, {"total", total},
                                                                 {"page", page}, {"page_size", 50}});
                },
                "Who read or changed whose record, newest first", "admin"});

    router.add({"POST", "/api/v1/persons",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"name", "phone", "birth_date", "address", "rrn", "dong_id"});
                    NewPerson np;
                    np.name = r.string("name", true, 50).value_or("");
                    std::string phone = r.string("phone", false, 30).value_or("");
                    np.birth_date = r.string("birth_date", false, 10).value_or("");
                    np.address = r.string("address", false, 200).value_or("");
                    std::string rrn = r.string("rrn", false, 14).value_or("");
                    np.dong_id = r.integer("dong_id", true, 1, (1LL << 53)).value_or(0);
                    if (!phone.empty()) {
                        np.phone = normalize_phone(phone);
                        if (np.phone.empty()) errors.add("phone", "invalid_phone", "not a Korean mobile number");
                    }
                    if (!np.birth_date.empty() && !valid_date(np.birth_date))
                        errors.add("birth_date", "invalid_date", "a date as YYYY-MM-DD");
                    if (!rrn.empty()) {
                        std::string digits;
                        for (char c : rrn)
                            if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
                            else if (c != '-') digits = "x";
                        if (digits.size() != 13) errors.add("rrn", "invalid_rrn", "13 digits as 000000-0000000");
                        else np.rrn = digits.substr(0, 6) + "-" + digits.substr(6);
                    }
                    np.district_id = np.dong_id ? svc.store().district_of_dong(np.dong_id) : 0;
                    if (np.dong_id && !np.district_id) errors.add("dong_id", "unknown_dong", "no such dong");
                    errors.throw_if_any();
                    require(p, Action::create_person, {np.district_id, np.dong_id});
                    np.created_by = p.account_id;
                    long long id = svc.store().create_person(np);
                    log_access(svc, p, req, np.district_id, "person", id, "create", "name,phone,birth_date,address,rrn",
                               "registered");
                    return http::json_response(201, json::object{{"id", id}});
                },
                "Register a person's record (personal fields are encrypted)", "persons", false, kPersonSchema, 201});

    router.add({"GET", "/api/v1/persons/{id}",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long id = parse_id(req.param("id"), "person");
                    auto person = svc.store().person(id);
                    // Same answer for "missing", "another district's" and "not yours", so ids cannot be probed.
                    require_record(p, Action::read_person,
                                   person ? std::optional<Target>(Target{person->district_id, person->dong_id}) : std::nullopt,
                                   "person");
                    std::string reason = access_reason(req);
                    log_access(svc, p, req, person->district_id, "person", id, "read", kPersonFields, reason);
                    Response r = http::json_response(200, person_json(*person));
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "Read a person's record, the resident registration number masked (X-Access-Reason required; logged)",
                "persons"});

    router.add({"POST", "/api/v1/persons/{id}/rrn",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    long long id = parse_id(req.param("id"), "person");
                    auto person = svc.store().person(id);
                    require_record(p, Action::reveal_rrn,
                                   person ? std::optional<Target>(Target{person->district_id, person->dong_id}) : std::nullopt,
                                   "person");
                    std::string reason = access_reason(req);
                    log_access(svc, p, req, person->district_id, "person", id, "reveal", "rrn", reason);
                    Response r = http::json_response(
                        200, json::object{{"id", id}, {"rrn", person->rrn.empty() ? json::value(nullptr) : json::value(person->rrn)}});
                    r.set_header("Cache-Control", "no-store");
                    return r;
                },
                "Reveal a person's full resident registration number (caseworkers of its dong; X-Access-Reason "
                "required; logged as a reveal)",
                "persons", false, R"({"type":"object","description":"no fields","maxProperties":0,"x-body-optional":true})"});

    router.add({"GET", "/api/v1/persons",
                [](Request&) -> Response { refuse_in_url("phone", "POST /api/v1/persons/lookup"); },
                "Refused: look a person up with POST /api/v1/persons/lookup (a phone number in the URL would be logged)",
                "persons", true});

    router.add({"POST", "/api/v1/persons/lookup",
                [&svc](Request& req) {
                    auto p = require_login(svc, req);
                    if (!may_ever(p, Action::read_person))
                        require(p, Action::read_person, {p.district_id, 0});  // throws with the reason
                    auto body = http::parse_json_object(req);
                    FieldErrors errors;
                    http::BodyReader r(body, errors);
                    r.allow_only({"phone"});
                    auto phone_in = r.string("phone", true, 30);
                    std::string phone = phone_in ? normalize_phone(*phone_in) : "";
                    if (phone_in && phone.empty()) errors.add("phone", "invalid_phone", "a Korean mobile number");
                    errors.throw_if_any();
                    std::string reason = access_reason(req);
                    json::array items;
                    for (const auto& person : svc.store().persons_by_phone(p.district_id, phone)) {
                        if (!authorize(p, Action::read_person, {person.district_id, person.dong_id}).allowed) continue;
                        log_access(svc, p, req, person.district_id, "person", person.id, "lookup", kPersonFields, reason);
                        items.push_back(person_json(person));
                    }
                    Response out = http::json_response(200, json::object{{"items", std::move(items)}});
                    out.set_header("Cache-Control", "no-store");
                    return out;
                },
                "Find persons by mobile number, sent in the body (blind index; X-Access-Reason required; logged)",
                "persons", false, kLookupSchema});
    // Writes a client may retry with an Idempotency-Key (src/app/idempotent.hpp).
    for (const auto& [method, path] : std::initializer_list<std::pair<const char*, const char*>>{
             {"POST", "/api/v1/persons"},
             {"POST", "/api/v1/admin/accounts/{id}/roles"},
         })
        router.mark_idempotent(method, path);
}

}  // namespace dure::identity
