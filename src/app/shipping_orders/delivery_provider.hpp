#pragma once

// The port every delivery provider implements, whatever it is (the built-in
// rate table, a provider's own HTTP service), and the factory that builds one
// from its stored configuration.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/shipping_orders/delivery_network_repository.hpp"
#include "domain/result.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::app {

struct Quotes {
  // Offers for the order; provider id, name and display name are filled in by
  // the caller. Empty when the provider cannot carry the order.
  std::vector<domain::Estimate> estimates;
  std::string refusal;  // why there is no estimate, when there is none
};

struct Booking {
  std::string provider_order_id;  // the provider's id of the booking
  std::string tracking_id;
  std::string tracking_url;
  std::string label_url;
  std::optional<int64_t> fee;  // minor units; the estimate's when absent
  std::optional<int64_t> pickup_at;
  std::optional<int64_t> delivery_at;
};

struct ProviderCall {
  std::string idempotency_key;  // the same for a repeated call about the same booking
  std::string request_id;       // for the log
  int64_t now = 0;
  // The W3C traceparent of the request (or event) the call follows from; the
  // provider sends a child span of it. Empty: a new trace.
  std::string traceparent{};
};

struct ProviderStatus {
  domain::ShippingOrderStatus status = domain::ShippingOrderStatus::kOrderDispatched;
  std::string sub_status;
  std::string note;
};

// Each call may block up to the provider's own deadline; never call one inside
// Store::Write. Failures carry kPlacementFailed (refused, failed, timed out)
// or kUnintelligibleAnswer (an answer outside the protocol); Cancel also
// kCancellationNotAllowed and kCancellationFailed. Implementations are
// thread-safe.
class DeliveryProvider {
 public:
  virtual ~DeliveryProvider() = default;

  virtual Result<Quotes> Quote(const domain::ShippingOrder& order, const ProviderCall& call) = 0;
  virtual Result<Booking> Book(const domain::ShippingOrder& order, const domain::Estimate& estimate,
                               const ProviderCall& call) = 0;
  virtual Result<void> Cancel(const domain::ShippingOrder& order, const ProviderCall& call) = 0;
  // Asks the provider to change its booking `order.provider_order_id` to
  // what `order` now says (an edit after dispatch: other times, addresses or
  // items), keeping the booked service. Any failure means the booking stands
  // as it was; the caller then cancels it and places the order again.
  // Providers that cannot change a booking keep this default, which refuses.
  virtual Result<Booking> Update(const domain::ShippingOrder& order, const ProviderCall& call) {
    (void)call;
    return Error::Of(ErrorReason::kPlacementFailed,
                     "Failed to place the requested order with the configured providers.",
                     "provider " + order.chosen.provider_id + " does not change bookings");
  }
  // Where a booking stands according to the provider, for providers that can
  // tell on request; nullopt for providers that report by calling shipline.
  virtual Result<std::optional<ProviderStatus>> Status(const domain::ShippingOrder& order,
                                                       const ProviderCall& call) = 0;

  // False when the provider never cancels a booking.
  virtual bool AllowsCancelAfterDispatch() const = 0;
  // True when quotes need pickup and delivery coordinates.
  virtual bool NeedsCoordinates() const = 0;
};

class ProviderFactory {
 public:
  virtual ~ProviderFactory() = default;

  // Checks a configuration for `kind`. kInvalidArgument naming the field
  // ("config.services[0].baseFee") for a bad one or an unknown kind.
  virtual Status Validate(std::string_view kind, std::string_view config) = 0;
  // The provider for a stored record, built once per record version and
  // shared. Thread-safe.
  virtual Result<std::shared_ptr<DeliveryProvider>> Get(const ProviderRecord& record) = 0;
};

// Finds coordinates for an address without them.
class Geocoder {
 public:
  virtual ~Geocoder() = default;
  // kNotFound when the address cannot be placed. Thread-safe; may block.
  virtual Result<std::pair<double, double>> Locate(const domain::PlaceAddress& address) = 0;
};

// The embedded default: places nothing.
class NoGeocoder final : public Geocoder {
 public:
  Result<std::pair<double, double>> Locate(const domain::PlaceAddress&) override {
    return Error::NotFound("no geocoder is configured");
  }
};

}  // namespace shipline::app
