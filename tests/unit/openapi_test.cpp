// The OpenAPI document must describe exactly the routes shipline serves.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cctype>
#include <map>
#include <set>

#include "domain/text_limits.hpp"
#include "http/openapi_routes.hpp"
#include "http/routes.hpp"
#include "support/test_world.hpp"

namespace shipline {
namespace {

namespace json = boost::json;

std::string Lower(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

TEST(OpenApi, DocumentsEveryRouteAndNothingElse) {
  test::World world;
  http::Router router(&world.keys);
  http::AddAllRoutes(router, world.Services());

  json::object document = json::parse(http::OpenApiDocument()).as_object();
  ASSERT_TRUE(document["openapi"].as_string().starts_with("3."));
  const json::object& paths = document["paths"].as_object();

  std::set<std::pair<std::string, std::string>> served{{"/healthz", "get"}};
  for (const auto& route : router.routes()) {
    served.emplace(route.pattern, Lower(route.method));
    const json::value* item = paths.if_contains(route.pattern);
    ASSERT_NE(item, nullptr) << "undocumented path " << route.pattern;
    EXPECT_TRUE(item->as_object().contains(Lower(route.method)))
        << "undocumented " << route.method << " " << route.pattern;
  }
  for (const auto& [path, item] : paths) {
    for (const auto& [method, operation] : item.as_object()) {
      if (method == "parameters") continue;
      EXPECT_TRUE(served.contains({std::string(path), std::string(method)}))
          << "documented but not served: " << method << " " << path;
      EXPECT_TRUE(operation.as_object().contains("responses")) << path;
    }
  }
}

// The scope each route needs, as the router enforces it and as the document
// tells clients: "none" for the routes without a key.
std::string ScopeOf(const http::Route& route) {
  return route.authenticated ? std::string(app::ScopeName(*route.scope)) : "none";
}

TEST(OpenApi, EveryOperationHasAUniqueIdAndTheRoutesScope) {
  test::World world;
  http::Router router(&world.keys);
  http::AddAllRoutes(router, world.Services());
  json::object document = json::parse(http::OpenApiDocument()).as_object();
  const json::object& paths = document["paths"].as_object();

  std::map<std::pair<std::string, std::string>, std::string> scopes{{{"/healthz", "get"}, "none"}};
  for (const auto& route : router.routes()) {
    scopes[{route.pattern, Lower(route.method)}] = ScopeOf(route);
  }
  std::set<std::string> ids;
  for (const auto& [path, item] : paths) {
    for (const auto& [method, value] : item.as_object()) {
      if (method == "parameters") continue;
      const json::object& operation = value.as_object();
      std::string where = std::string(method) + " " + std::string(path);
      const json::value* id = operation.if_contains("operationId");
      ASSERT_TRUE(id != nullptr && id->is_string()) << "no operationId: " << where;
      std::string text(id->as_string());
      EXPECT_TRUE(!text.empty() && std::islower(static_cast<unsigned char>(text[0])) &&
                  text.find_first_of("-_ ") == std::string::npos)
          << "operationId not camelCase: " << text;
      EXPECT_TRUE(ids.insert(text).second) << "operationId used twice: " << text;
      const json::value* scope = operation.if_contains("x-shipline-scope");
      ASSERT_TRUE(scope != nullptr && scope->is_string()) << "no x-shipline-scope: " << where;
      auto served = scopes.find({std::string(path), std::string(method)});
      ASSERT_NE(served, scopes.end()) << where;
      EXPECT_EQ(std::string(scope->as_string()), served->second) << where;
      // A key holds at least read: only routes that need more can refuse one.
      bool refuses = served->second == "write" || served->second == "admin";
      EXPECT_EQ(operation.at("responses").as_object().contains("403"), refuses)
          << "403 documented for a route that " << (refuses ? "can" : "cannot")
          << " refuse a key's scope: " << where;
    }
  }
}

TEST(OpenApi, EveryWriteNamesTheIdempotencyKeyAndItsAnswers) {
  json::object document = json::parse(http::OpenApiDocument()).as_object();
  ASSERT_TRUE(
      document["components"].as_object()["parameters"].as_object().contains("IdempotencyKey"));
  int writes = 0;
  for (const auto& [path, item] : document["paths"].as_object()) {
    for (const auto& [method, value] : item.as_object()) {
      if (method != "post" && method != "put" && method != "patch" && method != "delete") continue;
      ++writes;
      const json::object& operation = value.as_object();
      std::string where = std::string(method) + " " + std::string(path);
      int refs = 0;
      for (const auto& parameter : operation.at("parameters").as_array()) {
        const json::value* ref = parameter.as_object().if_contains("$ref");
        refs += ref != nullptr && *ref == "#/components/parameters/IdempotencyKey" ? 1 : 0;
      }
      EXPECT_EQ(refs, 1) << where;
      const json::object& responses = operation.at("responses").as_object();
      EXPECT_TRUE(responses.contains("409")) << where;
      EXPECT_TRUE(responses.contains("422")) << where;
    }
  }
  EXPECT_GT(writes, 30);
}

TEST(Router, MethodsGiveDefaultScopesAndAdminRoutesSayAdmin) {
  test::World world;
  http::Router router(&world.keys);
  http::AddAllRoutes(router, world.Services());
  auto scope_of = [&](std::string_view method, std::string_view pattern) {
    for (const auto& route : router.routes()) {
      if (route.method == method && route.pattern == pattern) return ScopeOf(route);
    }
    return std::string("missing");
  };
  EXPECT_EQ(scope_of("GET", "/api/v1/orders/{orderNumber}"), "read");
  EXPECT_EQ(scope_of("POST", "/api/v1/orders"), "write");
  EXPECT_EQ(scope_of("POST", "/integration/api/shipping/v1/shipments/complete-shipment"), "write");
  EXPECT_EQ(scope_of("GET", "/api/v1/api-keys"), "admin");
  EXPECT_EQ(scope_of("POST", "/api/v1/webhooks"), "admin");
  EXPECT_EQ(scope_of("PUT", "/api/v1/stores/{store}"), "admin");
  EXPECT_EQ(scope_of("POST", "/api/v1/locations"), "admin");
  EXPECT_EQ(scope_of("POST", "/api/v1/integrations/3pl/shipment-notification"), "none");
}

// Every text the documents name a kind for carries the table's maxLength
// (the merge step writes it; the documents hold no number of their own).
void CheckTextKinds(const json::value& value, int& named) {
  if (value.is_array()) {
    for (const auto& element : value.as_array()) CheckTextKinds(element, named);
    return;
  }
  if (!value.is_object()) return;
  const json::object& object = value.as_object();
  if (const json::value* kind = object.if_contains("x-shipline-text")) {
    ++named;
    const domain::TextLimit* limit = domain::FindTextLimit(kind->as_string());
    ASSERT_NE(limit, nullptr) << "unknown kind " << kind->as_string();
    ASSERT_TRUE(object.contains("maxLength")) << kind->as_string();
    EXPECT_EQ(object.at("maxLength").as_int64(), static_cast<int64_t>(limit->max_bytes));
  }
  for (const auto& [key, member] : object) CheckTextKinds(member, named);
}

TEST(OpenApi, NamedTextKindsCarryTheTablesMaxLength) {
  int named = 0;
  CheckTextKinds(json::parse(http::OpenApiDocument()), named);
  EXPECT_GT(named, 150);  // the walk found the documents' texts
  EXPECT_EQ(domain::FindTextLimit("no such kind"), nullptr);
}

}  // namespace
}  // namespace shipline
