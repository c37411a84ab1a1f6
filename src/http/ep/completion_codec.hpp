#pragma once

// The shipment completion contract of seed 000 ("ep"):
// POST /integration/api/shipping/v1/shipments/complete-shipment.

#include "app/complete_shipment.hpp"
#include "http/router.hpp"

namespace shipline::http::ep {

void AddRoutes(Router& router, app::CompleteShipment& complete);

}  // namespace shipline::http::ep
