#include "http/order_api/order_api_errors.hpp"

namespace shipline::http::order_api {

Refusal RefusalFor(const Error& error) {
  switch (error.reason) {
    case ErrorReason::kAlreadyCompleted:
      return {409, "already completed"};
    case ErrorReason::kShipmentCancelled:
      return {400, "shipment is cancelled"};
    case ErrorReason::kStorageFull:
      return {503, "temporarily unavailable, retry later"};
    default:
      break;  // the code decides
  }
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return {400, error.message};
    case ErrorCode::kNotFound:
      return {404, "unknown shipment"};
    case ErrorCode::kConflict:
    case ErrorCode::kAlreadyExists:
      return {409, "shipment is being completed by another request"};
    case ErrorCode::kFailedPrecondition:
      // A shipment that is not RELEASED nor cancelled is PENDING: not packed.
      return {400, "not good-to-go"};
    case ErrorCode::kUnavailable:
      return {402, "capture failed"};
    default:
      return {500, "internal error"};
  }
}

}  // namespace shipline::http::order_api
