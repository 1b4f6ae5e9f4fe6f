#pragma once
// HTTP routes of residents' rights (열람·정정·삭제·처리정지, account deletion), the staff queue of
// requests, and the public retention table. docs/privacy.md.
#include "http/router.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::privacy {

void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids);

}  // namespace dure::privacy
