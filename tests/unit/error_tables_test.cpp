// Each contract's one table from an error's code and reason to its HTTP status
// (and word), for every error the use cases produce. The statuses are those
// the black-box suite pins for each contract document; the message and the
// field never decide one.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/result.hpp"
#include "http/ep/ep_errors.hpp"
#include "http/marketplace/marketplace_errors.hpp"
#include "http/native/native_errors.hpp"
#include "http/order_api/order_api_errors.hpp"
#include "http/shipping_orders/shipping_errors.hpp"
#include "http/threepl/threepl_errors.hpp"

namespace shipline {
namespace {

using R = ErrorReason;

Error Busy() { return {ErrorCode::kResourceExhausted, "busy", {}, {}}; }
Error OverShipped() {
  return Error::Invalid("shipments would hold 2 of line item 1 but 1 were ordered",
                        "items[0].quantity")
      .Because(R::kQuantityExceeded);
}
Error AlreadyCompleted() { return Error::Of(R::kAlreadyCompleted, "Shipment already completed"); }
Error Cancelled() { return Error::Of(R::kShipmentCancelled, "Shipment is CANCELLED"); }
Error DiskFull() {
  return Error::Of(R::kStorageFull, "storage is full, retry later", "SQLITE_FULL");
}

TEST(ErrorReason, OfGivesTheCodeTheReasonImplies) {
  const std::vector<std::pair<R, ErrorCode>> cases = {
      {R::kInvalidValue, ErrorCode::kInvalidArgument},
      {R::kTextTooLong, ErrorCode::kInvalidArgument},
      {R::kQuantityExceeded, ErrorCode::kInvalidArgument},
      {R::kUnknownLocation, ErrorCode::kNotFound},
      {R::kAlreadyCompleted, ErrorCode::kConflict},
      {R::kShipmentCancelled, ErrorCode::kFailedPrecondition},
      {R::kNoProviderAssigned, ErrorCode::kFailedPrecondition},
      {R::kNoProviderMatched, ErrorCode::kFailedPrecondition},
      {R::kPlacementFailed, ErrorCode::kUnavailable},
      {R::kGeocodingFailed, ErrorCode::kFailedPrecondition},
      {R::kUnintelligibleAnswer, ErrorCode::kUnavailable},
      {R::kCancellationNotAllowed, ErrorCode::kPermissionDenied},
      {R::kCancellationFailed, ErrorCode::kUnavailable},
      {R::kAlreadyCancelled, ErrorCode::kConflict},
      {R::kNotRetryable, ErrorCode::kConflict},
      {R::kStorageFull, ErrorCode::kUnavailable},
  };
  for (const auto& [reason, code] : cases) {
    Error error = Error::Of(reason, "m", "d");
    EXPECT_EQ(error.code, code) << static_cast<int>(reason);
    EXPECT_EQ(error.reason, reason);
    EXPECT_EQ(error.message, "m");
    EXPECT_EQ(error.detail, "d");
  }
}

TEST(ErrorReason, BecauseKeepsTheCodeMessageAndField) {
  Error error = Error::NotFound("gone").Because(R::kUnknownLocation);
  EXPECT_EQ(error.code, ErrorCode::kNotFound);
  EXPECT_EQ(error.reason, R::kUnknownLocation);
  EXPECT_EQ(error.message, "gone");
  EXPECT_EQ(OverShipped().field, "items[0].quantity");
}

TEST(EpErrors, CompletionErrorsMapToTheContractStatuses) {
  EXPECT_EQ(http::ep::StatusFor(Error::Invalid("shipmentNumber is required")), 400);
  EXPECT_EQ(http::ep::StatusFor(Error::Precondition("not RELEASED")), 400);
  EXPECT_EQ(http::ep::StatusFor(Cancelled()), 400);
  EXPECT_EQ(http::ep::StatusFor(Error::NotFound("Shipment not found")), 404);
  EXPECT_EQ(http::ep::StatusFor(AlreadyCompleted()), 409);
  EXPECT_EQ(http::ep::StatusFor(Error::Conflict("being completed")), 409);
  EXPECT_EQ(http::ep::StatusFor(Error::Exists("taken")), 409);
  EXPECT_EQ(http::ep::StatusFor(Error::Unavailable("Payment capture failed", "declined")), 500);
  EXPECT_EQ(http::ep::StatusFor(Error::Internal("disk")), 500);
  EXPECT_EQ(http::ep::StatusFor(DiskFull()), 503);
}

TEST(OrderApiErrors, CompletionErrorsMapToTheContractStatusAndMsg) {
  using http::order_api::RefusalFor;
  struct Case {
    Error error;
    int status;
    std::string msg;
  };
  const std::vector<Case> cases = {
      {Error::Invalid("order is required", "order"), 400, "order is required"},
      {Cancelled(), 400, "shipment is cancelled"},
      {Error::Precondition("Shipment is not in RELEASED status: 1-1 is PENDING"), 400,
       "not good-to-go"},
      {Error::NotFound("Shipment not found"), 404, "unknown shipment"},
      {AlreadyCompleted(), 409, "already completed"},
      {Error::Conflict("being completed"), 409, "shipment is being completed by another request"},
      {Error::Exists("taken"), 409, "shipment is being completed by another request"},
      {Error::Unavailable("Payment capture failed", "declined"), 402, "capture failed"},
      {Error::Internal("disk"), 500, "internal error"},
      {DiskFull(), 503, "temporarily unavailable, retry later"},
  };
  for (const auto& c : cases) {
    auto refusal = RefusalFor(c.error);
    EXPECT_EQ(refusal.status, c.status) << c.error.message;
    EXPECT_EQ(refusal.msg, c.msg) << c.error.message;
  }
}

// Regression: the status came from the message ("Shipment already
// completed", "CANCELLED"); only the reason decides now.
TEST(OrderApiErrors, TheMessageNeverDecides) {
  auto conflict = http::order_api::RefusalFor(Error::Conflict("Shipment already completed: 1-1"));
  EXPECT_EQ(conflict.msg, "shipment is being completed by another request");
  auto precondition =
      http::order_api::RefusalFor(Error::Precondition("Shipment CANCELLED-1 is PENDING"));
  EXPECT_EQ(precondition.msg, "not good-to-go");
}

TEST(MarketplaceErrors, ShipmentErrorsMapToTheContractStatuses) {
  using http::marketplace::StatusFor;
  EXPECT_EQ(StatusFor(OverShipped()), 400);
  EXPECT_EQ(StatusFor(Error::Invalid("sku is required", "items[0].sku")), 422);
  EXPECT_EQ(StatusFor(Error::Invalid("trackingUrl must be an http(s) URL", "trackingUrl")), 422);
  EXPECT_EQ(StatusFor(Error::NotFound("Invoice not found")), 404);
  EXPECT_EQ(StatusFor(Error::Exists("taken")), 409);
  EXPECT_EQ(StatusFor(Error::Conflict("no free shipment number")), 409);
  EXPECT_EQ(StatusFor(Error::Precondition("Shipment 1-1 is cancelled")), 422);
  EXPECT_EQ(StatusFor(Busy()), 429);
  EXPECT_EQ(StatusFor(Error::Unavailable("Payment capture failed", "declined")), 422);
  EXPECT_EQ(StatusFor(Error::Internal("disk")), 500);
  EXPECT_EQ(StatusFor(DiskFull()), 503);
}

// Regression: a field named "items[k].quantity" made a 400; only the reason
// decides now.
TEST(MarketplaceErrors, TheFieldNeverDecides) {
  EXPECT_EQ(http::marketplace::StatusFor(
                Error::Invalid("quantity must be between 1 and 1000000", "items[0].quantity")),
            422);
}

TEST(NativeErrors, ErrorsMapToTheContractStatuses) {
  using http::native::StatusFor;
  EXPECT_EQ(StatusFor(Error::Invalid("bad")), 400);
  EXPECT_EQ(StatusFor(OverShipped()), 400);
  EXPECT_EQ(StatusFor(Error::Precondition("not PENDING")), 400);
  EXPECT_EQ(StatusFor(Cancelled()), 400);
  EXPECT_EQ(StatusFor({ErrorCode::kUnauthenticated, "no", {}, {}}), 401);
  EXPECT_EQ(StatusFor(Error::Of(R::kCancellationNotAllowed, "no")), 403);
  EXPECT_EQ(StatusFor(Error::NotFound("gone")), 404);
  EXPECT_EQ(StatusFor(Error::Of(R::kUnknownLocation, "gone")), 404);
  EXPECT_EQ(StatusFor(Error::Exists("taken")), 409);
  EXPECT_EQ(StatusFor(AlreadyCompleted()), 409);
  EXPECT_EQ(StatusFor(Busy()), 429);
  EXPECT_EQ(StatusFor(Error::Unavailable("down", "smtp")), 503);
  EXPECT_EQ(StatusFor(DiskFull()), 503);
  EXPECT_EQ(StatusFor(Error::Internal("disk")), 500);
}

TEST(ThreePlErrors, RejectionsMapToTheReceiverStatuses) {
  using http::threepl::RejectionStatus;
  EXPECT_EQ(RejectionStatus(Error::Invalid("not JSON"), true), 400);
  EXPECT_EQ(RejectionStatus(Error::NotFound("Order not found"), false), 404);
  EXPECT_EQ(RejectionStatus(Error::Conflict("no shipment left"), false), 409);
  EXPECT_EQ(RejectionStatus(Error::Precondition("Order has 2 shipments"), false), 409);
  EXPECT_EQ(RejectionStatus(AlreadyCompleted(), false), 409);
  EXPECT_EQ(RejectionStatus(Cancelled(), false), 409);
  EXPECT_EQ(RejectionStatus(Error::Exists("taken"), false), 409);
  EXPECT_EQ(RejectionStatus(Error::Invalid("unknown sku", "items[0].sku"), false), 422);
  EXPECT_EQ(RejectionStatus(OverShipped(), false), 422);
  EXPECT_EQ(RejectionStatus(Error::Unavailable("Payment capture failed", "declined"), false), 503);
  EXPECT_EQ(RejectionStatus(Error::Internal("disk"), false), 500);
  EXPECT_EQ(RejectionStatus(DiskFull(), false), 503);
}

TEST(ShippingOrderErrors, ReasonsMapToTheSeedsErrorTable) {
  using http::shipping_orders::Endpoint;
  using http::shipping_orders::TypeFor;
  struct Case {
    Error error;
    const char* type;
    int status;
    bool transient;
  };
  const std::vector<Case> cases = {
      {Error::Of(R::kUnknownLocation, "m"), "INVALID_DATA", 422, false},
      {Error::Exists("taken"), "DUPLICATE_ID", 422, false},
      {Error::NotFound("m"), "NOT_FOUND", 404, false},
      {Error::Of(R::kNoProviderAssigned, "m"), "NO_PROVIDER_ASSIGNED", 422, false},
      {Error::Of(R::kNoProviderMatched, "m"), "NO_PROVIDER_MATCHED", 422, false},
      {Error::Of(R::kPlacementFailed, "m"), "PLACE_ORDER_FAILED", 422, true},
      {Error::Of(R::kGeocodingFailed, "m"), "GEOCODING_FAILED", 422, false},
      {Error::Of(R::kUnintelligibleAnswer, "m"), "UNMAPPED_ERROR", 422, true},
      {Error::Of(R::kCancellationNotAllowed, "m"), "CANCELLATION_NOT_ALLOWED", 403, false},
      {Error::Of(R::kCancellationFailed, "m"), "ORDER_CANCELLATION_FAILED", 422, false},
      {Error::Of(R::kAlreadyCancelled, "m"), "ORDER_ALREADY_CANCELED", 409, false},
      {Error::Of(R::kNotRetryable, "m"), "INVALID_OPERATION", 409, false},
      {Busy(), "TOO_MANY_REQUESTS", 429, true},
      {Error::Internal("disk"), "INTERNAL_SERVER_ERROR", 500, true},
      {Error::Conflict("lost a race"), "INTERNAL_SERVER_ERROR", 500, true},
      {Error::Unavailable("down", "store"), "INTERNAL_SERVER_ERROR", 500, true},
      {DiskFull(), "SERVICE_UNAVAILABLE", 503, true},
  };
  for (const auto& c : cases) {
    http::shipping_orders::ErrorType type = TypeFor(Endpoint::kCreate, c.error);
    EXPECT_STREQ(type.type, c.type) << c.error.message;
    EXPECT_EQ(type.status, c.status) << c.type;
    EXPECT_EQ(type.transient, c.transient) << c.type;
  }
}

TEST(ShippingOrderErrors, BadInputDependsOnTheEndpoint) {
  using http::shipping_orders::Endpoint;
  using http::shipping_orders::TypeFor;
  const Error input = Error::Invalid("pickupAddress is required", "pickupAddress");
  const Error value = Error::Of(R::kInvalidValue, "Invalid data: Invalid Order Id");
  const Error location = Error::Of(R::kUnknownLocation, "No such locationExternalId");
  struct Case {
    Endpoint endpoint;
    const Error& error;
    const char* type;
    int status;
  };
  const std::vector<Case> cases = {
      {Endpoint::kCreate, input, "VALIDATION_ERROR", 400},
      {Endpoint::kCreate, value, "VALIDATION_ERROR", 400},
      {Endpoint::kCancel, value, "VALIDATION_ERROR", 400},
      {Endpoint::kList, input, "INVALID_DATA", 400},
      {Endpoint::kList, value, "INVALID_DATA", 400},
      {Endpoint::kGet, value, "INVALID_DATA", 422},
      {Endpoint::kHistory, value, "INVALID_DATA", 422},
      {Endpoint::kRetry, value, "INVALID_DATA", 422},
      {Endpoint::kEdit, input, "VALIDATION_ERROR", 400},
      {Endpoint::kEdit, value, "INVALID_DATA", 400},
      {Endpoint::kEdit, location, "INVALID_DATA", 400},
      {Endpoint::kCreate, location, "INVALID_DATA", 422},
      {Endpoint::kRetry, location, "INVALID_DATA", 422},
  };
  for (const auto& c : cases) {
    http::shipping_orders::ErrorType type = TypeFor(c.endpoint, c.error);
    EXPECT_STREQ(type.type, c.type) << c.error.message << " at " << static_cast<int>(c.endpoint);
    EXPECT_EQ(type.status, c.status) << c.error.message << " at " << static_cast<int>(c.endpoint);
  }
}

}  // namespace
}  // namespace shipline
