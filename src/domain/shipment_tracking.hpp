#pragma once

// What a shipment records about its carrier and tracking when a client
// completes it or updates its tracking: which carrier (matched loosely
// against the store's registry), the tracking link, and warnings the client
// can show when a number does not fit the carrier it named.

#include <string>
#include <string_view>
#include <vector>

#include "domain/carrier.hpp"

namespace shipline::domain {

struct TrackingDetails {
  std::string carrier;       // display name: the registry's, or as the client wrote it
  std::string carrier_code;  // registry code; empty when the carrier is not in the registry
  std::string tracking_url;  // empty when there is neither a supplied link nor a template
  std::vector<std::string> warnings;
};

// Resolves a client's carrier name, tracking number and optional link.
//  - A named carrier found in `registry` is recorded by its display name and
//    code; one not found is kept as written, without a code. When the number
//    fails every format of a carrier whose formats are known, the details
//    carry a warning, and nothing fails: carriers reuse each other's formats.
//    (For a carrier known only by its international S10 numbers, such as
//    Australia Post, only a number of some known shape is judged.)
//  - With no carrier named, the carrier the number is recognised as (its
//    check digit holding) is recorded.
//  - The link is `supplied_url` when given, else the carrier's template
//    filled with the number, else empty.
TrackingDetails ResolveTracking(const CarrierRegistry& registry, std::string_view carrier_name,
                                std::string_view tracking_number, std::string_view supplied_url);

}  // namespace shipline::domain
