#include "domain/order_rules.hpp"

#include <gtest/gtest.h>

#include "support/test_world.hpp"

namespace shipline::domain {
namespace {

TEST(OrderRules, AcceptsTheSampleOrderAndLinksItemsBySku) {
  Order order = test::SampleOrder("100001");
  ASSERT_TRUE(ValidateNewOrder(order).ok());
  EXPECT_EQ(order.shipments[0].order_number, "100001");
}

TEST(OrderRules, NamesTheFieldOfAnUnknownSku) {
  Order order = test::SampleOrder("100001");
  order.shipments[0].items[0].sku = "NOPE";
  Status status = ValidateNewOrder(order);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "shipments[0].items[0].sku");
}

TEST(OrderRules, RejectsShippingMoreThanOrderedOverAllShipments) {
  Order order = test::SampleOrder("100001");
  Shipment second = order.shipments[0];
  second.shipment_number = "100001-2";
  second.items[0].quantity = 1;
  order.shipments.push_back(second);  // 2 + 1 of an item ordered twice
  Status status = ValidateNewOrder(order);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "shipments[1].items[0].quantity");
}

TEST(OrderRules, RejectsBadScalars) {
  Order bad_email = test::SampleOrder("1");
  bad_email.customer.email = "not-an-email";
  EXPECT_EQ(ValidateNewOrder(bad_email).error().field, "customer.email");

  Order bad_currency = test::SampleOrder("1");
  bad_currency.currency = "usd";
  EXPECT_EQ(ValidateNewOrder(bad_currency).error().field, "currency");

  Order bad_quantity = test::SampleOrder("1");
  bad_quantity.line_items[0].quantity = 0;
  EXPECT_EQ(ValidateNewOrder(bad_quantity).error().field, "lineItems[0].quantity");

  Order bad_number = test::SampleOrder("1");
  bad_number.order_number = "has space";
  EXPECT_EQ(ValidateNewOrder(bad_number).error().field, "orderNumber");

  Order shipped = test::SampleOrder("1", ShipmentStatus::kShipped);
  EXPECT_EQ(ValidateNewOrder(shipped).error().field, "shipments[0].status");
}

TEST(OrderRules, CaptureAmountIsThePriceOfTheShipmentsItems) {
  Order order = test::SampleOrder("1");
  ASSERT_TRUE(ValidateNewOrder(order).ok());
  order.shipments[0].items[0].quantity = 1;
  EXPECT_EQ(CaptureAmount(order, order.shipments[0]), 1050);
}

TEST(OrderRules, ShippingStateIsDerivedFromShippedShipments) {
  Order order = test::SampleOrder("1");
  order.shipments[0].items[0].quantity = 1;
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kUnshipped);
  order.shipments[0].status = ShipmentStatus::kShipped;
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kPartiallyShipped);
  order.shipments[0].items[0].quantity = 2;
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kShipped);
}

TEST(OrderRules, AppendsACommentOnANewLineAndNeverReplaces) {
  EXPECT_EQ(AppendedComment("", "first"), "first");
  EXPECT_EQ(AppendedComment("first", "second"), "first\nsecond");
  EXPECT_EQ(AppendedComment("first", ""), "first");
}

}  // namespace
}  // namespace shipline::domain
