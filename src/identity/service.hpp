#pragma once
// Identity logic: sign-up, login with throttling, sessions, API tokens and who a
// request comes from. No HTTP types here; the api layer adapts requests to these calls.
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/error.hpp"
#include "common/rate_limit.hpp"
#include "identity/model.hpp"
#include "identity/store.hpp"

namespace dure::identity {

struct IdentityOptions {
    long long session_ttl = 8 * 3600;  // seconds a session lasts
    // Throttles (docs/architecture.md, "Login throttling"). No account is ever locked: a login is
    // refused only for the address (or the login typed at that address) that failed too often.
    RateLimit signup_per_address{10, 3600};  // sign-ups per client address
    RateLimit login_per_address{30, 300};    // failed logins per client address
    RateLimit login_per_login{5, 300};       // failed logins per login name and client address
};

struct SignupInput {
    std::string email, phone, password, name;
    long long district_id = 0;  // 0: the first district
};

// A new session: the cookie value is returned once and only its hash is stored.
struct SessionStart {
    Account account;
    std::string session_token;
    std::string csrf_token;
    long long expires_at = 0;
};

// How a request presented itself: the session cookie, a bearer token, its method and CSRF header.
struct Credentials {
    std::optional<std::string> session_cookie;
    std::optional<std::string> bearer;
    std::optional<std::string> csrf_header;
    bool unsafe_method = false;
};

// What a partner API token may be scoped to: the scope's code (stored with the token), the role
// whose rights in the token's district the scope gives, and what it is for. A token's rights are
// exactly its scopes: it never carries a person's grants.
struct TokenScope {
    const char* code;
    Role role;
    const char* description;
};
const std::vector<TokenScope>& token_scopes();

// Checks a password against the policy (length, common passwords, not the login itself).
void check_password(const std::string& password, const std::string& login, FieldErrors& errors);

class IdentityService {
public:
    IdentityService(IdentityStore& store, IdentityOptions opts) : store_(store), opts_(opts) {}

    // `errors` may already hold problems the caller found (e.g. wrong JSON types); all are
    // reported together.
    SessionStart signup(const SignupInput& in, long long now, FieldErrors errors = {});
    // Counts one sign-up attempt from `remote`; 429 with Retry-After beyond the limit. Cheap: the
    // server calls it before queueing the request for the password-hashing pool.
    void admit_signup(const std::string& remote);
    // Takes one failed-login token of `remote` (429 with Retry-After when none is left); login()
    // gives it back when the password is right. Also called before queueing for the hashing pool,
    // so one address cannot fill that queue.
    void admit_login(const std::string& remote);
    SessionStart login(const std::string& login, const std::string& password, const std::string& remote,
                       long long now);
    void logout(const std::string& session_token);

    // The caller of a request; anonymous when no valid credentials. Throws 403 (type "csrf")
    // when a cookie-authenticated unsafe request lacks the session's CSRF token, and 401 for
    // an invalid bearer token.
    Principal authenticate(const Credentials& c, long long now);

    const IdentityOptions& options() const { return opts_; }
    IdentityStore& store() { return store_; }

private:
    SessionStart start_session(long long account_id, long long now);

    IdentityStore& store_;
    IdentityOptions opts_;
    RateLimiter signups_{opts_.signup_per_address};
    RateLimiter login_addresses_{opts_.login_per_address};
    RateLimiter login_pairs_{opts_.login_per_login};
};

}  // namespace dure::identity
