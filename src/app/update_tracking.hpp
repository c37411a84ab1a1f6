#pragma once

// Changing a shipment's tracking after the fact: number, carrier, link,
// dispatch time and the customer note. Every update writes a
// shipment-tracking-updated event in the same transaction; the customer is
// emailed again about it when the shipment has left and the request (or else
// the store's "send shipping confirmation" setting) wants it.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"

namespace shipline::app {

struct UpdateTrackingCommand {
  // The shipment, by number or (when the number is empty) by id. With
  // order_id set it must belong to that order.
  std::string shipment_number;
  int64_t shipment_id = 0;
  int64_t order_id = 0;
  // Each nullopt keeps the shipment's value; an empty string clears it.
  std::optional<std::string> tracking_number;
  std::optional<std::string> carrier;
  // nullopt: kept while carrier and number stay, else made from the template.
  std::optional<std::string> tracking_url;
  std::optional<std::string> note;
  std::optional<int64_t> dispatched_at;
  // The form dispatched_at was written in (see domain::Shipment).
  int dispatched_offset_minutes = 0;
  bool dispatched_date_only = false;
  std::optional<bool> send_email;  // nullopt: the store's setting decides
};

struct UpdatedTracking {
  domain::Order order;        // as stored after the change
  domain::Shipment shipment;  // as stored after the change, with history
  std::vector<std::string> warnings;
  int64_t event_id = 0;
  bool send_email = false;  // the decision recorded on the event
};

class UpdateTracking {
 public:
  UpdateTracking(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // Errors: kInvalidArgument (oversized fields, a link that is not http(s)),
  // kNotFound (no such shipment for the tenant, or not in the order),
  // kFailedPrecondition (the shipment is cancelled), kInternal.
  Result<UpdatedTracking> Run(const Actor& actor, const UpdateTrackingCommand& command);

 private:
  Store& store_;
  Clock& clock_;
};

}  // namespace shipline::app
