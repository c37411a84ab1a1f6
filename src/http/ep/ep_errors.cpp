#include "http/ep/ep_errors.hpp"

#include "http/json_io.hpp"
#include "http/router.hpp"

namespace shipline::http::ep {

namespace {

constexpr const char* kGenericFailure = "The shipment could not be completed due to a server error";

}  // namespace

int StatusFor(const Error& error) {
  // The contract has no words finer than the code: every reason falls to it.
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
  if (status == 500) {
    LogServerFault(request, error);
    return SimpleError(500, kGenericFailure);
  }
  return SimpleError(status, error.message);
}

}  // namespace shipline::http::ep
