#pragma once
// The screening module's entry point (app::Module; listed in src/app/modules.cpp).
#include <memory>

#include "app/module.hpp"

namespace dure::screening {

std::unique_ptr<app::Module> make_module();

}  // namespace dure::screening
