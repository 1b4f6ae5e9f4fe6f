// The jobs module: the operations routes over the scheduled jobs and the outbox's dead letters.
// (The scheduler itself is platform: src/app/serve.cpp runs every module's jobs with it.)
#include "jobs/module.hpp"

#include "jobs/api.hpp"

namespace dure::jobs {
namespace {

class JobsModule : public app::Module {
public:
    const char* name() const override { return "jobs"; }
    void routes(http::Router& router, app::Platform& p) override {
        register_routes(router, p.db, *p.identity, p.default_district);
    }
};

}  // namespace

std::unique_ptr<app::Module> make_module() { return std::make_unique<JobsModule>(); }

}  // namespace dure::jobs
