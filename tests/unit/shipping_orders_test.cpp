// The shipping-order domain: the status table, orchestration rules, the rate
// table and great-circle distance; and the HTTP rate limiter.

#include <gtest/gtest.h>

#include <cmath>

#include "domain/geo.hpp"
#include "domain/orchestration.hpp"
#include "domain/rate_table.hpp"
#include "domain/shipping_order_rules.hpp"
#include "http/rate_limiter.hpp"
#include "support/fakes.hpp"

namespace shipline {
namespace {

using domain::ShippingOrderStatus;
using S = ShippingOrderStatus;

TEST(ShippingOrderStatus, NeverMovesBackwards) {
  EXPECT_TRUE(domain::CanTransition(S::kOrderDispatched, S::kPickupStarted));
  EXPECT_TRUE(domain::CanTransition(S::kPickupStarted, S::kOrderDelivered));
  EXPECT_FALSE(domain::CanTransition(S::kOutForDelivery, S::kPickupStarted));
  EXPECT_FALSE(domain::CanTransition(S::kOrderDelivered, S::kOutForDelivery));
  EXPECT_FALSE(domain::CanTransition(S::kPickupStarted, S::kPickupStarted));
  EXPECT_FALSE(domain::CanTransition(S::kOrderCancelled, S::kOrderDispatched));
  EXPECT_FALSE(domain::CanTransition(S::kOrderUndeliverable, S::kOrderDelivered));
  // The one way back: a retry of a failed order.
  EXPECT_TRUE(domain::CanTransition(S::kOrderFailed, S::kEstimatesReceived));
  EXPECT_FALSE(domain::ProviderMayReport(S::kEstimatesReceived));
}

TEST(ShippingOrderStatus, NamesRoundTrip) {
  for (auto status :
       {S::kRequestReceived, S::kEstimatesReceived, S::kOrderDispatched, S::kPickupStarted,
        S::kPickupCompleted, S::kOutForDelivery, S::kOrderDelivered, S::kOrderFailed,
        S::kOrderCancelled, S::kOrderUndeliverable}) {
    EXPECT_EQ(domain::ParseShippingOrderStatus(domain::ShippingOrderStatusName(status)), status);
  }
  EXPECT_FALSE(domain::ParseShippingOrderStatus("SHIPPED").has_value());
}

TEST(GreatCircle, BostonToNewYork) {
  double km = domain::GreatCircleKm(42.3601, -71.0589, 40.7128, -74.0060);
  EXPECT_NEAR(km, 306, 3);
  EXPECT_NEAR(domain::GreatCircleKm(10, 20, 10, 20), 0, 1e-9);
}

domain::Estimate Offer(std::string provider, int64_t fee, int64_t delivery_at,
                       std::string type = "Ground") {
  domain::Estimate e;
  e.provider_id = std::move(provider);
  e.service_id = "svc";
  e.service_type = std::move(type);
  e.fee = fee;
  e.pickup_at = 1000;
  e.delivery_at = delivery_at;
  return e;
}

TEST(Orchestration, DefaultIsCheapestAndRulesRankAndFilter) {
  domain::ShippingOrder order;
  order.location_external_id = "L1";
  std::vector<domain::Estimate> offers = {Offer("slow", 300, 50'000), Offer("quick", 900, 5'000),
                                          Offer("mid", 500, 20'000, "Express")};
  EXPECT_EQ(domain::SelectEstimates({}, offers, order, 0).ranked.front().provider_id, "slow");

  domain::OrchestrationRule fastest;
  fastest.name = "fastest";
  fastest.objective = domain::Objective::kFastest;
  EXPECT_EQ(domain::SelectEstimates({fastest}, offers, order, 0).ranked.front().provider_id,
            "quick");

  domain::OrchestrationRule express;
  express.name = "express only";
  express.service_types = {"Express"};
  auto chosen = domain::SelectEstimates({express}, offers, order, 0);
  ASSERT_EQ(chosen.ranked.size(), 1u);
  EXPECT_EQ(chosen.ranked.front().provider_id, "mid");
  EXPECT_EQ(chosen.rule_name, "express only");

  domain::OrchestrationRule nothing;
  nothing.max_fee = 100;
  EXPECT_TRUE(domain::SelectEstimates({nothing}, offers, order, 0).ranked.empty());
  // A rule that leaves nothing falls through to the next one.
  nothing.priority = 0;
  fastest.priority = 1;
  EXPECT_EQ(
      domain::SelectEstimates({nothing, fastest}, offers, order, 0).ranked.front().provider_id,
      "quick");
  // Another location's rule does not apply.
  fastest.location_external_id = "L2";
  EXPECT_TRUE(domain::SelectEstimates({nothing, fastest}, offers, order, 0).ranked.empty());
}

TEST(Orchestration, WindowFilterAndWeights) {
  domain::ShippingOrder order;
  order.delivery_time.ends_at = 10'000;
  std::vector<domain::Estimate> offers = {Offer("slow", 300, 50'000), Offer("quick", 900, 5'000)};
  domain::OrchestrationRule window;
  window.must_meet_delivery_window = true;
  auto chosen = domain::SelectEstimates({window}, offers, order, 0);
  ASSERT_EQ(chosen.ranked.size(), 1u);
  EXPECT_EQ(chosen.ranked.front().provider_id, "quick");

  domain::OrchestrationRule weighted;
  weighted.objective = domain::Objective::kWeighted;
  weighted.fee_weight = 0;
  weighted.time_weight = 1;
  EXPECT_EQ(domain::SelectEstimates({weighted}, offers, domain::ShippingOrder{}, 0)
                .ranked.front()
                .provider_id,
            "quick");
}

domain::ShippingOrder Boston() {
  domain::ShippingOrder order;
  order.currency = "USD";
  order.pickup_address.latitude = 42.3452369;
  order.pickup_address.longitude = -71.0639399;
  order.delivery_address = {"725 Albany Street", "",        "", "Boston", "MA", "02118", "US",
                            42.3346944,          -71.071818};
  order.package.weight = domain::ParcelWeight{2, "kg"};
  return order;
}

TEST(RateTable, PricesByDistanceAndWeightAndRefuses) {
  domain::RateTable table;
  domain::RateService service;
  service.id = "ground";
  service.base_fee = 500;
  service.per_km_fee = 100;
  service.per_kg_fee = 50;
  service.pickup_lead_minutes = 10;
  service.delivery_lead_minutes = 60;
  table.services = {service};
  auto order = Boston();
  double km = domain::GreatCircleKm(42.3452369, -71.0639399, 42.3346944, -71.071818);
  auto quotes = domain::QuoteRates(table, order, 0, nullptr);
  ASSERT_EQ(quotes.size(), 1u);
  EXPECT_EQ(quotes[0].fee, 500 + std::llround(100 * km) + 100);
  EXPECT_EQ(quotes[0].pickup_at, 10 * 60'000);
  EXPECT_EQ(quotes[0].delivery_at, 70 * 60'000);

  domain::RateRefusal refusal;
  table.area = {{"US", {"10"}}};
  EXPECT_TRUE(domain::QuoteRates(table, order, 0, &refusal).empty());
  EXPECT_NE(refusal.reason.find("service area"), std::string::npos);
  table.area = {{"US", {"02"}}};
  table.max_weight_g = 1000;
  EXPECT_TRUE(domain::QuoteRates(table, order, 0, &refusal).empty());
  table.max_weight_g = 0;
  order.package.temperature_control = "frozen";
  EXPECT_TRUE(domain::QuoteRates(table, order, 0, &refusal).empty());
}

TEST(RateTable, SimulatedProgressMovesForward) {
  domain::RateTable table;
  table.pickup_minutes = 10;
  int64_t pickup = 60'000;
  int64_t delivery = pickup + 60 * 60'000;
  EXPECT_EQ(domain::SimulatedStatus(table, pickup, delivery, 0), S::kOrderDispatched);
  EXPECT_EQ(domain::SimulatedStatus(table, pickup, delivery, pickup), S::kPickupStarted);
  EXPECT_EQ(domain::SimulatedStatus(table, pickup, delivery, pickup + 11 * 60'000),
            S::kPickupCompleted);
  EXPECT_EQ(domain::SimulatedStatus(table, pickup, delivery, pickup + 31 * 60'000),
            S::kOutForDelivery);
  EXPECT_EQ(domain::SimulatedStatus(table, pickup, delivery, delivery), S::kOrderDelivered);
}

TEST(ShippingOrderRules, PackageIsFrozenAfterDispatch) {
  auto before = Boston();
  before.external_id = "A-1";
  before.location_external_id = "L1";
  before.delivery_contact.name = "Ada";
  before.delivery_address.street1 = "1 Main";
  before.status = S::kOrderDispatched;
  before.chosen.provider_id = "p";
  auto after = before;
  after.delivery_contact.phone = "555";
  EXPECT_TRUE(domain::CheckEdit(before, after).ok());
  after.package.weight = domain::ParcelWeight{3, "kg"};
  auto frozen = domain::CheckEdit(before, after);
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.error().field, "package");
  // Equal in other units is the same package.
  after.package.weight = domain::ParcelWeight{2000, "g"};
  EXPECT_TRUE(domain::CheckEdit(before, after).ok());
  before.status = S::kOrderFailed;
  after.package.weight = domain::ParcelWeight{3, "kg"};
  EXPECT_TRUE(domain::CheckEdit(before, after).ok());
}

TEST(ShippingOrderRules, OnlyThePackageIsFrozenAndDeliveryChangesAreTold) {
  auto before = Boston();
  before.external_id = "A-1";
  before.location_external_id = "L1";
  before.delivery_contact.name = "Ada";
  before.delivery_address.street1 = "1 Main";
  before.status = S::kOrderDispatched;
  before.chosen.provider_id = "p";
  auto after = before;
  after.external_id = "A-2";
  after.location_external_id = "L2";
  after.delivery_address.city = "Dallas";
  after.delivery_time.ends_at = 1655554502000;
  EXPECT_TRUE(domain::CheckEdit(before, after).ok());
  EXPECT_TRUE(domain::ChangesDelivery(before, after));
  after.package.item_quantity = 5;
  auto frozen = domain::CheckEdit(before, after);
  ASSERT_FALSE(frozen.ok());
  EXPECT_EQ(frozen.error().message, "packages parameter cannot be changed post order dispatch");

  // Who receives it, its value and the instructions do not change the delivery.
  auto told = before;
  told.delivery_contact.phone = "232-323-2323";
  told.order_value = 16099;
  told.delivery_instructions = "ring twice";
  EXPECT_FALSE(domain::ChangesDelivery(before, told));
  told.items.push_back({"sku 1", "Watch", 1, std::nullopt, std::nullopt, 300, 300});
  EXPECT_TRUE(domain::ChangesDelivery(before, told));
  // The same place in words is the same place, with or without coordinates.
  auto moved = before.delivery_address;
  moved.latitude = moved.longitude = std::nullopt;
  EXPECT_TRUE(domain::SamePlace(before.delivery_address, moved));
  moved.postal_code = "75206";
  EXPECT_FALSE(domain::SamePlace(before.delivery_address, moved));
}

TEST(RateLimiter, TokenBucketRefillsWithTheClock) {
  test::ManualClock clock;
  http::RateLimiter limiter({2, 3}, clock);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.Take("k").allowed);
  auto refused = limiter.Take("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after_seconds, 1);
  EXPECT_TRUE(limiter.Take("other").allowed);
  clock.Advance(500);
  EXPECT_TRUE(limiter.Take("k").allowed);
  EXPECT_FALSE(limiter.Take("k").allowed);
  http::RateLimiter off({0, 1}, clock);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.Take("k").allowed);
}

}  // namespace
}  // namespace shipline
