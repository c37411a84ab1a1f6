// The broker publisher and the broker's email consumer, against fakes of the
// broker ports and a real SQLite store.

#include <gtest/gtest.h>

#include "support/broker_fakes.hpp"
#include "support/test_world.hpp"
#include "workers/broker_email_worker.hpp"
#include "workers/broker_publisher.hpp"

namespace shipline {
namespace {

constexpr const char* kTracking = "1Z999AA10123456784";

class BrokerWorkersTest : public ::testing::Test {
 protected:
  void SetUp() override { actor_ = world_.Tenant(); }

  void Ship(const std::string& number) {
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder(number)).ok());
    ASSERT_TRUE(world_.complete.Run(actor_, {number + "-1", kTracking, ""}).ok());
  }

  std::vector<domain::Event> Events() {
    std::vector<domain::Event> events;
    EXPECT_TRUE(world_.store
                    ->Read([&](app::StoreReader& reader) -> Status {
                      auto found = reader.Events().List(std::nullopt, 0, 1000);
                      if (!found) return std::move(found).error();
                      events = std::move(*found);
                      return Ok();
                    })
                    .ok());
    return events;
  }

  std::vector<domain::Event> ShippedEvents() {
    std::vector<domain::Event> shipped;
    for (auto& event : Events()) {
      if (event.type == domain::kOrderShipmentShipped) shipped.push_back(event);
    }
    return shipped;
  }

  int64_t Position(const char* consumer) {
    int64_t position = -1;
    EXPECT_TRUE(world_.store
                    ->Read([&](app::StoreReader& reader) -> Status {
                      auto saved = reader.Events().Position(consumer);
                      if (!saved) return std::move(saved).error();
                      position = *saved;
                      return Ok();
                    })
                    .ok());
    return position;
  }

  workers::BrokerPublisher MakePublisher(workers::BrokerPublisher::Options options = {}) {
    return workers::BrokerPublisher(*world_.store, publisher_, world_.signal, std::move(options));
  }

  workers::BrokerEmailWorker MakeEmailWorker(workers::BrokerEmailWorker::Options options = {}) {
    return workers::BrokerEmailWorker(*world_.store, subscriber_, mailer_, world_.clock,
                                      std::move(options));
  }

  test::World world_;
  test::FakePublisher publisher_;
  test::FakeSubscriber subscriber_;
  test::RecordingMailer mailer_;
  app::Actor actor_;
};

std::string HeaderOf(const app::OutgoingMessage& message, std::string_view name) {
  return std::string(app::FindHeader(message.headers, name).value_or("<missing>"));
}

TEST_F(BrokerWorkersTest, PublisherSendsEveryEventWithItsIdTypeAndPayload) {
  Ship("100001");
  Ship("100002");
  const auto events = Events();
  ASSERT_GE(events.size(), 2u);

  auto worker = MakePublisher();
  auto published = worker.RunOnce();
  ASSERT_TRUE(published.ok()) << published.error().detail;
  EXPECT_EQ(*published, static_cast<int>(events.size()));
  ASSERT_EQ(publisher_.published.size(), events.size());
  for (size_t i = 0; i < events.size(); ++i) {
    const auto& message = publisher_.published[i];
    EXPECT_EQ(message.destination, "/topic/" + events[i].topic);
    EXPECT_EQ(HeaderOf(message, "event-id"), std::to_string(events[i].id));
    EXPECT_EQ(HeaderOf(message, "event-type"), events[i].type);
    EXPECT_EQ(HeaderOf(message, "event-subject"), events[i].subject);
    EXPECT_EQ(message.content_type, "application/json");
    EXPECT_EQ(message.body, events[i].payload);
  }
  EXPECT_EQ(publisher_.published.back().destination, "/topic/VirtualTopic.ep.orders");
  EXPECT_EQ(Position(workers::BrokerPublisher::kConsumer), events.back().id);

  // A restarted publisher starts after the saved position.
  auto restarted = MakePublisher();
  EXPECT_EQ(*restarted.RunOnce(), 0);
  EXPECT_EQ(publisher_.published.size(), events.size());
}

TEST_F(BrokerWorkersTest, PublisherTopicIsConfigurablePerEventType) {
  Ship("100001");
  workers::BrokerPublisher::Options options;
  options.topics = {{"order-shipment-shipped", "VirtualTopic.ep.shipped"}};
  auto worker = MakePublisher(options);
  ASSERT_TRUE(worker.RunOnce().ok());
  bool saw_shipped = false;
  for (const auto& message : publisher_.published) {
    if (HeaderOf(message, "event-type") == "order-shipment-shipped") {
      saw_shipped = true;
      EXPECT_EQ(message.destination, "/topic/VirtualTopic.ep.shipped");
    } else {
      EXPECT_EQ(message.destination, "/topic/VirtualTopic.ep.orders");
    }
  }
  EXPECT_TRUE(saw_shipped);
}

TEST_F(BrokerWorkersTest, PublisherPositionPassesOnlyConfirmedEvents) {
  Ship("100001");
  Ship("100002");
  Ship("100003");
  const auto events = Events();
  ASSERT_GE(events.size(), 3u);

  auto worker = MakePublisher();
  publisher_.confirm_budget = 1;
  EXPECT_FALSE(worker.RunOnce().ok());
  EXPECT_EQ(Position(workers::BrokerPublisher::kConsumer), events[0].id);

  // The broker is back: the next round starts at the first unconfirmed event.
  publisher_.confirm_budget = -1;
  publisher_.published.clear();
  auto published = worker.RunOnce();
  ASSERT_TRUE(published.ok());
  EXPECT_EQ(*published, static_cast<int>(events.size()) - 1);
  ASSERT_FALSE(publisher_.published.empty());
  EXPECT_EQ(HeaderOf(publisher_.published.front(), "event-id"), std::to_string(events[1].id));
  EXPECT_EQ(Position(workers::BrokerPublisher::kConsumer), events.back().id);
}

TEST_F(BrokerWorkersTest, PublisherKeepsEverythingWhileTheBrokerIsDown) {
  Ship("100001");
  auto worker = MakePublisher();
  publisher_.confirm_budget = 0;
  EXPECT_FALSE(worker.RunOnce().ok());
  EXPECT_FALSE(worker.RunOnce().ok());
  EXPECT_EQ(Position(workers::BrokerPublisher::kConsumer), 0);
  EXPECT_TRUE(publisher_.published.empty());
}

TEST_F(BrokerWorkersTest, EmailConsumerMailsAndAcksAShippedEvent) {
  Ship("100001");
  const auto shipped = ShippedEvents();
  ASSERT_EQ(shipped.size(), 1u);
  subscriber_.Deliver("m1", std::to_string(shipped[0].id));

  auto worker = MakeEmailWorker();
  auto settled = worker.RunOnce();
  ASSERT_TRUE(settled.ok()) << settled.error().detail;
  EXPECT_TRUE(*settled);
  ASSERT_EQ(mailer_.Count(), 1u);
  EXPECT_EQ(mailer_.sent[0].to, "ada@example.com");
  EXPECT_EQ(subscriber_.acked, std::vector<std::string>{"m1"});
  EXPECT_FALSE(*worker.RunOnce());  // nothing more on the queue
}

TEST_F(BrokerWorkersTest, EmailConsumerAcksARepeatWithoutMailingAgain) {
  Ship("100001");
  const std::string id = std::to_string(ShippedEvents().at(0).id);
  subscriber_.Deliver("m1", id);
  subscriber_.Deliver("m2", id);

  auto worker = MakeEmailWorker();
  ASSERT_TRUE(*worker.RunOnce());
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(mailer_.Count(), 1u);
  EXPECT_EQ(subscriber_.acked, (std::vector<std::string>{"m1", "m2"}));
}

TEST_F(BrokerWorkersTest, EmailConsumerHoldsTheMessageUntilTheMailIsSent) {
  Ship("100001");
  subscriber_.Deliver("m1", std::to_string(ShippedEvents().at(0).id));

  auto worker = MakeEmailWorker();
  mailer_.fail = true;
  EXPECT_FALSE(worker.RunOnce().ok());
  EXPECT_TRUE(subscriber_.acked.empty());
  EXPECT_TRUE(subscriber_.nacked.empty());

  mailer_.fail = false;
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(mailer_.Count(), 1u);
  EXPECT_EQ(subscriber_.acked, std::vector<std::string>{"m1"});
}

TEST_F(BrokerWorkersTest, EmailConsumerNacksAfterItsLastAttempt) {
  Ship("100001");
  subscriber_.Deliver("m1", std::to_string(ShippedEvents().at(0).id));
  workers::BrokerEmailWorker::Options options;
  options.max_attempts = 2;
  auto worker = MakeEmailWorker(options);
  mailer_.fail = true;
  EXPECT_FALSE(worker.RunOnce().ok());
  auto settled = worker.RunOnce();
  ASSERT_TRUE(settled.ok());
  EXPECT_TRUE(*settled);
  EXPECT_EQ(subscriber_.nacked, std::vector<std::string>{"m1"});
  EXPECT_TRUE(subscriber_.acked.empty());
}

TEST_F(BrokerWorkersTest, EmailConsumerNacksMessagesItCannotPlace) {
  subscriber_.Deliver("no-id", "");
  subscriber_.Deliver("bad-id", "abc");
  subscriber_.Deliver("unknown", "987654");
  auto worker = MakeEmailWorker();
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(subscriber_.nacked, (std::vector<std::string>{"no-id", "bad-id", "unknown"}));
  EXPECT_EQ(mailer_.Count(), 0u);
}

TEST_F(BrokerWorkersTest, EmailConsumerAcksEventsThatMailNoOne) {
  Ship("100001");
  domain::Event other;
  other.tenant_id = ShippedEvents().at(0).tenant_id;
  other.type = std::string(domain::kShipmentStatusChanged);
  other.topic = std::string(domain::kOrdersTopic);
  other.subject = "100001-1";
  other.payload = "{}";
  other.created_at = world_.clock.NowMillis();
  ASSERT_TRUE(
      world_.store->Write([&](app::StoreWriter& tx) { return tx.Events().Insert(other); }).ok());
  ASSERT_GT(other.id, 0);
  subscriber_.Deliver("other", std::to_string(other.id));

  auto worker = MakeEmailWorker();
  ASSERT_TRUE(*worker.RunOnce());
  EXPECT_EQ(subscriber_.acked, std::vector<std::string>{"other"});
  EXPECT_EQ(mailer_.Count(), 0u);
}

TEST_F(BrokerWorkersTest, EmailConsumerReportsABrokerOutage) {
  subscriber_.fail_receive = true;
  auto worker = MakeEmailWorker();
  auto settled = worker.RunOnce();
  ASSERT_FALSE(settled.ok());
  EXPECT_EQ(settled.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace shipline
