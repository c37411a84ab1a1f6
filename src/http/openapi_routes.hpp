#pragma once

// Serves shipline's OpenAPI 3 document (src/http/openapi/openapi.json, embedded
// at build time) at /openapi.json, and the completion endpoint's own document
// (a part of it) at the completion contract's api-docs path.

#include <string_view>

#include "http/router.hpp"

namespace shipline::http {

// The whole API: openapi.json with every other file's paths and components.
std::string_view OpenApiDocument();
// The completion contract's own document, valid on its own: the completion
// and api-docs paths, the components they refer to, the security schemes.
std::string_view CompletionApiDocument();
void AddOpenApiRoutes(Router& router);

}  // namespace shipline::http
