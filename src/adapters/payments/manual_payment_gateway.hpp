#pragma once

// The embedded default payment provider: payment is settled outside shipline
// (invoice, cash on delivery), so a capture is only a ledger entry.

#include "app/payment_gateway.hpp"

namespace shipline::adapters {

// Captures locally: CapturesLocally() is true and Capture never fails, doing
// no I/O; the receipt's reference is "manual-" followed by the request's
// idempotency key, so a retried capture yields the same reference.
// Stateless and thread-safe.
class ManualPaymentGateway final : public app::PaymentGateway {
 public:
  bool CapturesLocally() const override { return true; }
  Result<app::CaptureReceipt> Capture(const app::CaptureRequest& request) override;
};

}  // namespace shipline::adapters
