#pragma once

// The shipping-order use cases: create (validate, store, place with a
// provider), read, edit, cancel (at shipline and at the provider), retry a
// failed placement, and take status updates from providers. Provider calls
// never run inside a store transaction: an order is stored first (its unique
// external id decides between concurrent creates), placed, and the outcome
// recorded in a second transaction. Every status change is a history row and
// a shipping-order-status-changed event written with it.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/shipping_orders/delivery_provider.hpp"
#include "app/shipping_orders/placement.hpp"
#include "app/shipping_orders/shipping_order_list.hpp"
#include "app/store.hpp"

namespace shipline::app {

struct PlacedOrder {
  domain::ShippingOrder order;
  std::vector<std::string> warnings;  // for the caller to pass on to the user
};

// A status a provider reports about one of its bookings.
struct ProviderUpdate {
  std::string provider_order_id;  // the provider's id of the booking, or
  std::string external_id;        // the order's orderExternalId
  domain::ShippingOrderStatus status = domain::ShippingOrderStatus::kPickupStarted;
  std::string sub_status;
  std::string note;
  std::string reason_code;
  std::string reason_title;
  std::string reason_note;
  std::optional<int64_t> occurred_at;  // when it happened; now when absent
  std::string tracking_id;             // replaces the tracking id when given
};

struct ProviderUpdateResult {
  bool applied = false;  // false: late or repeated, the order did not move
  domain::ShippingOrder order;
};

// Copies a booking (and the estimate it was booked on) onto the order.
void ApplyBooking(domain::ShippingOrder& order, const domain::Estimate& chosen,
                  const Booking& booking);
// The stable code recorded as the reason of an ORDER_FAILED change.
const char* FailureCode(ErrorReason reason);
Error OrderNotFound(std::string_view id);

class ShippingOrders {
 public:
  ShippingOrders(Store& store, ProviderFactory& providers, Geocoder& geocoder, Clock& clock,
                 IdSource& ids)
      : store_(store),
        providers_(providers),
        geocoder_(geocoder),
        clock_(clock),
        ids_(ids),
        placement_(clock) {}

  // Failures (an ErrorReason, or the ErrorCode when the reason is kNone):
  // kInvalidArgument, kUnknownLocation, kNoProviderAssigned, kGeocodingFailed,
  // kAlreadyExists for a taken orderExternalId (nothing stored);
  // kNoProviderMatched, kPlacementFailed, kUnintelligibleAnswer (the order is
  // stored in ORDER_FAILED and can be retried); kResourceExhausted, kInternal.
  Result<PlacedOrder> Create(const Actor& actor, domain::ShippingOrder order);

  // kNotFound. With history, every status change oldest first.
  Result<domain::ShippingOrder> Get(const Actor& actor, std::string_view external_id,
                                    bool with_history);

  // The order with its history and the IANA time zone to show it in: its
  // location's, else the tenant's default, else "" for UTC. kNotFound.
  struct OrderHistory {
    domain::ShippingOrder order;
    std::string time_zone;
  };
  Result<OrderHistory> History(const Actor& actor, std::string_view external_id);

  // Applies `change` to the stored order and stores the result. Failures of
  // `change` are kInvalidValue; a change the rules forbid (a package after
  // dispatch, a finished order) kInvalidArgument; a new location that does not
  // exist kInvalidValue, one without providers kNoProviderAssigned; a new
  // orderExternalId that is taken kAlreadyExists; kNotFound.
  //
  // An edit that changes where, when or what is delivered of a dispatched
  // order (domain::ChangesDelivery) places it again (shipping_order_edit.cpp):
  // the booked provider is asked to update its booking; where it cannot, the
  // order is quoted again and ranked by the rules, the old booking cancelled
  // and the best new estimate booked. kGeocodingFailed, kNoProviderMatched,
  // kPlacementFailed (also: the old booking could not be cancelled) and
  // kUnintelligibleAnswer before the cancellation leave the order as it was;
  // a booking that fails after it leaves the edited order ORDER_FAILED (it can
  // be retried) and answers kPlacementFailed.
  Result<PlacedOrder> Edit(const Actor& actor, std::string_view external_id,
                           const std::function<Status(domain::ShippingOrder&)>& change);

  // kNotFound, kAlreadyCancelled, kCancellationNotAllowed (the provider or the
  // order's state forbids it), kCancellationFailed, kUnintelligibleAnswer.
  Result<domain::ShippingOrder> Cancel(const Actor& actor, std::string_view external_id);

  // A page of the tenant's orders (see shipping_order_list.hpp).
  Result<ListPage> List(const Actor& actor, const ListRequest& request) {
    return ListShippingOrders(store_, clock_, actor, request);
  }

  // Places a failed order again. kNotFound, kNotRetryable, and the placement
  // failures of Create.
  Result<PlacedOrder> Retry(const Actor& actor, std::string_view external_id);

  // Moves an order forward as its provider reports; a report that the status
  // table does not allow (late, repeated, backwards) changes nothing and is
  // not an error. kNotFound (no such provider or booking), kInvalidArgument (a
  // status providers do not report).
  Result<ProviderUpdateResult> ApplyProviderUpdate(const Actor& actor, std::string_view provider_id,
                                                   const ProviderUpdate& update);

  // Demo mode: asks every rate-table provider where its bookings stand and
  // records the progress. Returns how many orders moved.
  Result<int> AdvanceSimulated(int limit);

  // How long a placement may hold an order before another may start.
  static constexpr int64_t kPlacementLeaseMillis = 120'000;

 private:
  struct Context {
    Location location;
    std::vector<AssignedProvider> providers;
    std::vector<domain::OrchestrationRule> rules;
  };

  Result<Context> LoadContext(int64_t tenant_id, const std::string& location_id);
  // The provider `order` is booked with; a null pointer, with `why` set, when
  // it is no longer configured or cannot be built. Fails only on the store.
  Result<std::shared_ptr<DeliveryProvider>> BookedProvider(int64_t tenant_id,
                                                           const domain::ShippingOrder& order,
                                                           std::string& why);
  // Ends the placement `claimed` started (placing_until), unless another
  // placement has taken the order since. Logs a failure.
  void ReleasePlacement(const domain::ShippingOrder& claimed);
  // The second half of an edit that changes the delivery of a dispatched
  // order: `claimed` is the stored order, claimed for placement, `edited` the
  // order as edited (same placement attempt).
  Result<PlacedOrder> PlaceEdited(const Actor& actor, const domain::ShippingOrder& claimed,
                                  domain::ShippingOrder edited);
  // Stores the outcome of PlaceEdited, if `claimed`'s placement still holds
  // the order: `edited` with the provider's changed booking, or with a new
  // placement (booked: ORDER_DISPATCHED again with `note`; not booked:
  // ORDER_FAILED without a booking, answering the placement's failure).
  // Cancels the booking `placed` made for `order` (best effort, logged).
  void UndoBooking(const Actor& actor, const domain::ShippingOrder& order,
                   const PlacementResult& placed);
  struct EditOutcome {
    std::optional<Booking> updated;           // the booked provider changed its booking
    const PlacementResult* placed = nullptr;  // a new placement (booked or failed)
    std::string note;                         // for the history row of a new placement
  };
  Result<PlacedOrder> RecordEdit(const Actor& actor, const domain::ShippingOrder& claimed,
                                 domain::ShippingOrder edited, const EditOutcome& outcome,
                                 std::vector<std::string> warnings);
  Result<PlacedOrder> PlaceAndRecord(const Actor& actor, domain::ShippingOrder order,
                                     const Context& context, std::vector<std::string> warnings);
  // Records a status change on `order` (history row and event); the caller
  // stores the order.
  Status RecordChange(StoreWriter& tx, domain::ShippingOrder& order,
                      domain::ShippingStatusChange change);
  using Finder = std::function<Result<std::optional<domain::ShippingOrder>>(StoreWriter&)>;
  // Moves the order `find` finds (in the write transaction) to the update's
  // status when the table allows it; with `step_through`, through every
  // progress status in between.
  Result<ProviderUpdateResult> Advance(const std::string& by, const Finder& find,
                                       const ProviderUpdate& update, bool step_through);

  Store& store_;
  ProviderFactory& providers_;
  Geocoder& geocoder_;
  Clock& clock_;
  IdSource& ids_;
  Placement placement_;
};

}  // namespace shipline::app
