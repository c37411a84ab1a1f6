#include "http/marketplace/marketplace_errors.hpp"

#include "http/json_io.hpp"
#include "http/marketplace/jsonapi.hpp"

namespace shipline::http::marketplace {

int StatusFor(const Error& error) {
  switch (error.reason) {
    case ErrorReason::kQuantityExceeded:
      return 400;
    case ErrorReason::kStorageFull:
      return 503;
    default:
      break;  // the code decides
  }
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return 422;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kFailedPrecondition:
      return 422;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      // Payment capture for the new shipment failed: it was not created.
      return 422;
    default:
      return 500;
  }
}

Response ErrorFor(const Request& request, const Error& error, std::string_view pointer) {
  int status = StatusFor(error);
  if (status >= 500) {
    LogServerFault(request, error);
    return ErrorDocument(
        status, status == 503 ? "temporarily unavailable, retry later" : "internal server error");
  }
  return ErrorDocument(status, error.message, pointer);
}

}  // namespace shipline::http::marketplace
