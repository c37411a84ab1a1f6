#include "http/native/native_errors.hpp"

#include "http/json_io.hpp"

namespace shipline::http::native {

int StatusFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
    case ErrorCode::kConflict:
      return 409;
    case ErrorCode::kResourceExhausted:
      return 429;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Request& request, const Error& error) {
  int status = StatusFor(error);
  if (status >= 500) {
    LogServerFault(request, error);
    return JsonResponse(status, json::object{{"error", status == 503 ? "a dependency is unavailable"
                                                                     : "internal server error"},
                                             {"code", ErrorCodeName(error.code)}});
  }
  json::object body{{"error", error.message}, {"code", ErrorCodeName(error.code)}};
  if (!error.field.empty()) body["field"] = error.field;
  return JsonResponse(status, body);
}

Response NativeError(int status, const std::string& message) {
  const char* code = status == 400   ? "INVALID_ARGUMENT"
                     : status == 401 ? "UNAUTHENTICATED"
                     : status == 403 ? "PERMISSION_DENIED"
                     : status == 404 ? "NOT_FOUND"
                     : status == 405 ? "METHOD_NOT_ALLOWED"
                     : status == 409 ? "CONFLICT"
                     : status == 422 ? "IDEMPOTENCY_KEY_REUSED"
                     : status == 413 ? "PAYLOAD_TOO_LARGE"
                     : status == 431 ? "HEADERS_TOO_LARGE"
                                     : "INTERNAL";
  return JsonResponse(status, json::object{{"error", message}, {"code", code}});
}

}  // namespace shipline::http::native
