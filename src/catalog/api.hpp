#pragma once
// HTTP routes of the catalogue: search and read services and facilities, and the officials'
// editing routes (create, edit, verify, retire, history, freshness queue).
#include <functional>

#include "catalog/catalog.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::catalog {

// `default_district` answers which district a request without ?district_id= is about.
void register_routes(http::Router& router, Catalog& catalog, identity::IdentityService& identity,
                     std::function<long long()> default_district);

}  // namespace dure::catalog
