// The outreach module: reports (신고), gatekeepers, triage, the KakaoTalk channel and workload.
// Its demo seed files a few reports into the demo district's triage queue.
#include "outreach/module.hpp"

#include "app/demo.hpp"
#include "catalog/catalog.hpp"
#include "common/rate_limit.hpp"
#include "outreach/api.hpp"
#include "outreach/demo.hpp"

namespace dure::outreach {
namespace {

class OutreachModule : public app::Module {
public:
    const char* name() const override { return "outreach"; }

    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, p.db, p.keys, *p.identity, p.services.need<catalog::Catalog>(), p.default_district,
                        p.limits ? *p.limits : PublicLimits{});
    }

    std::string demo(app::Platform& p, const app::DemoOptions& o) override {
        int reports = o.no_outreach ? 0 : load_demo(p.db, p.ids, p.keys, o.now);
        if (auto* s = p.services.find<app::DemoSummary>()) s->reports = reports;
        return {};
    }
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<OutreachModule>(); }

}  // namespace dure::outreach
