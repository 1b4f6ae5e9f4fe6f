// The surveys module: questionnaires (data/outreach/surveys), answers and their reports.
#include "surveys/module.hpp"

#include "surveys/surveys.hpp"

namespace dure::surveys {
namespace {

class SurveysModule : public app::Module {
public:
    const char* name() const override { return "surveys"; }
    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, p.db, p.keys, *p.identity, p.default_district);
    }
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<SurveysModule>(); }

}  // namespace dure::surveys
