#pragma once

// When a failed delivery is tried again, when it is given up, and when a
// subscription that only fails is switched off. The default follows the
// Standard Webhooks example schedule: after the first attempt, retries 5 s,
// 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h apart (about 3 days in
// all), each delay varied by up to 20% so that retries of many deliveries do
// not arrive together. Durations are milliseconds of app::Clock time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/webhooks/webhook_transport.hpp"
#include "app/webhooks/webhook_types.hpp"
#include "domain/result.hpp"

namespace shipline::app::webhooks {

struct RetryPolicy {
  // Delay after each failed attempt: entry i follows attempt i + 1. The number
  // of attempts is therefore schedule_ms.size() + 1.
  std::vector<int64_t> schedule_ms;
  double jitter = 0.2;  // each delay is multiplied by 1 ± up to this fraction
  // A receiver's Retry-After can push the next attempt later than the
  // schedule, up to this much; it never brings it earlier.
  int64_t max_retry_after_ms = 24LL * 3600 * 1000;
  // A subscription whose attempts have all failed for this long is disabled.
  int64_t disable_after_ms = 5LL * 24 * 3600 * 1000;

  static RetryPolicy Default();

  // Every duration divided by `factor` (> 0), for tests that run days of
  // schedule in seconds. Delays keep at least 1 ms.
  RetryPolicy Scaled(double factor) const;

  int MaxAttempts() const { return static_cast<int>(schedule_ms.size()) + 1; }

  // The delay before the next attempt once `attempts_made` attempts have
  // failed (1 after the first), or nullopt when that was the last one.
  // `unit_random` in [0, 1) picks the jitter; `retry_after_ms` is the
  // receiver's Retry-After, if it sent one.
  std::optional<int64_t> NextDelay(int attempts_made, std::optional<int64_t> retry_after_ms,
                                   double unit_random) const;
};

// What one attempt changes: the attempt log row, the delivery, and maybe the
// subscription.
struct AttemptDecision {
  Attempt attempt;
  DeliveryUpdate update;
  bool succeeded = false;
  // Set on failure: the failure streak's start (kept, or `now` for a first failure).
  std::optional<int64_t> failing_since;
  std::string disable_reason;  // non-empty: disable the subscription
};

// Decides the effect of `result` on `delivery` of `subscription` at `now`.
// 2xx delivers; 410 Gone fails the delivery and disables a native
// subscription (a 3PL-format one retries it as any other answer, as the 3PL
// contract's sender does); any other answer or a transport error retries on
// the policy's schedule (about 3 days) or,
// after the last attempt, fails the delivery. A failure that ends a streak of
// failures as long as disable_after_ms disables the subscription too.
AttemptDecision DecideAttempt(const RetryPolicy& policy, const Subscription& subscription,
                              const Delivery& delivery, const TransferResult& result,
                              int64_t attempted_at, int64_t now, double unit_random);

// Parses a duration: a number with a unit "ms", "s", "m", "h" or "d" ("500ms",
// "5m", "1.5h"). kInvalidArgument otherwise.
Result<int64_t> ParseDuration(std::string_view text);
// Parses a comma-separated list of durations ("5s,5m,30m").
Result<std::vector<int64_t>> ParseDurationList(std::string_view text);

}  // namespace shipline::app::webhooks
