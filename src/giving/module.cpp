#include "giving/module.hpp"

#include <chrono>

#include "common/dates.hpp"
#include "giving/api.hpp"
#include "giving/demo.hpp"
#include "giving/store.hpp"
#include "identity/store.hpp"

namespace dure::giving {

GivingModule::GivingModule() = default;
GivingModule::~GivingModule() = default;

void GivingModule::start(app::Platform& p) {
    store_ = std::make_unique<GivingStore>(p.db, p.keys);
    p.services.provide(*store_);
}

void GivingModule::routes(http::Router& router, app::Platform& p) { register_routes(router, *store_, p); }

std::vector<jobs::Job> GivingModule::jobs(app::Platform& p) {
    auto* store = store_.get();
    auto* ids = &p.ids;
    // Seals each closed day into every campaign's public ledger (hourly; sealing twice adds nothing).
    return {jobs::Job{"giving-ledger-seal", 3600, 60,
                      [store, ids](long long now) {
                          auto yesterday = seoul_date(std::chrono::system_clock::from_time_t(now - 86400));
                          for (const auto& d : ids->districts())
                              for (const auto& c : store->campaigns(d.id)) store->seal(c.id, yesterday);
                      },
                      0}};
}

std::string GivingModule::demo(app::Platform& p, const app::DemoOptions& o) {
    return load_demo(*store_, p, o);
}

}  // namespace dure::giving
