#pragma once

// The native admin API under /api/v1: orders, shipments, release, events.
// Errors are native_errors.hpp's.

#include "app/orders.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddOrderRoutes(Router& router, app::Orders& orders);

}  // namespace shipline::http::native
