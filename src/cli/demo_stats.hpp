#pragma once
// Loads the welfare status map of the demo district: dong boundaries drawn by the demo
// generator and the demo statistics of data/catalog/demo-statistics.csv (the catalog module's
// demo seed calls it).
#include <cstddef>

#include "atlas/stats_api.hpp"
#include "identity/store.hpp"
#include "store/database.hpp"

namespace dure::cli {

// Stores the demo district's boundaries and statistics once (a second run keeps what is there,
// including values officials uploaded since); returns how many values the district holds.
std::size_t load_demo_stats(store::Database& db, identity::IdentityStore& identity);

}  // namespace dure::cli
