#include "app/complete_shipment.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_world.hpp"

namespace shipline {
namespace {

using domain::ShipmentStatus;

class CompleteShipmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    actor_ = world_.Tenant();
    ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100001")).ok());
  }

  std::vector<domain::Event> Events() {
    auto events = world_.orders.Events(actor_, 0, 100);
    EXPECT_TRUE(events.ok());
    return events.ok() ? *events : std::vector<domain::Event>{};
  }

  test::World world_;
  app::Actor actor_;
};

TEST_F(CompleteShipmentTest, ShipsCapturesAndWritesOneEvent) {
  auto done = world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""});
  ASSERT_TRUE(done.ok()) << done.error().detail;
  EXPECT_EQ(done->order_number, "100001");

  auto shipment = world_.orders.GetShipment(actor_, "100001-1");
  ASSERT_TRUE(shipment.ok());
  EXPECT_EQ(shipment->status, ShipmentStatus::kShipped);
  EXPECT_EQ(shipment->tracking_number, "1Z999AA10123456784");
  ASSERT_EQ(shipment->history.size(), 2u);
  EXPECT_EQ(shipment->history[1].status, "SHIPPED");
  EXPECT_EQ(shipment->history[1].by, "tester");

  ASSERT_EQ(world_.payments.Count(), 1u);
  EXPECT_EQ(world_.payments.requests[0].amount, 2100);
  EXPECT_EQ(world_.payments.requests[0].payment_reference, "pi_123");
  auto order = world_.orders.Get(actor_, "100001");
  EXPECT_EQ(order->payment.amount_captured, 2100);

  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "order-shipment-shipped");
  EXPECT_EQ(events[0].topic, "VirtualTopic.ep.orders");
  EXPECT_NE(events[0].payload.find("1Z999AA10123456784"), std::string::npos);
}

TEST_F(CompleteShipmentTest, SecondCompletionIsAConflict) {
  ASSERT_TRUE(world_.complete.Run(actor_, {"100001-1", "", ""}).ok());
  auto again = world_.complete.Run(actor_, {"100001-1", "", ""});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(world_.payments.Count(), 1u);
}

TEST_F(CompleteShipmentTest, ReportsMissingBlankAndUnreleased) {
  EXPECT_EQ(world_.complete.Run(actor_, {"  ", "", ""}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(world_.complete.Run(actor_, {"nope", "", ""}).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("2", ShipmentStatus::kPending)).ok());
  EXPECT_EQ(world_.complete.Run(actor_, {"2-1", "", ""}).error().code,
            ErrorCode::kFailedPrecondition);
}

TEST_F(CompleteShipmentTest, AnotherTenantCannotSeeTheShipment) {
  app::Actor other = world_.Tenant("other");
  EXPECT_EQ(world_.complete.Run(other, {"100001-1", "", ""}).error().code, ErrorCode::kNotFound);
}

TEST_F(CompleteShipmentTest, FailedCaptureLeavesTheShipmentReleasedWithoutEvent) {
  world_.payments.fail = true;
  auto failed = world_.complete.Run(actor_, {"100001-1", "", ""});
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(world_.orders.GetShipment(actor_, "100001-1")->status, ShipmentStatus::kReleased);
  EXPECT_TRUE(Events().empty());

  // The claim was released: a retry after the provider recovers succeeds, with
  // the same idempotency key.
  world_.payments.fail = false;
  ASSERT_TRUE(world_.complete.Run(actor_, {"100001-1", "", ""}).ok());
  ASSERT_EQ(world_.payments.Count(), 2u);
  EXPECT_EQ(world_.payments.requests[0].idempotency_key,
            world_.payments.requests[1].idempotency_key);
}

TEST_F(CompleteShipmentTest, AnExpiredClaimOfACrashedRequestIsTakenOver) {
  int64_t now = world_.clock.NowMillis();
  ASSERT_TRUE(world_.store
                  ->Write([&](app::StoreWriter& tx) -> Status {
                    auto taken = tx.Orders().ClaimCompletion(1, "crashed", now + 1000, now);
                    if (!taken) return std::move(taken).error();
                    return *taken ? Ok() : Error::Internal("not claimed");
                  })
                  .ok());
  EXPECT_EQ(world_.complete.Run(actor_, {"100001-1", "", ""}).error().code, ErrorCode::kConflict);
  world_.clock.Advance(app::CompleteShipment::kClaimMillis);
  EXPECT_TRUE(world_.complete.Run(actor_, {"100001-1", "", ""}).ok());
}

TEST_F(CompleteShipmentTest, ConcurrentCompletionsHaveExactlyOneWinner) {
  constexpr int kRequests = 20;
  std::atomic<int> won{0};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kRequests; ++i) {
    threads.emplace_back([&] {
      auto done = world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""});
      if (done.ok()) {
        ++won;
      } else if (done.error().code == ErrorCode::kConflict) {
        ++conflicts;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(conflicts.load(), kRequests - 1);
  EXPECT_EQ(world_.payments.Count(), 1u);
  EXPECT_EQ(Events().size(), 1u);
}

}  // namespace
// The completion reads the storefront's settings through the store's cache;
// a change made through Storefronts::Update is seen by the next completion.
TEST_F(CompleteShipmentTest, SeesAStorefrontChangeAtOnce) {
  ASSERT_TRUE(world_.orders.Create(actor_, test::SampleOrder("100002")).ok());
  auto first = world_.complete.Run(actor_, {"100001-1", "1Z999AA10123456784", ""});
  ASSERT_TRUE(first.ok()) << first.error().detail;
  EXPECT_TRUE(first->send_email);

  app::StorefrontUpdate quiet;
  quiet.send_shipping_confirmation = false;
  ASSERT_TRUE(world_.storefronts.Update(actor_, "main", quiet).ok());
  auto second = world_.complete.Run(actor_, {"100002-1", "1Z999AA10123456784", ""});
  ASSERT_TRUE(second.ok()) << second.error().detail;
  EXPECT_FALSE(second->send_email);
}

TEST(StorefrontCacheTest, IgnoresSettingsLoadedBeforeADrop) {
  app::StorefrontCache cache;
  app::StorefrontSettings settings;
  settings.name = "main";
  const uint64_t before = cache.generation();
  cache.Drop(1, "main");  // a change committed while the load was under way
  cache.Put(1, settings, before);
  EXPECT_FALSE(cache.Find(1, "main"));

  cache.Put(1, settings, cache.generation());
  ASSERT_TRUE(cache.Find(1, "main"));
  EXPECT_FALSE(cache.Find(2, "main"));  // per tenant
  cache.Drop(1, "main");
  EXPECT_FALSE(cache.Find(1, "main"));
}

}  // namespace shipline
