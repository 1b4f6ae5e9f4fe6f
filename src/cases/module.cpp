// The cases module: case management (사례관리) from intake to closing; names linked services
// through the catalogue.
#include "cases/module.hpp"

#include "cases/api.hpp"
#include "cases/cases.hpp"
#include "catalog/catalog.hpp"

namespace dure::cases {
namespace {

class CasesModule : public app::Module {
public:
    const char* name() const override { return "cases"; }

    void start(app::Platform& p) override {
        store_ = std::make_unique<CaseStore>(p.db, p.keys);
        store_->bind_legacy_entries();
    }

    void routes(http::Router& router, app::Platform& p) override {
        auto& catalog = p.services.need<catalog::Catalog>();
        register_routes(
            router, *store_, *p.identity,
            [&catalog](const std::string& id) {
                auto s = catalog.summary(id);
                return s ? s->name : std::string();
            },
            p.default_district);
    }

private:
    std::unique_ptr<CaseStore> store_;
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<CasesModule>(); }

}  // namespace dure::cases
