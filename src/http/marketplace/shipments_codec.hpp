#pragma once

// The marketplace shipments API (seed 004) under /api/v2/client/invoices:
// list (paginated), show, create and update an invoice's shipments, and show
// the invoice itself. Invoices, line items and shipments are addressed by
// their numeric ids. Documents and errors are JSON:API.

#include "app/create_shipment.hpp"
#include "app/orders.hpp"
#include "app/update_tracking.hpp"
#include "http/router.hpp"

namespace shipline::http::marketplace {

void AddRoutes(Router& router, app::Orders& orders, app::CreateShipment& create,
               app::UpdateTracking& update);

}  // namespace shipline::http::marketplace
