// The platform's modules, listed once, in start order (a module may use those above it).
// Adding a module: a folder under src/ with a class derived from app::Module, and one line here.
#include <cstdlib>

#include "app/module.hpp"
#include "community/module.hpp"

namespace dure::app {

std::string Platform::env(const char* name, const std::string& dflt) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : dflt;
}

std::vector<std::unique_ptr<Module>> all_modules() {
    std::vector<std::unique_ptr<Module>> m;
    // (modules are added here, one line each)
    m.push_back(community::make_module());
    return m;
}

}  // namespace dure::app
