#pragma once

// The body a subscription receives for an event. The native format is
// shipline's envelope around the event's own payload:
//   {"type": ..., "timestamp": ISO 8601, "eventId": ..., "subject": ..., "data": {...}}
// The 3PL format is the seed 002 shipment notification, built from the
// shipment as it is when the delivery is first attempted (after the
// subscription's delay) by a formatter that the HTTP layer provides, since
// only the contract codec knows that contract's field names.

#include <cstdint>
#include <string>
#include <vector>

#include "app/store.hpp"
#include "app/threepl/threepl_types.hpp"
#include "app/webhooks/webhook_types.hpp"
#include "domain/event.hpp"
#include "domain/order.hpp"
#include "domain/package.hpp"

namespace shipline::app::webhooks {

inline constexpr std::string_view kTestEventType = "webhook.test";

// A shipped shipment with everything a notification about it shows.
struct ShipmentSnapshot {
  domain::Order order;
  domain::Shipment shipment;
  std::vector<domain::Package> packages;  // recorded packages; may be empty
  // What a 3PL reported of it, with ship_from always filled in: the
  // reported one, else the store's, else the store's name alone.
  threepl::ShipmentReport report{};
};

// Formats the 3PL shipment notification. Implementations are stateless and
// thread-safe.
class ShipmentNotificationFormatter {
 public:
  virtual ~ShipmentNotificationFormatter() = default;
  virtual std::string Format(const ShipmentSnapshot& snapshot) const = 0;
};

// The native envelope of `event`.
std::string NativeEventBody(const domain::Event& event);

// The body of a test delivery (the same in every format).
std::string TestEventBody(int64_t subscription_id, int64_t now);

// Reads the shipment an event is about, with its order and packages.
// kNotFound when it no longer exists.
Result<ShipmentSnapshot> LoadShipmentSnapshot(StoreReader& reader, int64_t tenant_id,
                                              std::string_view shipment_number);

class DeliveryBodies {
 public:
  // `threepl` may be null: 3PL deliveries then fail with kFailedPrecondition.
  explicit DeliveryBodies(const ShipmentNotificationFormatter* threepl) : threepl_(threepl) {}

  // The body of `delivery` for `subscription`. kNotFound when its event (or,
  // for the 3PL format, its shipment) is gone.
  Result<std::string> Build(StoreReader& reader, const Subscription& subscription,
                            const Delivery& delivery) const;

 private:
  const ShipmentNotificationFormatter* threepl_;
};

}  // namespace shipline::app::webhooks
