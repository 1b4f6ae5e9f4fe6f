#pragma once
// The online applications module (src/applications, docs/applications.md): forms as data, drafts,
// documents stored encrypted, submission with a receipt number, the staff queue, applications on an
// offline resident's behalf. Listed once in src/app/modules.cpp.
#include <memory>

#include "app/module.hpp"

namespace dure::applications {

std::unique_ptr<app::Module> make_module();

}  // namespace dure::applications
