#include "http/shipping_orders/shipping_errors.hpp"

#include "http/json_io.hpp"

namespace shipline::http::shipping_orders {

namespace {

Response Body(const ErrorType& type, const std::string& message, const std::string& field) {
  json::object body{{"type", type.type},
                    {"code", type.status},
                    {"severity", type.transient ? "transient" : "hard"},
                    {"message", message}};
  if (!field.empty()) body["field"] = field;
  return JsonResponse(type.status, body);
}

}  // namespace

ErrorType TypeFor(Endpoint endpoint, const Error& error) {
  switch (error.reason) {
    case ErrorReason::kInvalidValue:
      // An edit tells a value of the wrong kind (INVALID_DATA) from a missing
      // field or a broken rule (VALIDATION_ERROR); elsewhere it is bad input.
      if (endpoint == Endpoint::kEdit) return {"INVALID_DATA", 400, false};
      break;
    case ErrorReason::kUnknownLocation:
      return endpoint == Endpoint::kEdit ? ErrorType{"INVALID_DATA", 400, false}
                                         : ErrorType{"INVALID_DATA", 422, false};
    case ErrorReason::kNoProviderAssigned:
      return {"NO_PROVIDER_ASSIGNED", 422, false};
    case ErrorReason::kNoProviderMatched:
      return {"NO_PROVIDER_MATCHED", 422, false};
    case ErrorReason::kPlacementFailed:
      return {"PLACE_ORDER_FAILED", 422, true};
    case ErrorReason::kGeocodingFailed:
      return {"GEOCODING_FAILED", 422, false};
    case ErrorReason::kUnintelligibleAnswer:
      return {"UNMAPPED_ERROR", 422, true};
    case ErrorReason::kCancellationNotAllowed:
      return {"CANCELLATION_NOT_ALLOWED", 403, false};
    case ErrorReason::kCancellationFailed:
      return {"ORDER_CANCELLATION_FAILED", 422, false};
    case ErrorReason::kAlreadyCancelled:
      return {"ORDER_ALREADY_CANCELED", 409, false};
    case ErrorReason::kNotRetryable:
      return {"INVALID_OPERATION", 409, false};
    case ErrorReason::kStorageFull:
      return {"SERVICE_UNAVAILABLE", 503, true};
    case ErrorReason::kNone:
    case ErrorReason::kTextTooLong:       // bad input like any other: the code decides
    case ErrorReason::kQuantityExceeded:  // not produced by shipping-order use cases
    case ErrorReason::kAlreadyCompleted:
    case ErrorReason::kShipmentCancelled:
      break;  // no word of this contract: the code decides
  }
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      switch (endpoint) {
        case Endpoint::kList:
          return {"INVALID_DATA", 400, false};
        case Endpoint::kGet:
        case Endpoint::kRetry:
        case Endpoint::kHistory:
          return {"INVALID_DATA", 422, false};
        default:
          return {"VALIDATION_ERROR", 400, false};
      }
    case ErrorCode::kNotFound:
      return {"NOT_FOUND", 404, false};
    case ErrorCode::kAlreadyExists:
      return {"DUPLICATE_ID", 422, false};
    case ErrorCode::kResourceExhausted:
      return {"TOO_MANY_REQUESTS", 429, true};
    default:
      return {"INTERNAL_SERVER_ERROR", 500, true};
  }
}

Response FailureResponse(const Request& request, Endpoint endpoint, const Error& error) {
  ErrorType type = TypeFor(endpoint, error);
  if (type.status >= 500) {
    LogServerFault(request, error);
    return Body(type,
                type.status == 503
                    ? "Service Unavailable: nothing was changed; retry later"
                    : "Internal Server Error: An unexpected error occurred while processing the "
                      "request",
                "");
  }
  if (!error.detail.empty()) LogServerFault(request, error);
  return Body(type, error.message, error.field);
}

Response RouterError(int status, const std::string& message) {
  switch (status) {
    case 401:
      return Body({"UNAUTHORIZED", 401, false},
                  "Unauthorized: Invalid or missing authentication token", "");
    case 403:
      return Body({"FORBIDDEN", 403, false}, "Forbidden: " + message, "");
    case 404:
      return Body({"NOT_FOUND", 404, false}, "Not Found: " + message, "");
    case 405:
      return Body({"METHOD_NOT_ALLOWED", 405, false}, message, "");
    case 429:
      return Body({"TOO_MANY_REQUESTS", 429, true}, "Too many requests received per second.", "");
    case 400:
      return Body({"VALIDATION_ERROR", 400, false}, message, "");
    case 409:  // an Idempotency-Key still in use
      return Body({"INVALID_OPERATION", 409, true}, message, "");
    case 422:  // an Idempotency-Key used for another request
      return Body({"INVALID_DATA", 422, false}, message, "");
    case 413:
      return Body({"PAYLOAD_TOO_LARGE", 413, false}, message, "");
    case 431:
      return Body({"HEADERS_TOO_LARGE", 431, false}, message, "");
    default:
      return Body(
          {"INTERNAL_SERVER_ERROR", 500, true},
          "Internal Server Error: An unexpected error occurred while processing the request", "");
  }
}

}  // namespace shipline::http::shipping_orders
