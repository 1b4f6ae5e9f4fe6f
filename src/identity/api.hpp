#pragma once
// HTTP routes of the identity module, and the helper every module's handlers use to learn who
// is calling.
#include "http/message.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::identity {

// The caller of `req` (anonymous if none); enforces CSRF on unsafe cookie requests.
Principal principal_of(IdentityService& svc, const http::Request& req);

// Writes a staff read of someone's record to the access log (kind: "person", "case" …).
void log_read(IdentityService& svc, const Principal& who, const http::Request& req, long long district_id,
              const std::string& kind, long long subject_id, const std::string& fields, const std::string& reason);

void register_routes(http::Router& router, IdentityService& svc);

}  // namespace dure::identity
