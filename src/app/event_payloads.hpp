#pragma once

// The JSON payloads of shipline's own events. They are shipline's format (not
// any contract's): consumers on the broker and native webhooks receive them.

#include <optional>
#include <string>
#include <string_view>

#include "domain/event.hpp"
#include "domain/order.hpp"

namespace shipline::app {

// order-shipment-shipped: the order, the shipment with its items and
// tracking, the customer and the captured amount. `send_email` records
// whether the customer is to be emailed about this event (see
// WantsCustomerEmail).
std::string ShipmentShippedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   int64_t captured_amount, bool send_email = true);

// shipment-tracking-updated: the shipment's tracking as it is now.
std::string TrackingUpdatedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   bool send_email);

// An event of `type` about `shipment` of `order` on the orders topic, with
// its typed headers filled in. `send_email` is the decision, taken when the
// event is written (by the request, else by the storefront's setting), to
// email the customer about it; it travels with the event, so every email
// consumer honours it.
domain::Event ShipmentEvent(std::string_view type, const domain::Order& order,
                            const domain::Shipment& shipment, std::string payload, int64_t now,
                            bool send_email = false);

// True when the customer is to be emailed about `event`.
inline bool WantsCustomerEmail(const domain::Event& event) { return event.send_email; }

// shipment-status-changed: the shipment number, the old and new status.
std::string StatusChangedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                 domain::ShipmentStatus from, domain::ShipmentStatus to);

// shipment-created: the new shipment's number, status and items, and the
// shipment it was split from ("" for none).
std::string ShipmentCreatedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   std::string_view split_from);

}  // namespace shipline::app
