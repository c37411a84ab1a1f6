#pragma once

// A delivery provider reached over HTTP with shipline's provider protocol
// (docs/providers.md): POST {url}/quotes, POST {url}/orders (with an
// Idempotency-Key), PUT {url}/orders/{id} (an edited order; any failure
// leaves the booking as it was), DELETE {url}/orders/{id}; JSON both ways and
// `Authorization: Bearer {token}` when a token is configured. It reports
// progress by calling POST /api/v1/providers/{id}/events, so Status() has
// nothing to ask.
//
// A transport failure, a timeout (connect 5 s, whole call `timeoutMs`,
// default 10 s) or a 4xx/5xx answer is kPlacementFailed; a 2xx answer that
// is not the protocol's JSON, or any other status, is kUnintelligibleAnswer.
// DELETE: 2xx succeeds, 403/409/422 are kCancellationNotAllowed, other
// failures kCancellationFailed. Every call logs one JSON line. Thread-safe:
// each call uses its own curl handle.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "app/clock.hpp"
#include "app/shipping_orders/delivery_provider.hpp"

namespace shipline::adapters {

struct HttpProviderConfig {
  std::string url;  // without a trailing "/"
  std::string token;
  std::chrono::milliseconds timeout{10'000};
  bool cancel_allowed = true;
  bool needs_coordinates = false;
};

// Reads the configuration ({"url", "token", "timeoutMs", "cancelAllowed",
// "needsCoordinates"}). kInvalidArgument naming the field.
Result<HttpProviderConfig> ParseHttpProviderConfig(std::string_view config);

class HttpDeliveryProvider final : public app::DeliveryProvider {
 public:
  // `allow_private`: see BuiltInProviderFactory; otherwise a connection to a
  // loopback, private or link-local address is refused (kPlacementFailed).
  HttpDeliveryProvider(HttpProviderConfig config, bool allow_private);

  Result<app::Quotes> Quote(const domain::ShippingOrder& order,
                            const app::ProviderCall& call) override;
  Result<app::Booking> Book(const domain::ShippingOrder& order, const domain::Estimate& estimate,
                            const app::ProviderCall& call) override;
  Result<void> Cancel(const domain::ShippingOrder& order, const app::ProviderCall& call) override;
  Result<app::Booking> Update(const domain::ShippingOrder& order,
                              const app::ProviderCall& call) override;
  Result<std::optional<app::ProviderStatus>> Status(const domain::ShippingOrder&,
                                                    const app::ProviderCall&) override {
    return std::optional<app::ProviderStatus>();
  }
  bool AllowsCancelAfterDispatch() const override { return config_.cancel_allowed; }
  bool NeedsCoordinates() const override { return config_.needs_coordinates; }

 private:
  struct Answer {
    long status = 0;
    std::string body;
  };
  // One HTTP exchange; an error only when no answer came (transport, timeout).
  Result<Answer> Call(const char* method, const std::string& path, const std::string& body,
                      const app::ProviderCall& call);
  // The booking in a 2xx answer of POST or PUT /orders; `known_id` when the
  // answer names none (an update may omit it).
  Result<app::Booking> ReadBooking(const std::string& what, const Answer& answer,
                                   const domain::ShippingOrder& order, const std::string& known_id);

  HttpProviderConfig config_;
  bool allow_private_;
  app::RandomIdSource ids_;  // each call's span id (traceparent)
};

}  // namespace shipline::adapters
