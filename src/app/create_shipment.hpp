#pragma once

// Adding a shipment to an order that already exists: an order ships over
// several shipments, each naming line items (or bundle components) and
// quantities, never more in all than was ordered. A shipment created with
// `ship` set leaves at once: it is completed through CompleteShipment, the
// one completion path, so it captures, records and notifies exactly as any
// other completion.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/complete_shipment.hpp"
#include "app/store.hpp"

namespace shipline::app {

struct CreateShipmentCommand {
  // The order, by number or (when the number is empty) by id.
  std::string order_number;
  int64_t order_id = 0;
  std::string shipment_number;  // empty: the order's next free "<order>-<n>"
  domain::ShipmentStatus status = domain::ShipmentStatus::kReleased;  // PENDING or RELEASED
  // Each names its line item by id or sku; see domain::ValidateNewShipment.
  std::vector<domain::ShipmentItem> items;
  std::string carrier;
  std::string tracking_number;
  std::string tracking_url;  // empty: made from the carrier's template
  std::string service;
  std::optional<int64_t> package_count;
  std::string return_tracking_number;
  std::string internal_comment;
  std::string note;
  std::optional<int64_t> dispatched_at;
  // The form dispatched_at was written in (see domain::Shipment).
  int dispatched_offset_minutes = 0;
  bool dispatched_date_only = false;
  bool ship = false;               // complete the new shipment at once
  std::optional<bool> send_email;  // with ship: as CompleteShipmentCommand::send_email
};

struct CreatedShipment {
  domain::Order order;        // as stored after the change, shipments included
  domain::Shipment shipment;  // the new shipment as stored, with its history
  std::vector<std::string> warnings;
};

class CreateShipment {
 public:
  CreateShipment(Store& store, Clock& clock, CompleteShipment& complete)
      : store_(store), clock_(clock), complete_(complete) {}

  // Errors: kNotFound (no such order for the tenant), kInvalidArgument (an
  // unknown line item or sku, a bad quantity, a shipment that would ship
  // more than was ordered, naming the line item; a malformed field),
  // kAlreadyExists (the shipment number is taken). With `ship`, any error of
  // CompleteShipment::Run; the new shipment is then cancelled, so that it
  // holds no items, and the error is returned. Thread-safe; concurrent
  // creations on one order are serialised by the store, so they can never
  // ship more than was ordered between them.
  Result<CreatedShipment> Run(const Actor& actor, CreateShipmentCommand command);

 private:
  Status CancelAfterFailure(const Actor& actor, const domain::Shipment& shipment,
                            const Error& cause);
  Result<CreatedShipment> Reload(const Actor& actor, int64_t order_id, int64_t shipment_id);

  Store& store_;
  Clock& clock_;
  CompleteShipment& complete_;
};

}  // namespace shipline::app
