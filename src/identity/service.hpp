#pragma once
// Identity logic: sign-up, login with throttling and lockout, sessions, API tokens and who a
// request comes from. No HTTP types here; the api layer adapts requests to these calls.
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/error.hpp"
#include "identity/model.hpp"
#include "identity/store.hpp"

namespace dure::identity {

struct IdentityOptions {
    long long session_ttl = 8 * 3600;  // seconds a session lasts
    int max_failures = 5;              // wrong passwords before an account locks
    long long lock_seconds = 15 * 60;
    int ip_max_failures = 50;  // failed logins per address per window before 429
    long long ip_window = 5 * 60;
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
    // Per-address failure window; returns seconds to wait (0 if allowed).
    long long ip_blocked(const std::string& remote, long long now);
    void ip_failed(const std::string& remote, long long now);

    IdentityStore& store_;
    IdentityOptions opts_;
    std::mutex ip_mu_;
    std::unordered_map<std::string, std::deque<long long>> ip_failures_;
};

}  // namespace dure::identity
