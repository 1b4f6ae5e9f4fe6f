#pragma once
// HTTP routes of the identity module, and the helper every module's handlers use to learn who
// is calling.
#include "http/message.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::identity {

// The caller of `req` (anonymous if none); enforces CSRF on unsafe cookie requests.
Principal principal_of(IdentityService& svc, const http::Request& req);

// The session cookie's name. Over https (a trusted proxy says so) it carries the `__Host-` prefix, which
// browsers accept only with Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or
// overwrite it; the plain name is then ignored. Plain http (a developer's machine) uses the plain name.
const char* session_cookie_name(bool secure);
// The session cookie of this request, read under the name its scheme allows.
std::optional<std::string> session_cookie_of(const http::Request& req);
// Set-Cookie values that end the session and the signed-in marker.
std::string clear_session_cookie(bool secure);
std::string clear_signed_in_marker(bool secure);

// The one rule for the reason an official gives for opening a record (X-Access-Reason header):
// trimmed of spaces, 2 to 200 code points, no control characters. When the header is absent,
// `fallback` is returned if given (only for the staff member's own assigned work, see
// docs/privacy.md "Access log"); otherwise, and whenever the header is malformed, 422 naming it.
std::string access_reason(const http::Request& req, const char* fallback = nullptr);

// The one function that writes access-log rows (kind: "person", "case" …; action: "read",
// "lookup", "create", "list"): the real time, the caller (a person, or the service account of an
// API token), the request id. Throws when the row cannot be written, so no data leaves unlogged.
void log_access(IdentityService& svc, const Principal& who, const http::Request& req, long long district_id,
                std::string_view kind, long long subject_id, std::string_view action, std::string_view fields,
                const std::string& reason);

// The caller-scoped hash of the request's `Idempotency-Key` header ("" when absent; 422 naming
// the header when malformed: 1 to 100 visible ASCII characters). `caller` names who is calling
// (e.g. "account:12"), so one client's key never answers another's request. With
// `request_hash` (of the body) it feeds store::run_idempotent.
std::string idempotency_key(const http::Request& req, const std::string& caller);
std::string request_hash(const http::Request& req);

void register_routes(http::Router& router, IdentityService& svc);

}  // namespace dure::identity
