#pragma once

// The Shipping Order API under /api/shipping-orders/v1 (seed
// 003_c72ccc947ad72caf): a thin parse-call-encode shell around
// app::ShippingOrders. Errors are {"type", "code", "severity", "message"};
// successes may carry "warnings".

#include "app/shipping_orders/shipping_orders.hpp"
#include "http/router.hpp"

namespace shipline::http::shipping_orders {

inline constexpr const char* kPrefix = "/api/shipping-orders/v1";

void AddRoutes(Router& router, app::ShippingOrders& orders);

}  // namespace shipline::http::shipping_orders
