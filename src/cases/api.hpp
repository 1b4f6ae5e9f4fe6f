#pragma once
// HTTP routes of case management and home visits.
#include <functional>
#include <string>

#include "cases/cases.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::cases {

// `service_name(id)` answers a catalogue service's name, empty when there is no such service.
void register_routes(http::Router& router, CaseStore& store, identity::IdentityService& ids,
                     std::function<std::string(const std::string&)> service_name,
                     std::function<long long()> default_district);

}  // namespace dure::cases
