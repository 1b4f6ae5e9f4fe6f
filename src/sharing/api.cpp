#include "sharing/api.hpp"

#include <cstdlib>

#include "sharing/api_support.hpp"

namespace dure::sharing {

// The routes live by idea: api_offers.cpp, api_connections.cpp, api_ledger.cpp,
// api_projects.cpp (the order here is
// the order of the OpenAPI document).
void register_routes(http::Router& router, SharingStore& store, identity::IdentityService& ids,
                     const identity::Keyring& keys, std::function<long long()> default_district,
                     Channels channels) {
    auto ctx = std::make_shared<api::Ctx>(api::Ctx{store, ids, keys, std::move(default_district)});
    if (auto v = std::getenv("DURE_SHARING_ESCALATE_DAYS"); v && *v) ctx->escalate_days = std::max(1, std::atoi(v));
    ctx->channels = std::move(channels);
    api::offer_routes(router, ctx);
    api::connection_routes(router, ctx);
    api::ledger_routes(router, ctx);
    api::project_routes(router, ctx);
}

}  // namespace dure::sharing
