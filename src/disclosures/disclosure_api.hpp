#pragma once
// HTTP routes of facility disclosures (budgets, settlements, donations; CSV and XLSX downloads),
// welfare news and the jobs list.
#include <functional>

#include "catalog/store.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::catalog {

// Adds the routes; the stores they need are made here from `db` and live as long as the routes.
// `default_district` answers which district a request without ?district_id= is about.
void register_disclosure_routes(http::Router& router, store::Database& db, CatalogStore& catalog,
                                identity::IdentityService& identity,
                                std::function<long long()> default_district);

}  // namespace dure::catalog
