#pragma once

// The claim a request holds on its Idempotency-Key while its handler runs,
// carried on the handler's thread so that Store::Write can mark the claim
// applied in the transaction of every change made on the request's behalf,
// without any use case knowing (app/store.hpp). The HTTP layer opens a
// RequestClaimScope around the handler (http/idempotency.cpp).

#include <cstdint>
#include <string>
#include <utility>

namespace shipline::app {

struct RequestClaim {
  int64_t tenant_id = 0;
  std::string key;
  std::string owner;  // the token that holds the claim
};

// While alive, Current() on this thread is `claim` (which must outlive the
// scope). Scopes nest; not shared between threads.
class RequestClaimScope {
 public:
  explicit RequestClaimScope(const RequestClaim& claim) : previous_(current_) { current_ = &claim; }
  ~RequestClaimScope() { current_ = previous_; }
  RequestClaimScope(const RequestClaimScope&) = delete;
  RequestClaimScope& operator=(const RequestClaimScope&) = delete;

  // The claim of the request this thread is handling; nullptr outside one.
  static const RequestClaim* Current() { return current_; }

  // For fiber switches (http/fiber_runner.cpp): a request's claim belongs to
  // its fiber, not to the thread the fiber happens to run on.
  static const RequestClaim* Exchange(const RequestClaim* claim) {
    return std::exchange(current_, claim);
  }

 private:
  static inline thread_local const RequestClaim* current_ = nullptr;
  const RequestClaim* previous_;
};

}  // namespace shipline::app
