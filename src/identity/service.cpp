#include "identity/service.hpp"

#include <algorithm>

#include "common/embedded.hpp"
#include "common/text.hpp"
#include "identity/crypto.hpp"

namespace dure::identity {

namespace {

const std::unordered_set<std::string>& common_passwords() {
    static const std::unordered_set<std::string> kSet = [] {
        std::unordered_set<std::string> s;
        auto text = embedded::find("data/common-passwords.txt").value_or("");
        std::size_t pos = 0;
        while (pos < text.size()) {
            auto nl = text.find('\n', pos);
            auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
            pos = nl == std::string_view::npos ? text.size() : nl + 1;
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
            if (!line.empty() && line[0] != '#') s.emplace(line);
        }
        return s;
    }();
    return kSet;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A hash to verify against when the login is unknown, so timing does not reveal accounts.
const std::string& dummy_hash() {
    static const std::string kHash = hash_password("dure-dummy-password-for-timing");
    return kHash;
}

}  // namespace

void check_password(const std::string& password, const std::string& login, FieldErrors& errors) {
    auto n = utf8_length(password);
    if (n < 10) {
        errors.add("password", "too_short", "use at least 10 characters");
        return;
    }
    if (n > 128) {
        errors.add("password", "too_long", "use at most 128 characters");
        return;
    }
    std::string l = lower(password);
    if (common_passwords().count(l)) {
        errors.add("password", "too_common", "this password is on a list of common passwords; choose another");
        return;
    }
    bool all_same = std::all_of(l.begin(), l.end(), [&](char c) { return c == l[0]; });
    if (all_same) {
        errors.add("password", "too_common", "a password of one repeated character is too easy to guess");
        return;
    }
    if (!login.empty()) {
        std::string local = lower(login.substr(0, login.find('@')));
        if (l == lower(login) || (local.size() >= 4 && l.find(local) != std::string::npos))
            errors.add("password", "contains_login", "the password may not contain your login");
    }
}

SessionStart IdentityService::signup(const SignupInput& in, long long now, FieldErrors errors) {
    std::string email, phone;
    if (in.email.empty() && in.phone.empty() && !errors.has("email") && !errors.has("phone")) {
        errors.add("email", "required", "give an e-mail address or a mobile number");
    }
    if (!in.email.empty() && !in.phone.empty())
        errors.add("phone", "one_login", "give either an e-mail address or a mobile number, not both");
    if (!in.email.empty()) {
        email = normalize_email(in.email);
        if (email.empty()) errors.add("email", "invalid_email", "not a valid e-mail address");
    }
    if (!in.phone.empty()) {
        phone = normalize_phone(in.phone);
        if (phone.empty()) errors.add("phone", "invalid_phone", "not a Korean mobile number (010-1234-5678)");
    }
    if (in.name.empty() && !errors.has("name")) errors.add("name", "required", "this field is required");
    if (!errors.has("password")) check_password(in.password, email.empty() ? phone : email, errors);
    long long district_id = in.district_id;
    if (district_id == 0) {
        auto ds = store_.districts();
        if (ds.empty()) throw Error(ErrorKind::unavailable, "no district is set up yet");
        district_id = ds.front().id;
    } else if (!store_.district_exists(district_id)) {
        errors.add("district_id", "unknown_district", "no such district");
    }
    errors.throw_if_any();
    auto hash = hash_password(in.password);
    long long id = store_.create_account(district_id, email, phone, in.name, hash);
    return start_session(id, now);
}

void IdentityService::admit_signup(const std::string& remote) {
    if (long long wait = signups_.hit("addr:" + remote, steady_seconds()))
        throw Error(ErrorKind::too_many_requests, "too many sign-ups from this address; try again later")
            .with_type("too-many-signups")
            .with_retry_after(static_cast<int>(wait));
}

namespace {
Error login_throttled(long long wait) {
    return Error(ErrorKind::too_many_requests, "too many failed logins from here; try again later")
        .with_type("too-many-logins")
        .with_retry_after(static_cast<int>(wait));
}
}  // namespace

void IdentityService::admit_login(const std::string& remote) {
    if (long long wait = login_addresses_.hit("addr:" + remote, steady_seconds())) throw login_throttled(wait);
}

// The same steps, the same answer and the same time whether or not the login exists: the
// throttle keys are what was typed and where from, one password hash is always verified, and a
// wrong password changes nothing in the database (there is no per-account lockout anyone could
// trigger from elsewhere).
SessionStart IdentityService::login(const std::string& login_in, const std::string& password,
                                    const std::string& remote, long long now) {
    std::string login = login_in.find('@') != std::string::npos ? normalize_email(login_in) : normalize_phone(login_in);
    std::string typed = login.empty() ? lower(login_in) : login;
    const std::string addr_key = "addr:" + remote, pair_key = "login:" + typed + "\n" + remote;
    double t = steady_seconds();
    // Each attempt takes a token up front (so parallel guesses cannot all slip through) and a
    // right password gives it back: only failures count. The address token was taken by
    // admit_login() before the request waited for the hashing pool.
    if (long long wait = login_pairs_.hit(pair_key, t)) {
        login_addresses_.refund(addr_key, t);
        throw login_throttled(wait);
    }
    auto rec = login.empty() ? std::nullopt : store_.find_login(login);
    bool ok = rec && !rec->disabled ? verify_password(rec->password_hash, password)
                                    : (verify_password(dummy_hash(), password), false);
    if (!ok) throw Error(ErrorKind::unauthorized, "the login or password is wrong").with_type("login-failed");
    login_addresses_.refund(addr_key, t);
    login_pairs_.refund(pair_key, t);
    store_.record_successful_login(rec->account_id);
    return start_session(rec->account_id, now);
}

void IdentityService::logout(const std::string& session_token) { store_.delete_session(token_hash(session_token)); }

SessionStart IdentityService::start_session(long long account_id, long long now) {
    SessionStart s;
    s.session_token = random_token(32);
    s.csrf_token = random_token(24);
    s.expires_at = now + opts_.session_ttl;
    store_.create_session(token_hash(s.session_token), account_id, s.csrf_token, s.expires_at);
    auto acc = store_.account(account_id);
    if (!acc) throw Error(ErrorKind::internal, "account vanished");
    s.account = std::move(*acc);
    return s;
}

const std::vector<TokenScope>& token_scopes() {
    static const std::vector<TokenScope> kScopes = {
        {"file_report", Role::gatekeeper, "file reports of households in crisis (POST /api/v1/outreach/partner/reports)"},
    };
    return kScopes;
}

Principal IdentityService::authenticate(const Credentials& c, long long now) {
    Principal p;
    if (c.bearer) {
        if (c.bearer->size() > 200) throw Error(ErrorKind::unauthorized, "the API token is unknown, revoked or expired");
        auto t = store_.token_by_hash(token_hash(*c.bearer), now);
        if (!t) throw Error(ErrorKind::unauthorized, "the API token is unknown, revoked or expired");
        store_.touch_api_token(*t, now);
        // The partner's service account, with the rights of the token's scopes only.
        p.account_id = t->account_id;
        p.district_id = t->district_id;
        std::string scopes = t->scopes + ",";
        for (std::size_t b = 0, e; (e = scopes.find(',', b)) != std::string::npos; b = e + 1) {
            auto code = scopes.substr(b, e - b);
            for (const auto& s : token_scopes())
                if (code == s.code) {
                    Grant g;
                    g.role = s.role;
                    g.scope_kind = ScopeKind::district;
                    g.scope_id = t->district_id;
                    g.district_id = t->district_id;
                    g.scope_name = code;
                    p.grants.push_back(g);
                }
        }
        p.via_api_token = true;
        return p;
    }
    if (!c.session_cookie || c.session_cookie->empty() || c.session_cookie->size() > 200) return p;
    auto s = store_.find_session(token_hash(*c.session_cookie));
    if (!s || s->expires_at <= now) return p;
    if (c.unsafe_method && (!c.csrf_header || !secure_equals(*c.csrf_header, s->csrf_token)))
        throw Error(ErrorKind::forbidden, "send the session's CSRF token in the X-CSRF-Token header")
            .with_type("csrf");
    auto acc = store_.account(s->account_id);
    if (!acc) return p;
    p.account_id = acc->id;
    p.district_id = acc->district_id;
    p.grants = std::move(acc->grants);
    p.csrf_token = s->csrf_token;
    return p;
}

}  // namespace dure::identity
