#pragma once

// Errors as values. Every expected failure in shipline crosses layers as an
// Error: a protocol-neutral code, a typed reason that tells apart failures
// sharing a code, a message that is safe to show a client, and a detail that
// only goes to the log. Each contract's codec maps (code, reason) to its own
// status and body in one table; no codec reads the message or the field to
// choose a status. Exceptions never cross a layer boundary.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace shipline {

enum class ErrorCode {
  kInvalidArgument,  // the request is malformed or names impossible values
  kNotFound,         // the addressed entity does not exist for this tenant
  kAlreadyExists,    // a unique key (order number, shipment number) is taken
  kConflict,         // the entity is in a state that forbids the change (already done, lost race)
  kFailedPrecondition,  // the entity is not yet in a state that allows the change
  kUnauthenticated,     // missing or wrong credentials
  kPermissionDenied,    // authenticated but not allowed
  kResourceExhausted,   // a limit was hit (rate, size, queue)
  kUnavailable,         // a dependency (payment provider, SMTP, provider) failed; retrying may help
  kInternal,            // a bug or a storage failure; the client sees a generic message
};

// A stable upper-case name for logs and error bodies, e.g. "INVALID_ARGUMENT".
const char* ErrorCodeName(ErrorCode code);

// Why an error happened, where its code alone does not say what a contract
// needs to tell its clients. The use case that knows the cause sets it;
// kNone means the code says it all (a taken unique key, for example, is the
// code kAlreadyExists itself).
enum class ErrorReason {
  kNone,
  // Input that is well-formed but cannot be used.
  kInvalidValue,      // a field holds a value of the wrong kind or range (not a missing field)
  kTextTooLong,       // a text is longer than its kind allows (domain/text_limits.hpp)
  kQuantityExceeded,  // a shipment would hold more of a line item than was ordered
  kUnknownLocation,   // the request names a location the tenant does not have
  // Shipments.
  kAlreadyCompleted,   // the shipment is shipped or delivered already
  kShipmentCancelled,  // the shipment is cancelled
  // Shipping orders and their delivery providers.
  kNoProviderAssigned,      // the location has no provider
  kNoProviderMatched,       // no estimate passed the orchestration rules
  kPlacementFailed,         // every provider refused, failed or timed out (transient)
  kGeocodingFailed,         // the delivery address has no coordinates and none were found
  kUnintelligibleAnswer,    // a provider answered something that is not the protocol (transient)
  kCancellationNotAllowed,  // the order may not be cancelled (any more, or at its provider)
  kCancellationFailed,      // the provider failed to cancel
  kAlreadyCancelled,        // the order is cancelled already, or was while it was placed
  kNotRetryable,            // the order is not in a state that can be retried
  // Storage.
  kStorageFull,  // the database's disk or quota is full: nothing was written, and the same
                 // request may succeed once space is freed (every contract: 503, Retry-After)
};

// The code that an error with `reason` carries (see Error::Of); kInternal for
// kNone.
ErrorCode CodeOf(ErrorReason reason);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // safe for clients
  std::string detail;   // for the log only; may hold causes from libraries
  std::string field;    // the offending input field, when there is one; shown, never decides
  ErrorReason reason = ErrorReason::kNone;

  // An error for `reason`, with the code the reason implies (CodeOf).
  static Error Of(ErrorReason reason, std::string message, std::string detail = {}) {
    return {CodeOf(reason), std::move(message), std::move(detail), {}, reason};
  }
  // This error with `why` as its reason: a use case that knows what a lower
  // layer's error means for its caller says so. The code is kept.
  Error Because(ErrorReason why) && {
    reason = why;
    return std::move(*this);
  }

  static Error Invalid(std::string message, std::string field = {}) {
    return {ErrorCode::kInvalidArgument, std::move(message), {}, std::move(field)};
  }
  static Error NotFound(std::string message) {
    return {ErrorCode::kNotFound, std::move(message), {}, {}};
  }
  static Error Exists(std::string message, std::string field = {}) {
    return {ErrorCode::kAlreadyExists, std::move(message), {}, std::move(field)};
  }
  static Error Conflict(std::string message) {
    return {ErrorCode::kConflict, std::move(message), {}, {}};
  }
  static Error Precondition(std::string message) {
    return {ErrorCode::kFailedPrecondition, std::move(message), {}, {}};
  }
  static Error Unavailable(std::string message, std::string detail) {
    return {ErrorCode::kUnavailable, std::move(message), std::move(detail), {}};
  }
  static Error Internal(std::string detail) {
    return {ErrorCode::kInternal, "internal error", std::move(detail), {}};
  }
};

// Result<T> holds either a T or an Error. Result<void> is spelled Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

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

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(!ok());
    return *error_;
  }
  Error&& error() && {
    assert(!ok());
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

inline Status Ok() { return {}; }

}  // namespace shipline

#define SHIPLINE_CONCAT_INNER(a, b) a##b
#define SHIPLINE_CONCAT(a, b) SHIPLINE_CONCAT_INNER(a, b)

// Propagates the error of an expression yielding a Result or Status.
#define SHIPLINE_RETURN_IF_ERROR(expr) \
  SHIPLINE_RETURN_IF_ERROR_IMPL(SHIPLINE_CONCAT(shipline_status_, __LINE__), expr)
#define SHIPLINE_RETURN_IF_ERROR_IMPL(name, expr) \
  do {                                            \
    auto name = (expr);                           \
    if (!name.ok()) {                             \
      return std::move(name).error();             \
    }                                             \
  } while (false)
