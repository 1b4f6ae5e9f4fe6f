#pragma once
// The Open Referral HSDS 3.0 API under /hsds/ (public, read-only): services, organizations,
// service_at_locations, taxonomies and taxonomy terms, paginated as the HSDS OpenAPI says.
#include "catalog/store.hpp"
#include "http/router.hpp"

namespace dure::catalog {

// Adds the /hsds/ routes. Requests may name `district_id`; otherwise `default_district_id`.
void register_hsds_routes(http::Router& router, CatalogStore& store, long long default_district_id);

}  // namespace dure::catalog
