#pragma once

// The inbound 3PL shipment notification: a warehouse reports that it packed
// and shipped an order's shipment. shipline finds the shipment, records its
// packages, and completes it through CompleteShipment (capture, event, email)
// exactly as the completion contracts do.
//
// A PENDING shipment is released on the way: the warehouse has shipped it, so
// it was good to go.
//
// Once only: a notification for a shipment that is already shipped changes
// nothing (unless it brings packages shipline has not seen, which are added),
// so a 3PL that retries for days never completes twice. A notification that
// cannot be applied is kept, with the reason, for an operator to read and to
// replay once the cause is fixed (for example after releasing the shipment).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/complete_shipment.hpp"
#include "app/metrics/registry.hpp"
#include "app/store.hpp"
#include "app/threepl/fulfilment_split.hpp"
#include "app/threepl/threepl_types.hpp"
#include "domain/package.hpp"

namespace shipline::app::threepl {

// A notification as the 3PL codec read it.
struct ShipmentNotificationCommand {
  std::string order_number;
  std::string shipment_number;        // optional: the shipment is found otherwise
  std::string carrier;                // optional: falls back to the first package's
  std::string service;                // optional: falls back to the first package's
  std::optional<int64_t> shipped_at;  // when the first package left
  std::vector<domain::Package> packages;
  std::vector<NotifiedItem> items;
  ShipmentReport report;  // kept with the shipment it applies to
};

enum class NotificationOutcome {
  kApplied,         // the shipment was completed, or new packages were recorded
  kAlreadyApplied,  // nothing to do: the shipment was already shipped
  kRejected,        // could not be applied; kept for an operator
};

struct NotificationResult {
  NotificationOutcome outcome = NotificationOutcome::kApplied;
  std::string order_number;
  std::string shipment_number;
  int64_t notification_id = 0;  // the stored notification; 0 for a repeat
  int packages_added = 0;
  // A partial fulfilment: the new RELEASED shipment that holds what did not
  // leave; empty when the whole shipment left.
  std::string rest_shipment_number{};
  // Why it was rejected: kInvalidArgument (unknown sku, quantities beyond the
  // order), kNotFound (order or shipment), kFailedPrecondition (several open
  // shipments and none named), kConflict (cancelled), kUnavailable (capture
  // failed: worth retrying).
  std::optional<Error> rejection;
};

// Reads a stored body again for a replay; the codec provides it.
using NotificationParser = std::function<Result<ShipmentNotificationCommand>(std::string_view)>;

class ShipmentNotifications {
 public:
  static constexpr int kMaxPage = 100;

  // With `metrics` (not owned), received notifications are counted as
  // accepted or rejected.
  ShipmentNotifications(Store& store, CompleteShipment& complete, Clock& clock,
                        metrics::Registry* metrics = nullptr);

  // Applies a notification received from `connection`. `parsed` is the
  // codec's reading of `body` (an error when it did not parse: such a
  // notification is kept as rejected too). Errors are only server faults;
  // rejections come back as a result. `traceparent` is the request's (see
  // Actor): the completion's event and capture continue its trace.
  Result<NotificationResult> Receive(const Connection& connection, std::string_view body,
                                     const Result<ShipmentNotificationCommand>& parsed,
                                     const std::string& request_id,
                                     const std::string& traceparent = "");

  // Applies a kept notification again. kNotFound when there is none;
  // kFailedPrecondition when it was already applied.
  Result<NotificationResult> Replay(const Actor& actor, int64_t id,
                                    const NotificationParser& parse);

  Result<std::vector<InboundNotification>> List(const Actor& actor,
                                                std::optional<NotificationStatus> status,
                                                int64_t before_id, int limit);
  Result<InboundNotification> Get(const Actor& actor, int64_t id);

 private:
  Result<NotificationResult> Apply(const Actor& actor, const ShipmentNotificationCommand& command);
  // One attempt; sets `raced` (having changed nothing) when a concurrent
  // change to the shipment came between its read and its write.
  Result<NotificationResult> ApplyOnce(const Actor& actor,
                                       const ShipmentNotificationCommand& command, bool& raced);
  // Shrinks `shipment` to `split.fulfilled` and inserts the rest as a new
  // RELEASED shipment with its shipment-created event, inside `tx`. nullopt,
  // changing nothing, when the shipment is no longer as it was read.
  Result<std::optional<domain::Shipment>> SplitShipment(StoreWriter& tx, const Actor& actor,
                                                        const domain::Order& order,
                                                        const domain::Shipment& shipment,
                                                        const FulfilmentSplit& split);
  Result<NotificationResult> Keep(InboundNotification& notification, NotificationResult result);

  Store& store_;
  CompleteShipment& complete_;
  Clock& clock_;
  metrics::Counter* accepted_ = nullptr;
  metrics::Counter* rejected_ = nullptr;
};

}  // namespace shipline::app::threepl
