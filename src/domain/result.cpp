#include "domain/result.hpp"

namespace shipline {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case ErrorCode::kNotFound:
      return "NOT_FOUND";
    case ErrorCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case ErrorCode::kConflict:
      return "CONFLICT";
    case ErrorCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case ErrorCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    case ErrorCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case ErrorCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case ErrorCode::kUnavailable:
      return "UNAVAILABLE";
    case ErrorCode::kInternal:
      return "INTERNAL";
  }
  return "INTERNAL";
}

ErrorCode CodeOf(ErrorReason reason) {
  switch (reason) {
    case ErrorReason::kNone:
      return ErrorCode::kInternal;
    case ErrorReason::kInvalidValue:
    case ErrorReason::kTextTooLong:
    case ErrorReason::kQuantityExceeded:
      return ErrorCode::kInvalidArgument;
    case ErrorReason::kUnknownLocation:
      return ErrorCode::kNotFound;
    case ErrorReason::kAlreadyCompleted:
    case ErrorReason::kAlreadyCancelled:
    case ErrorReason::kNotRetryable:
      return ErrorCode::kConflict;
    case ErrorReason::kShipmentCancelled:
    case ErrorReason::kNoProviderAssigned:
    case ErrorReason::kNoProviderMatched:
    case ErrorReason::kGeocodingFailed:
      return ErrorCode::kFailedPrecondition;
    case ErrorReason::kPlacementFailed:
    case ErrorReason::kUnintelligibleAnswer:
    case ErrorReason::kCancellationFailed:
    case ErrorReason::kStorageFull:
      return ErrorCode::kUnavailable;
    case ErrorReason::kCancellationNotAllowed:
      return ErrorCode::kPermissionDenied;
  }
  return ErrorCode::kInternal;
}

}  // namespace shipline
