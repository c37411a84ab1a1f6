#pragma once

// The payment port: captures an authorized payment for one shipment.

#include <cstdint>
#include <string>

#include "domain/result.hpp"

namespace shipline::app {

struct CaptureRequest {
  std::string payment_reference;  // the provider's id of the authorization
  int64_t amount = 0;             // minor units
  std::string currency;
  // Derived from the shipment: a retried capture carries the same key, so the
  // provider captures at most once.
  std::string idempotency_key;
  std::string request_id;  // for the log
  // The request's W3C traceparent; the gateway sends a child span of it.
  std::string traceparent;
};

struct CaptureReceipt {
  std::string reference;  // the provider's id of the capture
};

class PaymentGateway {
 public:
  virtual ~PaymentGateway() = default;

  // True when a capture is only a ledger entry in shipline's own database; the
  // completion then records it in the same transaction as the status change
  // and needs no claim around an outside call.
  virtual bool CapturesLocally() const = 0;

  // Captures the amount. kUnavailable on any refusal, timeout or transport
  // failure, with the cause in the error's detail. Thread-safe; blocks up to
  // the implementation's deadline.
  virtual Result<CaptureReceipt> Capture(const CaptureRequest& request) = 0;
};

}  // namespace shipline::app
