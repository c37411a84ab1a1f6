#include "http/shipping_orders/shipping_errors.hpp"

#include "http/json_io.hpp"

namespace shipline::http::shipping_orders {

using app::Reason;

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

ErrorType TypeFor(Endpoint endpoint, Reason reason) {
  switch (reason) {
    case Reason::kInvalidInput:
    case Reason::kInvalidValue:
      switch (endpoint) {
        case Endpoint::kList:
          return {"INVALID_DATA", 400, false};
        case Endpoint::kGet:
        case Endpoint::kRetry:
        case Endpoint::kHistory:
          return {"INVALID_DATA", 422, false};
        case Endpoint::kEdit:
          return reason == Reason::kInvalidValue ? ErrorType{"INVALID_DATA", 400, false}
                                                 : ErrorType{"VALIDATION_ERROR", 400, false};
        default:
          return {"VALIDATION_ERROR", 400, false};
      }
    case Reason::kUnknownLocation:
      return endpoint == Endpoint::kEdit ? ErrorType{"INVALID_DATA", 400, false}
                                         : ErrorType{"INVALID_DATA", 422, false};
    case Reason::kNotFound:
      return {"NOT_FOUND", 404, false};
    case Reason::kDuplicateId:
      return {"DUPLICATE_ID", 422, false};
    case Reason::kNoProviderAssigned:
      return {"NO_PROVIDER_ASSIGNED", 422, false};
    case Reason::kNoProviderMatched:
      return {"NO_PROVIDER_MATCHED", 422, false};
    case Reason::kPlacementFailed:
      return {"PLACE_ORDER_FAILED", 422, true};
    case Reason::kGeocodingFailed:
      return {"GEOCODING_FAILED", 422, false};
    case Reason::kUnintelligibleAnswer:
      return {"UNMAPPED_ERROR", 422, true};
    case Reason::kCancellationNotAllowed:
      return {"CANCELLATION_NOT_ALLOWED", 403, false};
    case Reason::kCancellationFailed:
      return {"ORDER_CANCELLATION_FAILED", 422, false};
    case Reason::kAlreadyCancelled:
      return {"ORDER_ALREADY_CANCELED", 409, false};
    case Reason::kNotRetryable:
      return {"INVALID_OPERATION", 409, false};
    case Reason::kBusy:
      return {"TOO_MANY_REQUESTS", 429, true};
    case Reason::kInternal:
      return {"INTERNAL_SERVER_ERROR", 500, true};
  }
  return {"INTERNAL_SERVER_ERROR", 500, true};
}

Response FailureResponse(const Request& request, Endpoint endpoint, const app::Failure& failure) {
  ErrorType type = TypeFor(endpoint, failure.reason);
  if (type.status >= 500) {
    LogServerFault(request, failure.error);
    return Body(type,
                "Internal Server Error: An unexpected error occurred while processing the request",
                "");
  }
  if (!failure.error.detail.empty()) {
    app::Failure logged = failure;
    LogServerFault(request, logged.error);
  }
  return Body(type, failure.error.message, failure.error.field);
}

Response RouterError(int status, const std::string& message) {
  switch (status) {
    case 401:
      return Body({"UNAUTHORIZED", 401, false},
                  "Unauthorized: Invalid or missing authentication token", "");
    case 404:
      return Body({"NOT_FOUND", 404, false}, "Not Found: " + message, "");
    case 405:
      return Body({"METHOD_NOT_ALLOWED", 405, false}, message, "");
    case 429:
      return Body({"TOO_MANY_REQUESTS", 429, true}, "Too many requests received per second.", "");
    default:
      return Body(
          {"INTERNAL_SERVER_ERROR", 500, true},
          "Internal Server Error: An unexpected error occurred while processing the request", "");
  }
}

}  // namespace shipline::http::shipping_orders
