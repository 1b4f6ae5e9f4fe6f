#pragma once
// HTTP routes of membership alerts and recommendations: the member's channels and quiet hours,
// the in-app inbox, one-click unsubscribe, officials' re-screening trigger, and recommendations
// with feedback.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "alerts/alerts.hpp"
#include "alerts/recommend.hpp"
#include "http/router.hpp"
#include "identity/service.hpp"

namespace dure::eligibility {

// What recommendations need of a catalogue service.
struct ServiceInfo {
    std::string id, name, program_code, provider_level;
    std::vector<std::string> life_stages, situations, topics;
};

void register_alert_routes(http::Router& router, std::shared_ptr<const Rules> rules, identity::IdentityService& ids,
                           AlertService& alerts, ProfileStore& profiles, RecommendationStore& recs,
                           std::function<std::vector<ServiceInfo>(long long)> services,
                           std::function<long long()> default_district);

}  // namespace dure::eligibility
