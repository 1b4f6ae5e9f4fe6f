#pragma once
// HTTP routes of the identity module, and the helper every module's handlers use to learn who
// is calling.
#include "http/message.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::identity {

// The caller of `req` (anonymous if none); enforces CSRF on unsafe cookie requests.
Principal principal_of(IdentityService& svc, const http::Request& req);

void register_routes(http::Router& router, IdentityService& svc);

}  // namespace dure::identity
