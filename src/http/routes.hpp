#pragma once

// Every route shipline serves, in one place: the composition root registers
// them for serving and the OpenAPI test registers them to check the document.
// Each contract's codec adds its own routes; a service left null here means
// its routes are not registered.

#include "app/complete_shipment.hpp"
#include "app/orders.hpp"
#include "http/router.hpp"

namespace shipline::http {

struct Services {
  app::CompleteShipment* complete = nullptr;
  app::Orders* orders = nullptr;
};

void AddAllRoutes(Router& router, const Services& services);

}  // namespace shipline::http
