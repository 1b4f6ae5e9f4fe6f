#pragma once
// Loads the demo catalogue (services, organizations, facilities) into the demo district.
#include "catalog/store.hpp"
#include "identity/store.hpp"

namespace dure::cli {

// Generates and stores the demo catalogue once (a second run leaves it as it is); returns the
// number of services the district's catalogue holds afterwards.
std::size_t load_demo_catalog(catalog::CatalogStore& catalog, identity::IdentityStore& identity,
                              const std::string& today);

}  // namespace dure::cli
