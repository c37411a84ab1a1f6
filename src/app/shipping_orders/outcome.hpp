#pragma once

// Results of the shipping-order use cases. The Shipping Order API tells its
// clients apart many failures that share one ErrorCode (an unknown location
// and a malformed field are both bad input; no provider assigned and no
// provider matched are both unmet preconditions), so each failure here carries
// a Reason next to its Error. Codecs map the reason to their own words.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "domain/result.hpp"

namespace shipline::app {

enum class Reason {
  kInvalidInput,            // a required field is missing or the order breaks a rule
  kInvalidValue,            // a field holds a value of the wrong kind or range
  kUnknownLocation,         // the order names a location the tenant does not have
  kNotFound,                // no such order for the tenant
  kDuplicateId,             // the orderExternalId is taken for the tenant
  kNoProviderAssigned,      // the location has no provider
  kNoProviderMatched,       // no estimate passed the orchestration rules
  kPlacementFailed,         // every provider refused, failed or timed out (transient)
  kGeocodingFailed,         // the delivery address has no coordinates and none were found
  kUnintelligibleAnswer,    // a provider answered something that is not the protocol (transient)
  kCancellationNotAllowed,  // the provider does not allow cancelling this order
  kCancellationFailed,      // the provider failed to cancel
  kAlreadyCancelled,
  kNotRetryable,  // the order is not in a state that can be retried
  kBusy,          // a limit was hit (transient)
  kInternal,      // a bug or a storage fault; the client sees a generic message
};

struct Failure {
  Reason reason = Reason::kInternal;
  Error error;

  // The reason that an error from a lower layer (store, validation) implies.
  static Failure From(Error error) {
    Reason reason = Reason::kInternal;
    switch (error.code) {
      case ErrorCode::kInvalidArgument:
        reason = Reason::kInvalidInput;
        break;
      case ErrorCode::kNotFound:
        reason = Reason::kNotFound;
        break;
      case ErrorCode::kAlreadyExists:
        reason = Reason::kDuplicateId;
        break;
      case ErrorCode::kResourceExhausted:
        reason = Reason::kBusy;
        break;
      default:
        break;
    }
    return {reason, std::move(error)};
  }
  static Failure Of(Reason reason, std::string message, std::string detail = {}) {
    ErrorCode code = ErrorCode::kFailedPrecondition;
    switch (reason) {
      case Reason::kInvalidInput:
      case Reason::kInvalidValue:
        code = ErrorCode::kInvalidArgument;
        break;
      case Reason::kUnknownLocation:
      case Reason::kNotFound:
        code = ErrorCode::kNotFound;
        break;
      case Reason::kDuplicateId:
        code = ErrorCode::kAlreadyExists;
        break;
      case Reason::kPlacementFailed:
      case Reason::kUnintelligibleAnswer:
      case Reason::kCancellationFailed:
        code = ErrorCode::kUnavailable;
        break;
      case Reason::kCancellationNotAllowed:
        code = ErrorCode::kPermissionDenied;
        break;
      case Reason::kAlreadyCancelled:
      case Reason::kNotRetryable:
        code = ErrorCode::kConflict;
        break;
      case Reason::kBusy:
        code = ErrorCode::kResourceExhausted;
        break;
      case Reason::kInternal:
        code = ErrorCode::kInternal;
        break;
      default:
        break;
    }
    return {reason, Error{code, std::move(message), std::move(detail), {}}};
  }
};

// Outcome<T> holds either a T or a Failure; Outcome<void> only the latter or
// nothing. An Error converts to the Failure its code implies.
template <typename T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value) : v_(std::move(value)) {}                     // NOLINT: implicit by design
  Outcome(Failure failure) : v_(std::move(failure)) {}           // NOLINT
  Outcome(Error error) : v_(Failure::From(std::move(error))) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Failure& failure() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Failure&& failure() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Failure> v_;
};

template <>
class [[nodiscard]] Outcome<void> {
 public:
  Outcome() = default;
  Outcome(Failure failure) : failure_(std::move(failure)) {}           // NOLINT
  Outcome(Error error) : failure_(Failure::From(std::move(error))) {}  // NOLINT
  Outcome(Status status) {                                             // NOLINT
    if (!status.ok()) failure_ = Failure::From(std::move(status).error());
  }
  bool ok() const { return !failure_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Failure& failure() const& {
    assert(!ok());
    return *failure_;
  }
  Failure&& failure() && {
    assert(!ok());
    return std::move(*failure_);
  }

 private:
  std::optional<Failure> failure_;
};

}  // namespace shipline::app
