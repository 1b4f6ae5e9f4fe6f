#pragma once
// Builds the OpenAPI 3.1 document from the router's table, so the description and the server
// cannot drift apart.
#include <string>

#include "http/router.hpp"

namespace dure::http {

std::string openapi_document(const Router& router, const std::string& version);

}  // namespace dure::http
