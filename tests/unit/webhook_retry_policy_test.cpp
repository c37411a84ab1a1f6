// The webhook retry schedule and what each attempt's answer does.

#include <gtest/gtest.h>

#include "app/webhooks/retry_policy.hpp"

namespace shipline {
namespace {

using namespace app::webhooks;

constexpr int64_t kSecond = 1000;
constexpr int64_t kHour = 3600 * kSecond;
constexpr int64_t kDay = 24 * kHour;

TEST(WebhookRetryPolicy, DefaultScheduleIsTheStandardWebhooksOneReachingThreeDays) {
  RetryPolicy policy = RetryPolicy::Default();
  EXPECT_EQ(policy.MaxAttempts(), 10);
  std::vector<int64_t> expected = {5 * kSecond, 300 * kSecond, 1800 * kSecond, 2 * kHour, 5 * kHour,
                                   10 * kHour,  14 * kHour,    20 * kHour,     24 * kHour};
  EXPECT_EQ(policy.schedule_ms, expected);
  int64_t total = 0;
  for (int64_t delay : policy.schedule_ms) total += delay;
  EXPECT_GT(total, 3 * kDay);
  EXPECT_LT(total, 4 * kDay);
}

TEST(WebhookRetryPolicy, JitterStaysWithinTwentyPercent) {
  RetryPolicy policy = RetryPolicy::Default();
  for (int attempt = 1; attempt <= 9; ++attempt) {
    int64_t base = policy.schedule_ms[static_cast<size_t>(attempt - 1)];
    int64_t low = *policy.NextDelay(attempt, std::nullopt, 0.0);
    int64_t middle = *policy.NextDelay(attempt, std::nullopt, 0.5);
    int64_t high = *policy.NextDelay(attempt, std::nullopt, 0.999999);
    EXPECT_EQ(middle, base);
    EXPECT_GE(low, base * 8 / 10);
    EXPECT_LE(high, base * 12 / 10);
    EXPECT_LT(low, high);
  }
  EXPECT_FALSE(policy.NextDelay(10, std::nullopt, 0.5).has_value());
  EXPECT_FALSE(policy.NextDelay(0, std::nullopt, 0.5).has_value());
}

TEST(WebhookRetryPolicy, RetryAfterDelaysWithinBoundsButNeverHastens) {
  RetryPolicy policy = RetryPolicy::Default();
  // Later than the schedule: honoured.
  EXPECT_EQ(*policy.NextDelay(1, 120 * kSecond, 0.5), 120 * kSecond);
  // Sooner than the schedule: the schedule wins.
  EXPECT_EQ(*policy.NextDelay(4, 10 * kSecond, 0.5), 2 * kHour);
  // Beyond the cap: capped at a day.
  EXPECT_EQ(*policy.NextDelay(2, 30 * kDay, 0.5), kDay);
}

TEST(WebhookRetryPolicy, ScalingRunsDaysInMilliseconds) {
  RetryPolicy scaled = RetryPolicy::Default().Scaled(100'000);
  EXPECT_EQ(scaled.schedule_ms.front(), 1);  // 5 s / 100000, kept at least 1 ms
  EXPECT_EQ(scaled.schedule_ms.back(), 864);
  EXPECT_EQ(scaled.disable_after_ms, 4320);
  EXPECT_EQ(scaled.max_retry_after_ms, 864);
}

Subscription AnySubscription() {
  Subscription s;
  s.id = 7;
  s.enabled = true;
  return s;
}

Delivery DeliveryWithAttempts(int attempts) {
  Delivery d;
  d.id = 3;
  d.subscription_id = 7;
  d.attempts = attempts;
  return d;
}

TransferResult Answer(int status) {
  TransferResult result;
  result.delivery_id = 3;
  result.status_code = status;
  result.latency_ms = 12;
  result.response_excerpt = "body";
  return result;
}

TEST(WebhookAttemptDecision, OnlyTwoHundredsDeliver) {
  RetryPolicy policy = RetryPolicy::Default();
  for (int status : {200, 201, 204, 299}) {
    auto decision = DecideAttempt(policy, AnySubscription(), DeliveryWithAttempts(0),
                                  Answer(status), 1, 2, 0.5);
    EXPECT_TRUE(decision.succeeded) << status;
    EXPECT_EQ(decision.update.status, DeliveryStatus::kDelivered);
    EXPECT_FALSE(decision.failing_since.has_value());
    EXPECT_EQ(decision.attempt.status_code, status);
    EXPECT_EQ(decision.attempt.response_excerpt, "body");
  }
  for (int status : {100, 301, 302, 400, 404, 429, 500, 503}) {
    auto decision = DecideAttempt(policy, AnySubscription(), DeliveryWithAttempts(0),
                                  Answer(status), 1, 2, 0.5);
    EXPECT_FALSE(decision.succeeded) << status;
    EXPECT_EQ(decision.update.status, DeliveryStatus::kPending) << status;
    EXPECT_EQ(decision.update.next_attempt_at, 2 + 5 * kSecond) << status;
    EXPECT_EQ(decision.failing_since, 2) << status;
    EXPECT_TRUE(decision.disable_reason.empty());
  }
  TransferResult refused;
  refused.error = "refused to connect to 127.0.0.1 (loopback address)";
  auto decision =
      DecideAttempt(policy, AnySubscription(), DeliveryWithAttempts(0), refused, 1, 2, 0.5);
  EXPECT_EQ(decision.update.status, DeliveryStatus::kPending);
  EXPECT_EQ(decision.attempt.error, refused.error);
}

TEST(WebhookAttemptDecision, GoneFailsTheDeliveryAndDisablesTheSubscription) {
  auto decision = DecideAttempt(RetryPolicy::Default(), AnySubscription(), DeliveryWithAttempts(2),
                                Answer(410), 1, 2, 0.5);
  EXPECT_EQ(decision.update.status, DeliveryStatus::kFailed);
  EXPECT_NE(decision.disable_reason.find("410"), std::string::npos);
}

TEST(WebhookAttemptDecision, AThreePlSubscriptionRetriesGoneLikeAnyOtherAnswer) {
  Subscription subscription = AnySubscription();
  subscription.format = PayloadFormat::kThreePl;
  auto decision = DecideAttempt(RetryPolicy::Default(), subscription, DeliveryWithAttempts(2),
                                Answer(410), 1, 2, 0.5);
  EXPECT_EQ(decision.update.status, DeliveryStatus::kPending);
  EXPECT_TRUE(decision.update.next_attempt_at.has_value());
  EXPECT_TRUE(decision.disable_reason.empty());
}

TEST(WebhookAttemptDecision, TheLastAttemptFailsTheDelivery) {
  auto decision = DecideAttempt(RetryPolicy::Default(), AnySubscription(), DeliveryWithAttempts(9),
                                Answer(500), 1, 2, 0.5);
  EXPECT_EQ(decision.update.status, DeliveryStatus::kFailed);
  EXPECT_FALSE(decision.update.next_attempt_at.has_value());
  EXPECT_NE(decision.update.last_error.find("gave up after 10 attempts"), std::string::npos);
  EXPECT_EQ(decision.update.last_status, 500);
}

TEST(WebhookAttemptDecision, FailingForFiveDaysDisablesTheSubscription) {
  RetryPolicy policy = RetryPolicy::Default();
  Subscription failing = AnySubscription();
  failing.failing_since = 1000;
  auto early = DecideAttempt(policy, failing, DeliveryWithAttempts(0), Answer(500), 0,
                             1000 + 5 * kDay - 1, 0.5);
  EXPECT_TRUE(early.disable_reason.empty());
  EXPECT_EQ(early.failing_since, 1000);
  auto late =
      DecideAttempt(policy, failing, DeliveryWithAttempts(0), Answer(500), 0, 1000 + 5 * kDay, 0.5);
  EXPECT_NE(late.disable_reason.find("every attempt failed since"), std::string::npos);
  // A success in between ends the streak.
  auto success =
      DecideAttempt(policy, failing, DeliveryWithAttempts(0), Answer(200), 0, 1000 + kDay, 0.5);
  EXPECT_TRUE(success.succeeded);
  EXPECT_FALSE(success.failing_since.has_value());
}

TEST(WebhookDurations, ParseUnitsAndLists) {
  EXPECT_EQ(*ParseDuration("500ms"), 500);
  EXPECT_EQ(*ParseDuration("5s"), 5000);
  EXPECT_EQ(*ParseDuration("5m"), 300'000);
  EXPECT_EQ(*ParseDuration("1.5h"), 5'400'000);
  EXPECT_EQ(*ParseDuration("1d"), kDay);
  for (const char* bad : {"", "5", "s", "-5s", "5w", "1e3s", "400d"}) {
    EXPECT_FALSE(ParseDuration(bad).ok()) << bad;
  }
  auto list = ParseDurationList("5s, 5m,30m");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(*list, (std::vector<int64_t>{5000, 300'000, 1'800'000}));
  EXPECT_FALSE(ParseDurationList("5s,,5m").ok());
}

}  // namespace
}  // namespace shipline
