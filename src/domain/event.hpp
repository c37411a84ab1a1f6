#pragma once

// An event is an immutable fact, written in the same transaction as the
// change it describes. Consumers (email, webhooks, broker) read events in id
// order from a saved position.

#include <cstdint>
#include <string>
#include <string_view>

namespace shipline::domain {

inline constexpr std::string_view kOrderShipmentShipped = "order-shipment-shipped";
inline constexpr std::string_view kShipmentStatusChanged = "shipment-status-changed";
// A shipment's tracking (number, carrier, link, dispatch time, note) changed.
inline constexpr std::string_view kShipmentTrackingUpdated = "shipment-tracking-updated";
// A shipment came into being after its order: the rest of a shipment that a
// warehouse fulfilled in part.
inline constexpr std::string_view kShipmentCreated = "shipment-created";
inline constexpr std::string_view kOrdersTopic = "VirtualTopic.ep.orders";

struct Event {
  int64_t id = 0;  // assigned by the store, increasing in commit order
  int64_t tenant_id = 0;
  std::string type;        // e.g. "order-shipment-shipped"
  std::string topic;       // e.g. "VirtualTopic.ep.orders"
  std::string subject;     // the shipment or order number the event is about
  std::string payload;     // a JSON document owned by the app layer
  int64_t created_at = 0;  // epoch milliseconds

  // Typed headers, stored as columns beside the payload: what consumers
  // decide on (which subscriptions get it, whether the customer is mailed)
  // without parsing the payload.
  std::string storefront;   // the merchant storefront of the order; "" for none
  int64_t order_id = 0;     // the order it is about; 0 for none
  int64_t shipment_id = 0;  // the shipment it is about; 0 for none
  bool send_email = false;  // the customer is to be emailed about it
  // The W3C traceparent of the request that caused it ("" for none): its
  // webhook deliveries and broker message continue that trace.
  std::string traceparent{};
};

}  // namespace shipline::domain
