#pragma once

// The native API for shipments after their order exists:
// POST /api/v1/orders/{orderNumber}/shipments adds a shipment, and
// PUT /api/v1/shipments/{shipmentNumber}/tracking changes its tracking.

#include "app/create_shipment.hpp"
#include "app/update_tracking.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddShipmentRoutes(Router& router, app::CreateShipment& create, app::UpdateTracking& update);

}  // namespace shipline::http::native
