#pragma once
// HTTP routes of online applications: forms (public), the resident's own applications (drafts,
// documents, submission, status), the staff queue (review, documents, decision, on-behalf
// applications) and the hand-over page data of national programs applied for elsewhere.
#include <functional>

#include "applications/store.hpp"
#include "http/router.hpp"

namespace dure::identity {
class IdentityService;
class IdentityStore;
}  // namespace dure::identity

namespace dure::applications {

struct Api {
    ApplicationStore& store;
    identity::IdentityService& ids;
    identity::IdentityStore& accounts;
    long long file_max = kDefaultFileMax;
};

void register_routes(http::Router& router, const Api& api);

}  // namespace dure::applications
