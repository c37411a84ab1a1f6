#pragma once

// Use cases of the native API on orders and shipments: create, read,
// release, cancel, and list events.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"

namespace shipline::app {

class Orders {
 public:
  Orders(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Validates and stores a new order with its shipments. kInvalidArgument
  // naming the field; kAlreadyExists for a taken order or shipment number.
  Result<domain::Order> Create(const Actor& actor, domain::Order order);

  Result<domain::Order> Get(const Actor& actor, std::string_view order_number);
  // The order by its numeric id (as the marketplace contract addresses it).
  Result<domain::Order> GetById(const Actor& actor, int64_t order_id);
  Result<domain::Shipment> GetShipment(const Actor& actor, std::string_view shipment_number);
  // The order that holds the shipment `shipment_id` (as the marketplace
  // contract's shipment links address it); kNotFound when the tenant has none.
  Result<domain::Order> GetByShipmentId(const Actor& actor, int64_t shipment_id);

  // PENDING -> RELEASED, with a status change and a shipment-status-changed
  // event. kFailedPrecondition when the shipment is in any other status.
  Result<domain::Shipment> Release(const Actor& actor, std::string_view shipment_number);

  // PENDING or RELEASED -> CANCELLED for shipment `shipment_number` of order
  // `order_number`, with a status change and a shipment-status-changed event
  // in one transaction. kNotFound for an unknown order or shipment, one of
  // another order or another tenant; kConflict when the shipment is already
  // SHIPPED, DELIVERED or CANCELLED, or moved on meanwhile.
  Result<domain::Shipment> Cancel(const Actor& actor, std::string_view order_number,
                                  std::string_view shipment_number);

  // The events written about an order, oldest first, at most
  // kMaxOrderEvents, each with the email recorded for it (sent or given up),
  // if any. kNotFound for an order of another tenant or none.
  static constexpr int kMaxOrderEvents = 500;
  struct OrderEvent {
    domain::Event event;
    std::optional<EmailRecord> email;
  };
  Result<std::vector<OrderEvent>> OrderEvents(const Actor& actor, std::string_view order_number);

  // How far each event consumer is behind on the caller's tenant's events,
  // and only on those: consumers are server-wide, so positions are shown as
  // the tenant's newest event they have handled, and lags count the tenant's
  // events (or pending webhook deliveries) alone, so nothing here tells one
  // tenant about another's traffic. A lag is counted up to kMaxLagCount.
  static constexpr int64_t kMaxLagCount = 100'000;
  struct ConsumerLag {
    std::string consumer;               // "email", "broker", ..., "webhooks"
    std::optional<int64_t> handled_to;  // none for webhooks (deliveries, not a position)
    int64_t lag = 0;
    std::optional<int64_t> oldest_unhandled_at;
  };
  struct ConsumerLags {
    int64_t newest_event_id = 0;  // the tenant's; 0 when it has none
    std::vector<ConsumerLag> consumers;
  };
  Result<ConsumerLags> Lags(const Actor& actor);

  static constexpr int kMaxEventPage = 1000;
  Result<std::vector<domain::Event>> Events(const Actor& actor, int64_t after, int limit);

 private:
  Store& store_;
  Clock& clock_;
};

// Moves `shipment` of `order` from PENDING to RELEASED inside `tx`, recording
// the status change and a shipment-status-changed event. kFailedPrecondition
// when the status table forbids the move; kConflict when the shipment left
// PENDING since it was read.
Status ReleaseShipment(StoreWriter& tx, const Actor& actor, const domain::Order& order,
                       const domain::Shipment& shipment, int64_t now);

// Moves `shipment` of `order` from `from` to `to` inside `tx`, recording the
// status change (by the actor, with `note`) and a shipment-status-changed
// event. Returns false, writing nothing, when the shipment is no longer in
// `from`. The caller checks that the status table allows the move.
Result<bool> MoveShipment(StoreWriter& tx, const Actor& actor, const domain::Order& order,
                          const domain::Shipment& shipment, domain::ShipmentStatus from,
                          domain::ShipmentStatus to, std::string note, int64_t now);

}  // namespace shipline::app
