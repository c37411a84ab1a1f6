// The OpenAPI document must describe exactly the routes shipline serves.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

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

}  // namespace
}  // namespace shipline
