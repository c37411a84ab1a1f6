#pragma once

// Tracking-number recognition for clients: GET /api/v1/tracking-numbers/{number}
// and the `shipline tracking check NUMBER` command give the same object.

#include <string_view>

#include "http/json_io.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

// {"carrier": code or null, "format": "ups_1z" | ... | "unknown",
//  "valid": true when the check digit holds, "trackingUrl": the carrier's
//  public link for the number, or null when the carrier is unknown or has
//  none}. Whitespace in the number is ignored.
json::object TrackingCheckJson(std::string_view number);

void AddTrackingRoutes(Router& router);

}  // namespace shipline::http::native
