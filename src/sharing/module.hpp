#pragma once
// Help matching (동행 사랑넷): offers and needs, vetted connections, the hours ledger.
// docs/sharing.md; issue 13.
#include <memory>

#include "app/module.hpp"
#include "identity/store.hpp"
#include "sharing/notices.hpp"

namespace dure::sharing {

class SharingStore;

// Brings needs waiting more than `days` since they were opened to their dong's managers (inbox),
// once each; returns how many. The scheduled job `sharing_escalation` calls it hourly.
int escalate_waiting(SharingStore& store, identity::IdentityStore& ids, const identity::Keyring& keys, long long now,
                     int days, const Channels& channels = {});

class SharingModule : public app::Module {
public:
    SharingModule();
    ~SharingModule() override;
    const char* name() const override { return "sharing"; }
    void start(app::Platform& p) override;
    void routes(http::Router& router, app::Platform& p) override;
    std::string demo(app::Platform& p, const app::DemoOptions& o) override;
    // Hourly: needs waiting past DURE_SHARING_ESCALATE_DAYS (default 7) since they were opened go
    // to their dong's managers (a caseworker of the dong, else a project manager), once each.
    std::vector<jobs::Job> jobs(app::Platform& p) override;

private:
    std::unique_ptr<SharingStore> store_;
    Channels channels_;
};

}  // namespace dure::sharing
