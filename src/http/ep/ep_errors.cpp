#include "http/ep/ep_errors.hpp"

#include "http/json_io.hpp"
#include "http/router.hpp"

namespace shipline::http::ep {

namespace {

constexpr const char* kGenericFailure = "The shipment could not be completed due to a server error";
constexpr const char* kRetryLater =
    "The shipment could not be completed now; nothing was changed, retry later";

}  // namespace

int StatusFor(const Error& error) {
  // A full disk passes: the client is told to retry (503, Retry-After).
  if (error.reason == ErrorReason::kStorageFull) return 503;
  // The contract has no words finer than the code: every other reason falls
  // to it.
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
    case ErrorCode::kAlreadyExists:
      return 409;
    default:
      return 500;
  }
}

Response ErrorResponse(const Request& request, const Error& error) {
  int status = StatusFor(error);
  if (status >= 500) {
    LogServerFault(request, error);
    return SimpleError(status, status == 503 ? kRetryLater : kGenericFailure);
  }
  return SimpleError(status, error.message);
}

}  // namespace shipline::http::ep
