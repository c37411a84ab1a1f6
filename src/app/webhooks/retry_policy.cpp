#include "app/webhooks/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "app/clock.hpp"

namespace shipline::app::webhooks {

namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

int64_t ScaleDown(int64_t millis, double factor) {
  return std::max<int64_t>(
      1, static_cast<int64_t>(std::llround(static_cast<double>(millis) / factor)));
}

std::string Describe(const TransferResult& result) {
  if (!result.error.empty()) return result.error;
  return "HTTP " + std::to_string(result.status_code);
}

}  // namespace

RetryPolicy RetryPolicy::Default() {
  RetryPolicy policy;
  policy.schedule_ms = {5 * kSecond, 5 * kMinute, 30 * kMinute, 2 * kHour, 5 * kHour,
                        10 * kHour,  14 * kHour,  20 * kHour,   24 * kHour};
  return policy;
}

RetryPolicy RetryPolicy::Scaled(double factor) const {
  RetryPolicy scaled = *this;
  if (!(factor > 0) || factor == 1) return scaled;
  for (auto& delay : scaled.schedule_ms) delay = ScaleDown(delay, factor);
  scaled.max_retry_after_ms = ScaleDown(max_retry_after_ms, factor);
  scaled.disable_after_ms = ScaleDown(disable_after_ms, factor);
  return scaled;
}

std::optional<int64_t> RetryPolicy::NextDelay(int attempts_made,
                                              std::optional<int64_t> retry_after_ms,
                                              double unit_random) const {
  if (attempts_made < 1 || attempts_made > static_cast<int>(schedule_ms.size())) {
    return std::nullopt;
  }
  double base = static_cast<double>(schedule_ms[static_cast<size_t>(attempts_made - 1)]);
  double spread = std::clamp(jitter, 0.0, 1.0) * (2.0 * std::clamp(unit_random, 0.0, 1.0) - 1.0);
  int64_t delay = std::max<int64_t>(1, static_cast<int64_t>(std::llround(base * (1.0 + spread))));
  if (retry_after_ms && *retry_after_ms > delay) {
    delay = std::min(*retry_after_ms, std::max(max_retry_after_ms, delay));
  }
  return delay;
}

AttemptDecision DecideAttempt(const RetryPolicy& policy, const Subscription& subscription,
                              const Delivery& delivery, const TransferResult& result,
                              int64_t attempted_at, int64_t now, double unit_random) {
  AttemptDecision decision;
  decision.attempt = {0,
                      delivery.id,
                      attempted_at,
                      result.status_code,
                      result.latency_ms,
                      result.response_excerpt,
                      result.error};
  decision.update.now = now;
  decision.update.claimed_until = delivery.next_attempt_at.value_or(0);
  decision.update.last_status = result.status_code;
  decision.update.last_error = result.error;

  if (result.error.empty() && result.status_code >= 200 && result.status_code <= 299) {
    decision.succeeded = true;
    decision.update.status = DeliveryStatus::kDelivered;
    return decision;
  }
  decision.failing_since = subscription.failing_since.value_or(now);
  // The 3PL notification contract retries any answer but a 2xx for 3 days,
  // 410 included, as its own sender does; Standard Webhooks stops at 410.
  if (result.error.empty() && result.status_code == 410 &&
      subscription.format != PayloadFormat::kThreePl) {
    decision.update.status = DeliveryStatus::kFailed;
    decision.disable_reason = "the receiver answered 410 Gone at " + FormatIsoTime(now) +
                              " (delivery " + std::to_string(delivery.id) + ")";
    return decision;
  }
  int attempts_made = delivery.attempts + 1;
  std::optional<int64_t> retry_after;
  if (result.retry_after_seconds && *result.retry_after_seconds > 0) {
    retry_after = *result.retry_after_seconds * kSecond;
  }
  auto delay = policy.NextDelay(attempts_made, retry_after, unit_random);
  if (delay) {
    decision.update.status = DeliveryStatus::kPending;
    decision.update.next_attempt_at = now + *delay;
  } else {
    decision.update.status = DeliveryStatus::kFailed;
    decision.update.last_error =
        "gave up after " + std::to_string(attempts_made) + " attempts; last: " + Describe(result);
  }
  if (now - *decision.failing_since >= policy.disable_after_ms) {
    decision.disable_reason = "every attempt failed since " +
                              FormatIsoTime(*decision.failing_since) +
                              " (last: " + Describe(result) + ")";
  }
  return decision;
}

Result<int64_t> ParseDuration(std::string_view text) {
  size_t unit_at = 0;
  while (unit_at < text.size() &&
         ((text[unit_at] >= '0' && text[unit_at] <= '9') || text[unit_at] == '.')) {
    ++unit_at;
  }
  std::string_view number = text.substr(0, unit_at);
  std::string_view unit = text.substr(unit_at);
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size() || value < 0) {
    return Error::Invalid("not a duration: \"" + std::string(text) + "\" (e.g. 500ms, 5s, 2h)");
  }
  double scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = kSecond;
  } else if (unit == "m") {
    scale = kMinute;
  } else if (unit == "h") {
    scale = kHour;
  } else if (unit == "d") {
    scale = kDay;
  } else {
    return Error::Invalid("not a duration: \"" + std::string(text) + "\" (units: ms, s, m, h, d)");
  }
  double millis = value * scale;
  if (millis > 365.0 * kDay) return Error::Invalid("duration too long: " + std::string(text));
  return static_cast<int64_t>(std::llround(millis));
}

Result<std::vector<int64_t>> ParseDurationList(std::string_view text) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    auto duration = ParseDuration(item);
    if (!duration) return std::move(duration).error();
    out.push_back(*duration);
    start = end + 1;
  }
  if (out.size() > 100) return Error::Invalid("a retry schedule holds at most 100 delays");
  return out;
}

}  // namespace shipline::app::webhooks
