#pragma once

// The native admin API under /api/v1: orders, shipments, release, events.
// Errors are {"error": message, "code": CODE, "field": path}.

#include "app/orders.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddOrderRoutes(Router& router, app::Orders& orders);

// The native error body and status for an error; logs server faults.
Response ErrorResponse(const Request& request, const Error& error);
Response NativeError(int status, const std::string& message);

}  // namespace shipline::http::native
