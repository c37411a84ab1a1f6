// Which subscriptions an event fans out to (app::webhooks::PlanFanOut).

#include <gtest/gtest.h>

#include "app/webhooks/fan_out.hpp"

namespace shipline {
namespace {

using namespace app::webhooks;

domain::Event Shipped(std::string storefront = "main") {
  domain::Event event;
  event.id = 42;
  event.tenant_id = 7;
  event.type = "order-shipment-shipped";
  event.topic = "VirtualTopic.ep.orders";
  event.subject = "100001-1";
  event.payload = "{}";
  event.created_at = 10'000;
  event.storefront = std::move(storefront);
  return event;
}

Subscription Subscribed(int64_t id) {
  Subscription s;
  s.id = id;
  s.tenant_id = 7;
  return s;
}

std::vector<int64_t> Reached(const std::vector<FanOutDelivery>& deliveries) {
  std::vector<int64_t> ids;
  for (const auto& d : deliveries) ids.push_back(d.subscription_id);
  return ids;
}

TEST(FanOutTest, EverySubscriptionWithoutFiltersGetsEveryEventDueAfterItsDelay) {
  Subscription now = Subscribed(1);
  Subscription later = Subscribed(2);
  later.delay_ms = 5'000;
  auto planned = PlanFanOut(Shipped(), {now, later});
  ASSERT_EQ(planned.size(), 2u);
  EXPECT_EQ(planned[0].subscription_id, 1);
  EXPECT_EQ(planned[0].next_attempt_at, 10'000);
  EXPECT_TRUE(planned[0].once_key.empty());
  EXPECT_EQ(planned[1].subscription_id, 2);
  EXPECT_EQ(planned[1].next_attempt_at, 15'000);
}

TEST(FanOutTest, DisabledSubscriptionsGetNothing) {
  Subscription off = Subscribed(1);
  off.enabled = false;
  EXPECT_TRUE(PlanFanOut(Shipped(), {off}).empty());
}

TEST(FanOutTest, EventTypesMustNameTheEventsType) {
  Subscription statuses = Subscribed(1);
  statuses.event_types = {"shipment-status-changed"};
  Subscription both = Subscribed(2);
  both.event_types = {"shipment-status-changed", "order-shipment-shipped"};
  EXPECT_EQ(Reached(PlanFanOut(Shipped(), {statuses, both})), std::vector<int64_t>{2});
}

TEST(FanOutTest, AStoreFilterMatchesOnlyTheEventsStorefront) {
  Subscription here = Subscribed(1);
  here.store = "main";
  Subscription elsewhere = Subscribed(2);
  elsewhere.store = "other";
  Subscription everywhere = Subscribed(3);
  EXPECT_EQ(Reached(PlanFanOut(Shipped(), {here, elsewhere, everywhere})),
            (std::vector<int64_t>{1, 3}));
}

TEST(FanOutTest, AnEventWithoutAStorefrontReachesOnlySubscriptionsWithoutOne) {
  Subscription here = Subscribed(1);
  here.store = "main";
  Subscription everywhere = Subscribed(2);
  EXPECT_EQ(Reached(PlanFanOut(Shipped(""), {here, everywhere})), std::vector<int64_t>{2});
}

TEST(FanOutTest, The3plFormatTakesShippedEventsOncePerShipment) {
  Subscription warehouse = Subscribed(1);
  warehouse.format = PayloadFormat::kThreePl;
  auto planned = PlanFanOut(Shipped(), {warehouse});
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].once_key, "shipment:100001-1");

  domain::Event changed = Shipped();
  changed.type = "shipment-status-changed";
  EXPECT_TRUE(PlanFanOut(changed, {warehouse}).empty());
}

}  // namespace
}  // namespace shipline
