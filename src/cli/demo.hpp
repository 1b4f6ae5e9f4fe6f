#pragma once
// The demo district: a plausible district with 16 dongs, a few organizations, one account per
// role and some persons, so a new user can try every screen. Running it again keeps the data
// and issues fresh passwords for the demo accounts.
#include <string>
#include <vector>

#include "identity/store.hpp"

namespace dure::cli {

struct DemoAccount {
    std::string role, login, password, name, scope_kind, scope_name;
    long long scope_id = 0;
    long long account_id = 0;
    long long district_id = 0;
};

// Creates (or refreshes) the demo district and returns its accounts with their new passwords;
// with `second_district`, also a second district (누리구) with its own dongs, staff and persons,
// whose accounts come after the first district's.
std::vector<DemoAccount> load_demo(identity::IdentityStore& store, bool second_district = false);

// The accounts as the JSON array written by `dure demo --accounts-out`.
std::string demo_accounts_json(const std::vector<DemoAccount>& accounts);

}  // namespace dure::cli
