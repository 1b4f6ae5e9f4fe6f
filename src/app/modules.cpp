// The platform's modules, listed once, in start order (a module may use those above it).
// Adding a module: a folder under src/ with a class derived from app::Module, and one line here.
#include <cstdlib>

#include "app/module.hpp"
#include "identity/module.hpp"
#include "catalog/module.hpp"
#include "eligibility/module.hpp"
#include "alerts/module.hpp"
#include "outreach/module.hpp"
#include "surveys/module.hpp"
#include "cases/module.hpp"
#include "checkins/module.hpp"
#include "screening/module.hpp"
#include "privacy/module.hpp"
#include "jobs/module.hpp"
#include "sharing/module.hpp"
#include "giving/module.hpp"
#include "community/module.hpp"
#include "applications/module.hpp"
#include "certificates/module.hpp"

namespace dure::app {

std::string Platform::env(const char* name, const std::string& dflt) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : dflt;
}

std::vector<std::unique_ptr<Module>> all_modules() {
    std::vector<std::unique_ptr<Module>> m;
    m.push_back(identity::make_module());
    m.push_back(catalog::make_module());
    m.push_back(eligibility::make_module());
    m.push_back(alerts::make_module());
    m.push_back(outreach::make_module());
    m.push_back(surveys::make_module());
    m.push_back(cases::make_module());
    m.push_back(checkins::make_module());
    m.push_back(screening::make_module());
    m.push_back(privacy::make_module());
    m.push_back(jobs::make_module());
    m.push_back(std::make_unique<sharing::SharingModule>());
    m.push_back(std::make_unique<giving::GivingModule>());
    m.push_back(community::make_module());
    m.push_back(applications::make_module());
    m.push_back(certificates::make_module());
    // (modules are added here, one line each)
    return m;
}

}  // namespace dure::app
