#pragma once

// The JSON payloads of shipline's own events. They are shipline's format (not
// any contract's): consumers on the broker and native webhooks receive them.

#include <optional>
#include <string>

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

// True when `event` is one the customer is emailed about (shipped, tracking
// updated) and its payload does not say "sendEmail": false. The decision is
// taken when the event is written (by the request, else by the store's
// setting) and travels with it, so every email consumer honours it.
bool WantsCustomerEmail(const domain::Event& event);

// The payload's "store" member: the storefront an event is about, which
// webhook subscriptions for one store compare with. nullopt when the payload
// is not a JSON object with a string there.
std::optional<std::string> PayloadStore(const domain::Event& event);

// shipment-status-changed: the shipment number, the old and new status.
std::string StatusChangedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                 domain::ShipmentStatus from, domain::ShipmentStatus to);

}  // namespace shipline::app
