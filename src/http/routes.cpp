#include "http/routes.hpp"

#include "http/ep/completion_codec.hpp"
#include "http/native/orders_codec.hpp"
#include "http/openapi_routes.hpp"

namespace shipline::http {

void AddAllRoutes(Router& router, const Services& services) {
  if (services.complete != nullptr) ep::AddRoutes(router, *services.complete);
  if (services.orders != nullptr) native::AddOrderRoutes(router, *services.orders);
  AddOpenApiRoutes(router);
}

}  // namespace shipline::http
