#include "adapters/payments/manual_payment_gateway.hpp"

namespace shipline::adapters {

Result<app::CaptureReceipt> ManualPaymentGateway::Capture(const app::CaptureRequest& request) {
  return app::CaptureReceipt{"manual-" + request.idempotency_key};
}

}  // namespace shipline::adapters
