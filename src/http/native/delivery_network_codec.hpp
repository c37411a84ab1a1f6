#pragma once

// The native admin API of the delivery network under /api/v1: locations
// (/locations), providers (/providers, with POST /providers/{id}/events for
// the status updates providers send) and orchestration rules
// (/orchestration-rules). Errors are the native {"error", "code", "field"}.

#include "app/shipping_orders/delivery_network.hpp"
#include "app/shipping_orders/shipping_orders.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddDeliveryNetworkRoutes(Router& router, app::DeliveryNetwork& network,
                              app::ShippingOrders& orders);

}  // namespace shipline::http::native
