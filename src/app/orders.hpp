#pragma once

// Use cases of the native API on orders and shipments: create, read,
// release, and list events.

#include <optional>
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

  // The events written about an order, oldest first, at most
  // kMaxOrderEvents, each with the email recorded for it (sent or given up),
  // if any. kNotFound for an order of another tenant or none.
  static constexpr int kMaxOrderEvents = 500;
  struct OrderEvent {
    domain::Event event;
    std::optional<EmailRecord> email;
  };
  Result<std::vector<OrderEvent>> OrderEvents(const Actor& actor, std::string_view order_number);

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

}  // namespace shipline::app
