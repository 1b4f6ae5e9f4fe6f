#pragma once
// HTTP routes of the welfare status map: dong boundaries as GeoJSON (read; officials replace
// them), the indicators, statistics per dong with choropleth classes, a dong's series by year,
// and the officials' CSV upload.
#include <functional>

#include "http/router.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::catalog {

// Adds the /api/v1/map/ and /api/v1/statistics routes; they keep their own StatsStore on `db`.
// `default_district` answers which district a request without ?district_id= is about.
void register_stats_routes(http::Router& router, store::Database& db, identity::IdentityService& identity,
                           std::function<long long()> default_district);

}  // namespace dure::catalog
