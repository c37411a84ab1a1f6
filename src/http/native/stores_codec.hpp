#pragma once

// The native store settings API: GET and PUT /api/v1/stores/{store}.

#include "app/stores.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddStoreRoutes(Router& router, app::Stores& stores);

}  // namespace shipline::http::native
