#pragma once

// The JSON payloads of shipline's own events. They are shipline's format (not
// any contract's): consumers on the broker and native webhooks receive them.

#include <string>

#include "domain/order.hpp"

namespace shipline::app {

// order-shipment-shipped: the order, the shipment with its items and
// tracking, the customer and the captured amount.
std::string ShipmentShippedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   int64_t captured_amount);

// shipment-status-changed: the shipment number, the old and new status.
std::string StatusChangedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                 domain::ShipmentStatus from, domain::ShipmentStatus to);

}  // namespace shipline::app
