#pragma once

// Serves shipline's OpenAPI 3 document (src/http/openapi/openapi.json, embedded
// at build time) at the completion contract's api-docs path and /openapi.json.

#include <string_view>

#include "http/router.hpp"

namespace shipline::http {

std::string_view OpenApiDocument();
void AddOpenApiRoutes(Router& router);

}  // namespace shipline::http
