#pragma once
// HTTP routes of help matching (docs/sharing.md "API").
#include <functional>

#include "http/router.hpp"
#include "sharing/notices.hpp"

namespace dure::identity {
class IdentityService;
class Keyring;
}  // namespace dure::identity

namespace dure::sharing {

class SharingStore;

void register_routes(http::Router& router, SharingStore& store, identity::IdentityService& ids,
                     const identity::Keyring& keys, std::function<long long()> default_district,
                     Channels channels = {});

}  // namespace dure::sharing
