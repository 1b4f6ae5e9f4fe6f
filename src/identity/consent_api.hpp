#pragma once
// Consents and staff names over HTTP (issue 16), registered by the identity module:
// GET /api/v1/consents, GET /api/v1/me/consents, POST /api/v1/me/consents/{kind}/withdraw and
// GET /api/v1/staff/names. Sign-up (api.cpp) records its consents through record_signup_consents.
#include <vector>

#include "http/router.hpp"
#include "identity/consents.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::identity {

void register_consent_routes(http::Router& router, IdentityService& svc, store::Database& db, const Keyring& keys);

// Records the consents a sign-up gave, for the account just created. Runs in its own
// transaction right after the account's; if it fails, the new account (its session and resident
// grant) is removed again in one transaction and the error is rethrown, so no account exists
// without the consents it was created with. Needs register_consent_routes to have run.
void record_signup_consents(long long account_id, const std::vector<ConsentGiven>& consents, long long now);

}  // namespace dure::identity
