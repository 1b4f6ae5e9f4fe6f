#pragma once
// Outreach in the demo district: the demo gatekeeper accounts entered in the registry with a few
// gatekeepers without logins, and a handful of reports from every channel (two of them about the
// same household), so the triage queue has something to show. Runs once per database.
#include "identity/crypto.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::outreach {

// Does nothing when the demo district is missing or already has reports. Returns the number of
// reports filed.
int load_demo(store::Database& db, identity::IdentityStore& ids, const identity::Keyring& keys,
              long long now);

}  // namespace dure::outreach
