#pragma once

// The native store settings API: GET and PUT /api/v1/stores/{store}.

#include "app/storefronts.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddStorefrontRoutes(Router& router, app::Storefronts& storefronts);

}  // namespace shipline::http::native
