#include "http/readiness.hpp"

#include "app/log.hpp"

namespace shipline::http {

void AddReadinessRoute(Router& router, app::Store& store) {
  Route route;
  route.method = "GET";
  route.pattern = "/readyz";
  route.authenticated = false;
  route.handler = [&store](Request& request) {
    Status read = store.Read([](app::StoreReader& reader) -> Status {
      auto count = reader.Tenants().Count();
      return count ? Ok() : Status(std::move(count).error());
    });
    Response response;
    if (read.ok()) {
      response.body = R"({"status":"ready"})";
      return response;
    }
    app::LogWarn(
        "not ready: the store cannot be read",
        app::LogFields().Add("request_id", request.request_id).Add("detail", read.error().detail));
    response.status = 503;
    response.body = R"({"status":"unavailable"})";
    return response;
  };
  router.Add(std::move(route));
}

}  // namespace shipline::http
