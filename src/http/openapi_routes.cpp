#include "http/openapi_routes.hpp"

#include <boost/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace shipline::http {

namespace json = boost::json;

extern const std::vector<std::pair<std::string_view, std::string_view>> kOpenApiDocument;

// openapi.json holds the document's frame and shared components; every other
// file of src/http/openapi/ (one per contract) holds {"paths": {...},
// "components": {"schemas": {...}}} that is merged into it.
std::string_view OpenApiDocument() {
  static const std::string merged = [] {
    json::object document;
    for (const auto& [name, text] : kOpenApiDocument) {
      if (name == "openapi.json") document = json::parse(text).as_object();
    }
    json::object& paths = document["paths"].emplace_object();
    for (const auto& [name, text] : kOpenApiDocument) {
      json::object part = json::parse(text).as_object();
      if (auto* more = part.if_contains("paths")) {
        // Files may share a path (one lists orders, another creates them):
        // their operations are merged.
        for (auto& [path, item] : more->as_object()) {
          json::object& into =
              paths[path].is_object() ? paths[path].as_object() : paths[path].emplace_object();
          for (auto& [method, operation] : item.as_object()) into[method] = operation;
        }
      }
      if (auto* components = part.if_contains("components")) {
        json::object& target = document["components"].is_object()
                                   ? document["components"].as_object()
                                   : document["components"].emplace_object();
        for (auto& [kind, entries] : components->as_object()) {
          json::object& into =
              target[kind].is_object() ? target[kind].as_object() : target[kind].emplace_object();
          for (auto& [entry_name, entry] : entries.as_object()) into[entry_name] = entry;
        }
      }
    }
    return json::serialize(document);
  }();
  return merged;
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
