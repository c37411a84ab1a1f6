#include "http/openapi_routes.hpp"

#include <utility>
#include <vector>

namespace shipline::http {

extern const std::vector<std::pair<std::string_view, std::string_view>> kOpenApiDocument;

std::string_view OpenApiDocument() {
  for (const auto& [name, text] : kOpenApiDocument) {
    if (name == "openapi.json") return text;
  }
  return "{}";
}

void AddOpenApiRoutes(Router& router) {
  auto serve = [](Request&) {
    Response response;
    response.body = std::string(OpenApiDocument());
    return response;
  };
  router.Add({"GET", "/integration/api/shipping/v1/shipments/api-docs", true, serve});
  router.Add({"GET", "/openapi.json", true, serve});
}

}  // namespace shipline::http
