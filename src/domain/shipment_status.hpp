#pragma once

// The canonical shipment statuses and the one table of allowed moves between
// them. Each contract maps these to its own words at its edge.

#include <optional>
#include <string_view>

namespace shipline::domain {

enum class ShipmentStatus {
  kPending,    // created, not ready to leave the warehouse
  kReleased,   // good to go: packed and ready
  kShipped,    // tracking recorded, payment captured, event written
  kDelivered,  // confirmed delivered
  kCancelled,  // will not ship
};

std::string_view ShipmentStatusName(ShipmentStatus status);  // "RELEASED", ...
std::optional<ShipmentStatus> ParseShipmentStatus(std::string_view name);

// SHIPPED or DELIVERED: the shipment's units have left and count as shipped.
bool IsShippedStatus(ShipmentStatus status);

// True when the status table allows moving from `from` to `to`.
bool CanTransition(ShipmentStatus from, ShipmentStatus to);

}  // namespace shipline::domain
