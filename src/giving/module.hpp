#pragma once
// The giving module (희망온돌): campaigns for a legal collector, counter gifts, council-approved
// distributions, the public hash-chained ledger (docs/giving.md).
#include <memory>

#include "app/module.hpp"

namespace dure::giving {

class GivingStore;

class GivingModule : public app::Module {
public:
    GivingModule();
    ~GivingModule() override;
    const char* name() const override { return "giving"; }
    void start(app::Platform& p) override;
    void routes(http::Router& router, app::Platform& p) override;
    std::vector<jobs::Job> jobs(app::Platform& p) override;
    std::string demo(app::Platform& p, const app::DemoOptions& o) override;

private:
    std::unique_ptr<GivingStore> store_;
};

}  // namespace dure::giving
