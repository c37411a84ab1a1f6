#pragma once

// The shipment completion use case shared by every completion contract (ep,
// the order API, the marketplace's new shipments, 3PL notifications):
// validate, capture the shipment's payment, move it to SHIPPED with its
// carrier and tracking, and write the order-shipment-shipped event in the
// same transaction. The email follows asynchronously from that event, when
// the event says so.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/metrics/registry.hpp"
#include "app/payment_gateway.hpp"
#include "app/store.hpp"
#include "app/storefront_repository.hpp"

namespace shipline::app {

struct CompleteShipmentCommand {
  std::string shipment_number;
  std::string tracking_number;  // optional; empty keeps the shipment's
  std::string carrier;          // optional; matched against the store's carriers
  // When set, the shipment must belong to this order (else kNotFound).
  std::string order_number{};
  std::string tracking_url{};  // optional; empty: made from the carrier's template
  std::string service{};       // optional; empty keeps the shipment's
  std::optional<int64_t> package_count{};
  std::string return_tracking_number{};
  std::string internal_comment{};  // appended to the shipment's on a new line
  std::optional<int64_t> dispatched_at{};
  // False completes without capturing the payment.
  bool capture = true;
  // Whether to email the customer; nullopt: the store's "send shipping
  // confirmation" setting decides.
  std::optional<bool> send_email{};
  // The client says the shipment is good to go: a PENDING one is released
  // first (with its own status change and event).
  bool release_pending = false;
};

struct CompletedShipment {
  std::string shipment_number;
  std::string order_number;
  domain::ShipmentStatus status = domain::ShipmentStatus::kShipped;
  int64_t event_id = 0;
  // Things the caller may show: e.g. a tracking number that fails the check
  // of the carrier it was given with. The completion succeeded regardless.
  std::vector<std::string> warnings{};
  domain::Shipment shipment{};  // as recorded, without status history
  int64_t order_id{};
  bool send_email{};  // the decision recorded on the event
};

class CompleteShipment {
 public:
  // With `metrics` (not owned), completions and captures are counted.
  CompleteShipment(Store& store, PaymentGateway& payments, Clock& clock, IdSource& ids,
                   metrics::Registry* metrics = nullptr);

  // Errors: kInvalidArgument (blank number, oversized field), kNotFound (no
  // such shipment for the tenant, or not in the named order), kConflict
  // (reason kAlreadyCompleted when already SHIPPED or DELIVERED; none when a
  // concurrent completion holds the shipment), kFailedPrecondition (not
  // RELEASED, nor PENDING with release_pending; reason kShipmentCancelled
  // when CANCELLED),
  // kUnavailable (capture failed: the shipment stays RELEASED, no event is
  // written), kInternal. Thread-safe; blocks on the store and the payment
  // provider.
  Result<CompletedShipment> Run(const Actor& actor, const CompleteShipmentCommand& command);

  // How long a completion that captures through an outside provider holds its
  // claim; a node that dies mid-capture frees the shipment after this.
  static constexpr int64_t kClaimMillis = 60'000;

 private:
  struct Loaded {
    // Only what OrderRepository::FindShipmentInOrder reads of the order.
    domain::Order order;
    domain::Shipment shipment;
    StorefrontSettings settings;
  };

  Result<CompletedShipment> Finish(const Actor& actor, const CompleteShipmentCommand& command,
                                   const Loaded& loaded, const std::string& claim_token,
                                   int64_t amount, const std::string& capture_reference);
  Status Load(const Actor& actor, const CompleteShipmentCommand& command, Loaded& loaded);
  Status ReleaseIfPending(const Actor& actor, const CompleteShipmentCommand& command,
                          Loaded& loaded);

  Store& store_;
  PaymentGateway& payments_;
  Clock& clock_;
  IdSource& ids_;
  metrics::Counter* completions_ = nullptr;
  metrics::Counter* captures_succeeded_ = nullptr;
  metrics::Counter* captures_failed_ = nullptr;
};

}  // namespace shipline::app
