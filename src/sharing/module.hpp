#pragma once
// Help matching (동행 사랑넷): offers and needs, vetted connections, the hours ledger.
// docs/sharing.md; issue 13.
#include <memory>

#include "app/module.hpp"

namespace dure::sharing {

class SharingStore;

class SharingModule : public app::Module {
public:
    SharingModule();
    ~SharingModule() override;
    const char* name() const override { return "sharing"; }
    void start(app::Platform& p) override;
    void routes(http::Router& router, app::Platform& p) override;
    std::string demo(app::Platform& p, const app::DemoOptions& o) override;

private:
    std::unique_ptr<SharingStore> store_;
};

}  // namespace dure::sharing
