// The webhook worker with a scripted transport and a clock the test moves:
// three days of retries run in milliseconds.

#include "workers/webhook_worker.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "app/webhooks/webhook_repository.hpp"
#include "support/fake_webhook_transport.hpp"
#include "support/test_world.hpp"

namespace shipline {
namespace {

using namespace app::webhooks;

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;
constexpr auto kNoWait = std::chrono::milliseconds(0);

class WebhookWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override { actor_ = world_.Tenant(); }

  SubscriptionWithSecret Subscribe(SubscriptionInput input = {}) {
    if (!input.url) input.url = "https://receiver.example/hooks";
    auto created = world_.webhook_subscriptions.Create(actor_, input);
    EXPECT_TRUE(created.ok()) << (created.ok() ? "" : created.error().message);
    return *created;
  }

  void Ship(const std::string& number) {
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder(number)).ok());
    auto done = world_.complete.Run(actor_, {number + "-1", "1Z999AA10123456784", ""});
    ASSERT_TRUE(done.ok()) << done.error().message;
  }

  std::unique_ptr<workers::WebhookWorker> MakeWorker(workers::WebhookWorker::Options options = {}) {
    return std::make_unique<workers::WebhookWorker>(*world_.store, transport_, bodies_,
                                                    world_.clock, world_.signal, options);
  }

  std::vector<Delivery> DeliveriesOf(int64_t subscription_id) {
    auto list =
        world_.webhook_deliveries.ForSubscription(actor_, subscription_id, std::nullopt, 0, 100);
    EXPECT_TRUE(list.ok());
    return list.ok() ? *list : std::vector<Delivery>();
  }

  Subscription Reload(int64_t id) { return *world_.webhook_subscriptions.Get(actor_, id); }

  test::World world_;
  test::FakeWebhookTransport transport_;
  DeliveryBodies bodies_{nullptr};
  app::Actor actor_;
};

TEST_F(WebhookWorkerTest, DeliversEachShippedEventOnceSignedAndWithBasicAuth) {
  SubscriptionInput input;
  input.basic_username = "shop";
  input.basic_password = "s3cret";
  auto subscription = Subscribe(input);
  Ship("100001");
  auto worker = MakeWorker();
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  ASSERT_EQ(transport_.sent.size(), 1u);
  const OutboundRequest& sent = transport_.sent[0];
  EXPECT_EQ(sent.url, "https://receiver.example/hooks");
  EXPECT_TRUE(sent.message_id.starts_with("msg_"));
  EXPECT_EQ(sent.secrets, std::vector<std::string>{subscription.secret});
  EXPECT_EQ(sent.basic_username, "shop");
  EXPECT_EQ(sent.basic_password, "s3cret");
  EXPECT_EQ(sent.timestamp, world_.clock.NowMillis() / 1000);
  EXPECT_NE(sent.body.find(R"("type":"order-shipment-shipped")"), std::string::npos);
  EXPECT_NE(sent.body.find(R"("shipmentNumber":"100001-1")"), std::string::npos);

  auto deliveries = DeliveriesOf(subscription.subscription.id);
  ASSERT_EQ(deliveries.size(), 1u);
  EXPECT_EQ(deliveries[0].status, DeliveryStatus::kDelivered);
  EXPECT_EQ(deliveries[0].message_id, sent.message_id);
  ASSERT_EQ(deliveries[0].attempt_log.size(), 1u);
  EXPECT_EQ(deliveries[0].attempt_log[0].status_code, 200);

  EXPECT_EQ(*worker->RunOnce(kNoWait), 0);  // nothing is sent twice
  EXPECT_EQ(transport_.sent.size(), 1u);
}

TEST_F(WebhookWorkerTest, RetriesOnTheScheduleForAboutThreeDaysThenMarksTheDeliveryFailed) {
  auto subscription = Subscribe();
  Ship("100001");
  transport_.answer = [](const OutboundRequest&) {
    return test::FakeWebhookTransport::Status(500);
  };
  auto worker = MakeWorker();
  RetryPolicy policy = RetryPolicy::Default();
  int64_t started = world_.clock.NowMillis();
  for (int attempt = 1; attempt <= 10; ++attempt) {
    ASSERT_EQ(*worker->RunOnce(kNoWait), 1) << "attempt " << attempt;
    Delivery delivery = DeliveriesOf(subscription.subscription.id).front();
    EXPECT_EQ(delivery.attempts, attempt);
    if (attempt == 10) break;
    ASSERT_EQ(delivery.status, DeliveryStatus::kPending);
    int64_t delay = *delivery.next_attempt_at - world_.clock.NowMillis();
    int64_t base = policy.schedule_ms[static_cast<size_t>(attempt - 1)];
    EXPECT_GE(delay, base * 8 / 10) << "attempt " << attempt;
    EXPECT_LE(delay, base * 12 / 10) << "attempt " << attempt;
    // Nothing goes out before it is due.
    world_.clock.Set(*delivery.next_attempt_at - 1);
    EXPECT_EQ(*worker->RunOnce(kNoWait), 0);
    world_.clock.Set(*delivery.next_attempt_at);
  }
  Delivery failed = DeliveriesOf(subscription.subscription.id).front();
  EXPECT_EQ(failed.status, DeliveryStatus::kFailed);
  EXPECT_EQ(failed.attempt_log.size(), 10u);
  EXPECT_NE(failed.last_error.find("gave up after 10 attempts"), std::string::npos);
  EXPECT_FALSE(failed.next_attempt_at.has_value());
  EXPECT_GT(world_.clock.NowMillis() - started, 3 * kDay * 8 / 10);
  std::set<std::string> ids;
  for (const auto& request : transport_.sent) ids.insert(request.message_id);
  EXPECT_EQ(ids.size(), 1u);  // one webhook-id on every attempt
  world_.clock.Advance(30 * kDay);
  EXPECT_EQ(*worker->RunOnce(kNoWait), 0);  // failed stays failed
}

TEST_F(WebhookWorkerTest, AReceiverThatFailsThenRecoversGetsTheMessageOnceDelivered) {
  auto subscription = Subscribe();
  Ship("100001");
  int calls = 0;
  transport_.answer = [&](const OutboundRequest&) {
    return test::FakeWebhookTransport::Status(++calls <= 2 ? 503 : 204);
  };
  auto worker = MakeWorker();
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
    world_.clock.Advance(kDay);
  }
  Delivery delivery = DeliveriesOf(subscription.subscription.id).front();
  EXPECT_EQ(delivery.status, DeliveryStatus::kDelivered);
  EXPECT_EQ(delivery.attempt_log.size(), 3u);
  EXPECT_FALSE(Reload(subscription.subscription.id).failing_since.has_value());
  EXPECT_EQ(transport_.sent[0].message_id, transport_.sent[2].message_id);
  EXPECT_EQ(transport_.sent[0].body, transport_.sent[2].body);
  EXPECT_NE(transport_.sent[0].timestamp, transport_.sent[2].timestamp);
}

TEST_F(WebhookWorkerTest, RetryAfterPushesTheNextAttemptLater) {
  auto subscription = Subscribe();
  Ship("100001");
  transport_.answer = [](const OutboundRequest&) {
    auto result = test::FakeWebhookTransport::Status(429);
    result.retry_after_seconds = 3600;
    return result;
  };
  auto worker = MakeWorker();
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  Delivery delivery = DeliveriesOf(subscription.subscription.id).front();
  EXPECT_EQ(*delivery.next_attempt_at - world_.clock.NowMillis(), kHour);
}

TEST_F(WebhookWorkerTest, GoneDisablesTheSubscriptionWithAReasonAndStopsNewDeliveries) {
  auto subscription = Subscribe();
  Ship("100001");
  transport_.answer = [](const OutboundRequest&) {
    return test::FakeWebhookTransport::Status(410);
  };
  auto worker = MakeWorker();
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  Subscription disabled = Reload(subscription.subscription.id);
  EXPECT_FALSE(disabled.enabled);
  EXPECT_NE(disabled.disabled_reason.find("410 Gone"), std::string::npos);
  EXPECT_EQ(DeliveriesOf(subscription.subscription.id).front().status, DeliveryStatus::kFailed);

  Ship("100002");  // a disabled subscription gets no deliveries
  EXPECT_EQ(DeliveriesOf(subscription.subscription.id).size(), 1u);
  EXPECT_EQ(world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id).error().code,
            ErrorCode::kFailedPrecondition);

  // Enabled again, the failed delivery can be replayed and goes out.
  SubscriptionInput enable;
  enable.enabled = true;
  ASSERT_TRUE(
      world_.webhook_subscriptions.Update(actor_, subscription.subscription.id, enable).ok());
  EXPECT_TRUE(Reload(subscription.subscription.id).disabled_reason.empty());
  transport_.answer = [](const OutboundRequest&) {
    return test::FakeWebhookTransport::Status(200);
  };
  auto replayed =
      world_.webhook_deliveries.ReplayFailedSince(actor_, subscription.subscription.id, 0);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(*replayed, 1);
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_EQ(DeliveriesOf(subscription.subscription.id).front().status, DeliveryStatus::kDelivered);
}

TEST_F(WebhookWorkerTest, FailingForFiveDaysDisablesTheSubscriptionWithAVisibleReason) {
  auto subscription = Subscribe();
  Ship("100001");
  transport_.answer = [](const OutboundRequest&) {
    return test::FakeWebhookTransport::Status(500);
  };
  auto worker = MakeWorker();
  int64_t first_failure = world_.clock.NowMillis();
  for (int attempt = 1; attempt <= 10; ++attempt) {
    ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
    auto next = DeliveriesOf(subscription.subscription.id).front().next_attempt_at;
    if (next) world_.clock.Set(*next);
  }
  Subscription still = Reload(subscription.subscription.id);
  EXPECT_TRUE(still.enabled);  // about three days of failures
  EXPECT_EQ(still.failing_since, first_failure);

  world_.clock.Set(first_failure + 5 * kDay);
  ASSERT_TRUE(world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id).ok());
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  Subscription disabled = Reload(subscription.subscription.id);
  EXPECT_FALSE(disabled.enabled);
  EXPECT_NE(disabled.disabled_reason.find("every attempt failed since"), std::string::npos);
  EXPECT_TRUE(disabled.disabled_at.has_value());
}

TEST_F(WebhookWorkerTest, TheDelayHoldsTheFirstAttempt) {
  SubscriptionInput input;
  input.delay_ms = 90'000;
  auto subscription = Subscribe(input);
  Ship("100001");
  auto worker = MakeWorker();
  world_.clock.Advance(89'999);
  EXPECT_EQ(*worker->RunOnce(kNoWait), 0);
  world_.clock.Advance(1);
  EXPECT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_EQ(DeliveriesOf(subscription.subscription.id).front().status, DeliveryStatus::kDelivered);
}

TEST_F(WebhookWorkerTest, ConcurrencyIsBoundedOverallAndPerSubscription) {
  auto first = Subscribe();
  auto second = Subscribe();
  for (int i = 1; i <= 4; ++i) Ship("10000" + std::to_string(i));
  transport_.hold = true;
  workers::WebhookWorker::Options options;
  options.max_in_flight = 3;
  options.max_in_flight_per_subscription = 2;
  auto worker = MakeWorker(options);
  EXPECT_EQ(*worker->RunOnce(kNoWait), 0);
  EXPECT_EQ(worker->InFlight(), 3u);
  std::map<std::string, int> per_url;
  std::map<int64_t, int> per_subscription;
  for (const auto& request : transport_.sent) {
    for (const auto& d : DeliveriesOf(first.subscription.id)) {
      if (d.id == request.delivery_id) ++per_subscription[first.subscription.id];
    }
    for (const auto& d : DeliveriesOf(second.subscription.id)) {
      if (d.id == request.delivery_id) ++per_subscription[second.subscription.id];
    }
  }
  for (const auto& [id, count] : per_subscription) EXPECT_LE(count, 2) << id;
  transport_.hold = false;
  EXPECT_EQ(*worker->RunOnce(kNoWait), 3);
  // The rest follows as slots free up.
  for (int round = 0; round < 4; ++round) (void)worker->RunOnce(kNoWait);
  EXPECT_EQ(transport_.sent.size(), 8u);
}

TEST_F(WebhookWorkerTest, ReplayResendsOneDeliveryWithTheSameWebhookId) {
  auto subscription = Subscribe();
  Ship("100001");
  auto worker = MakeWorker();
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  Delivery delivered = DeliveriesOf(subscription.subscription.id).front();
  auto replayed = world_.webhook_deliveries.Replay(actor_, delivered.id);
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(replayed->status, DeliveryStatus::kPending);
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  ASSERT_EQ(transport_.sent.size(), 2u);
  EXPECT_EQ(transport_.sent[1].message_id, transport_.sent[0].message_id);
  EXPECT_EQ(transport_.sent[1].body, transport_.sent[0].body);
  EXPECT_EQ(DeliveriesOf(subscription.subscription.id).front().attempt_log.size(), 2u);
}

TEST_F(WebhookWorkerTest, ATestEventGoesOutAtOnce) {
  auto subscription = Subscribe();
  auto worker = MakeWorker();
  auto queued = world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id);
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_NE(transport_.sent[0].body.find(R"("type":"webhook.test")"), std::string::npos);
  EXPECT_EQ(world_.webhook_deliveries.Get(actor_, queued->id)->status, DeliveryStatus::kDelivered);
}

TEST_F(WebhookWorkerTest, RotationSignsWithBothSecretsUntilTheGraceEnds) {
  auto subscription = Subscribe();
  auto rotated =
      world_.webhook_subscriptions.RotateSecret(actor_, subscription.subscription.id, kHour, {});
  ASSERT_TRUE(rotated.ok());
  EXPECT_NE(rotated->secret, subscription.secret);
  auto worker = MakeWorker();
  ASSERT_TRUE(world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id).ok());
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_EQ(transport_.sent.back().secrets,
            (std::vector<std::string>{rotated->secret, subscription.secret}));
  world_.clock.Advance(kHour);
  ASSERT_TRUE(world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id).ok());
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_EQ(transport_.sent.back().secrets, std::vector<std::string>{rotated->secret});
}

TEST_F(WebhookWorkerTest, UnsignedSubscriptionsSendNoSignature) {
  SubscriptionInput input;
  input.signing = false;
  auto subscription = Subscribe(input);
  EXPECT_TRUE(subscription.secret.empty());
  auto worker = MakeWorker();
  ASSERT_TRUE(world_.webhook_deliveries.SendTest(actor_, subscription.subscription.id).ok());
  ASSERT_EQ(*worker->RunOnce(kNoWait), 1);
  EXPECT_TRUE(transport_.sent.back().secrets.empty());
}

TEST_F(WebhookWorkerTest, EventsFanOutByTypeStoreAndStateAndThe3plFormatOncePerShipment) {
  auto all = Subscribe();
  SubscriptionInput status_only;
  status_only.event_types = std::vector<std::string>{"shipment-status-changed"};
  auto statuses = Subscribe(status_only);
  SubscriptionInput other_store;
  other_store.store = "other";
  auto elsewhere = Subscribe(other_store);
  SubscriptionInput main_store;
  main_store.store = "main";
  auto here = Subscribe(main_store);
  SubscriptionInput threepl;
  threepl.format = PayloadFormat::kThreePl;
  auto warehouse = Subscribe(threepl);
  SubscriptionInput off;
  off.enabled = false;
  auto disabled = Subscribe(off);

  Ship("100001");
  auto shipped = world_.orders.Events(actor_, 0, 100);
  ASSERT_TRUE(shipped.ok());
  int64_t event_id = 0;
  for (const auto& event : *shipped) {
    if (event.type == "order-shipment-shipped") event_id = event.id;
  }
  ASSERT_NE(event_id, 0);
  auto deliveries = world_.webhook_deliveries.ForEvent(actor_, event_id, 0, 100);
  ASSERT_TRUE(deliveries.ok());
  std::set<int64_t> reached;
  for (const auto& d : *deliveries) reached.insert(d.subscription_id);
  EXPECT_EQ(reached, (std::set<int64_t>{all.subscription.id, here.subscription.id,
                                        warehouse.subscription.id}));
  (void)statuses;
  (void)elsewhere;
  (void)disabled;

  // A second shipped event about the same shipment: the 3PL format has
  // notified once already.
  ASSERT_TRUE(world_.store
                  ->Write([&](app::StoreWriter& tx) {
                    domain::Event again{0,
                                        actor_.tenant_id,
                                        "order-shipment-shipped",
                                        "VirtualTopic.ep.orders",
                                        "100001-1",
                                        "{}",
                                        world_.clock.NowMillis(),
                                        "main",
                                        0,
                                        0,
                                        false};
                    return tx.Events().Insert(again);
                  })
                  .ok());
  EXPECT_EQ(DeliveriesOf(all.subscription.id).size(), 2u);
  EXPECT_EQ(DeliveriesOf(warehouse.subscription.id).size(), 1u);
}

TEST_F(WebhookWorkerTest, SubscriptionsAreValidatedAndScopedToTheirTenant) {
  SubscriptionInput bad_format;
  bad_format.url = "https://receiver.example/x";
  bad_format.format = PayloadFormat::kThreePl;
  bad_format.event_types = std::vector<std::string>{"shipment-status-changed"};
  EXPECT_EQ(world_.webhook_subscriptions.Create(actor_, bad_format).error().field, "eventTypes");
  SubscriptionInput no_password;
  no_password.url = "https://receiver.example/x";
  no_password.basic_username = "u";
  EXPECT_EQ(world_.webhook_subscriptions.Create(actor_, no_password).error().code,
            ErrorCode::kInvalidArgument);
  SubscriptionInput bad_secret;
  bad_secret.url = "https://receiver.example/x";
  bad_secret.secret = "whsec_short";
  EXPECT_EQ(world_.webhook_subscriptions.Create(actor_, bad_secret).error().field, "secret");

  auto mine = Subscribe();
  app::Actor other = world_.Tenant("globex");
  EXPECT_EQ(world_.webhook_subscriptions.Get(other, mine.subscription.id).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(world_.webhook_subscriptions.List(other)->empty());
  EXPECT_EQ(world_.webhook_deliveries.SendTest(other, mine.subscription.id).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(world_.webhook_subscriptions.Delete(other, mine.subscription.id).error().code,
            ErrorCode::kNotFound);
  EXPECT_TRUE(world_.webhook_subscriptions.Delete(actor_, mine.subscription.id).ok());
  EXPECT_EQ(world_.webhook_subscriptions.Get(actor_, mine.subscription.id).error().code,
            ErrorCode::kNotFound);
}

TEST_F(WebhookWorkerTest, PrivateReceiversAreRefusedUnlessAllowed) {
  app::webhooks::WebhookSubscriptions strict(*world_.store, world_.clock, world_.ids, {});
  SubscriptionInput input;
  input.url = "http://127.0.0.1:9000/hook";
  EXPECT_EQ(strict.Create(actor_, input).error().field, "url");
  input.url = "http://[::ffff:10.0.0.1]/hook";
  EXPECT_EQ(strict.Create(actor_, input).error().field, "url");
  input.url = "https://hooks.example.com/in";
  EXPECT_TRUE(strict.Create(actor_, input).ok());
}

}  // namespace
}  // namespace shipline
