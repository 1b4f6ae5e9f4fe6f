#pragma once
// Operations routes of the jobs module, for a district administrator: the scheduled jobs with
// their last run, last success, next run and last error, and the outbox's dead letters (messages
// that could not be decoded or sent after their retries).
#include <functional>

#include "http/router.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::jobs {

void register_routes(http::Router& router, store::Database& db, identity::IdentityService& identity,
                     std::function<long long()> default_district);

}  // namespace dure::jobs
