#pragma once
// The outreach module's entry point (app::Module; listed in src/app/modules.cpp).
#include <memory>

#include "app/module.hpp"

namespace dure::outreach {

std::unique_ptr<app::Module> make_module();

}  // namespace dure::outreach
