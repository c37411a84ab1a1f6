#pragma once

// The operator queries of the native API: GET /api/v1/orders and GET
// /api/v1/shipments, filtered and paged by cursor (app/order_queries.hpp).
// Every query parameter is checked: an unknown one, a repeated one that may
// be given once, an unknown status, a malformed time or limit, or a cursor
// that does not belong to the list is a 400 naming the parameter
// (native_errors.hpp's shape).

#include "app/order_queries.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddQueryRoutes(Router& router, app::OrderQueries& queries);

}  // namespace shipline::http::native
