#pragma once

// The shipment completion use case shared by every completion contract:
// validate, capture the shipment's payment, move it to SHIPPED with its
// tracking number, and write the order-shipment-shipped event in the same
// transaction. The email follows asynchronously from that event.

#include <string>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/event_signal.hpp"
#include "app/payment_gateway.hpp"
#include "app/store.hpp"

namespace shipline::app {

struct CompleteShipmentCommand {
  std::string shipment_number;
  std::string tracking_number;  // optional
  std::string carrier;          // optional
};

struct CompletedShipment {
  std::string shipment_number;
  std::string order_number;
  domain::ShipmentStatus status = domain::ShipmentStatus::kShipped;
  int64_t event_id = 0;
};

class CompleteShipment {
 public:
  CompleteShipment(Store& store, PaymentGateway& payments, Clock& clock, IdSource& ids,
                   EventSignal& signal)
      : store_(store), payments_(payments), clock_(clock), ids_(ids), signal_(signal) {}

  // Errors: kInvalidArgument (blank number, oversized tracking number),
  // kNotFound (no such shipment for the tenant), kConflict (already SHIPPED,
  // or a concurrent completion holds or won the shipment),
  // kFailedPrecondition (not RELEASED), kUnavailable (capture failed: the
  // shipment stays RELEASED, no event is written), kInternal.
  Result<CompletedShipment> Run(const Actor& actor, const CompleteShipmentCommand& command);

  // How long a completion that captures through an outside provider holds its
  // claim; a node that dies mid-capture frees the shipment after this.
  static constexpr int64_t kClaimMillis = 60'000;

 private:
  Result<CompletedShipment> Finish(const Actor& actor, const CompleteShipmentCommand& command,
                                   const domain::Order& order, const domain::Shipment& shipment,
                                   const std::string& claim_token, int64_t amount,
                                   const std::string& capture_reference);
  Status Load(const Actor& actor, const std::string& number, domain::Order& order,
              domain::Shipment& shipment);

  Store& store_;
  PaymentGateway& payments_;
  Clock& clock_;
  IdSource& ids_;
  EventSignal& signal_;
};

}  // namespace shipline::app
