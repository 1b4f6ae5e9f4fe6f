#pragma once
// The certificates module (src/certificates, docs/certificates.md): the public check of a
// certificate by number and verification code, and a member's own certificates. Modules issue
// through store.hpp. Listed once in src/app/modules.cpp.
#include <memory>

#include "app/module.hpp"

namespace dure::certificates {

std::unique_ptr<app::Module> make_module();

}  // namespace dure::certificates
