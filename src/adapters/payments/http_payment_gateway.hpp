#pragma once

// A payment provider reached over HTTP with a Stripe-style API.

#include <chrono>
#include <string>

#include "app/clock.hpp"
#include "app/payment_gateway.hpp"

namespace shipline::adapters {

// Captures with `POST {base_url}/v1/payment_intents/{payment reference}/capture`
// (the reference percent-encoded), form body `amount_to_capture=<minor units>`,
// `Authorization: Bearer {secret}` and `Idempotency-Key: {idempotency key}`, so
// a retried capture is captured at most once by the provider. Redirects are
// not followed.
//
// A 2xx answer succeeds; the receipt's reference is the "id" of the JSON
// answer, or the idempotency key when the answer carries no string "id". Any
// other status, a transport failure, or no answer within 5 s to connect and
// `timeout` in all fails with kUnavailable ("payment capture failed"); the
// detail holds the HTTP status or curl's explanation and at most the first
// 200 bytes of the answer, never the secret. Each call logs one JSON line
// (msg, request_id, status, latency_ms; status 0 when no answer came).
//
// Thread-safe: each call uses its own curl handle.
class HttpPaymentGateway final : public app::PaymentGateway {
 public:
  HttpPaymentGateway(std::string base_url, std::string secret,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));

  bool CapturesLocally() const override { return false; }
  Result<app::CaptureReceipt> Capture(const app::CaptureRequest& request) override;

 private:
  std::string base_url_;  // without a trailing "/"
  std::string secret_;
  app::RandomIdSource ids_;  // the capture's span id (traceparent)
  std::chrono::milliseconds timeout_;
};

}  // namespace shipline::adapters
