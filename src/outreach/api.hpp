#pragma once
// HTTP routes of outreach: the report channels (public web form, staff intake, partner API,
// CSV upload, KakaoTalk skill), each reporter's own list, the gatekeeper registry and the triage
// queue with its households. Every route asks identity's authorize(); none checks roles itself.
#include <functional>

#include "catalog/catalog.hpp"
#include "common/rate_limit.hpp"
#include "http/router.hpp"
#include "identity/crypto.hpp"
#include "identity/service.hpp"
#include "store/database.hpp"

namespace dure::outreach {

// Registers every outreach route. The KakaoTalk skill reads its shared secret from
// DURE_KAKAO_SKILL_SECRET now; unset, the skill endpoint answers 404. `default_district`
// answers which district a request naming none is about; `limits` throttle reports and the skill.
void register_routes(http::Router& router, store::Database& db, const identity::Keyring& keys,
                     identity::IdentityService& ids, catalog::Catalog& catalog,
                     std::function<long long()> default_district, const PublicLimits& limits = {});

}  // namespace dure::outreach
