// Orders shipped over several shipments and bundles counted in components:
// domain::ValidateNewShipment, FulfilledQuantity, CaptureAmount and the
// derived shipping state.

#include <gtest/gtest.h>

#include "domain/order_rules.hpp"

namespace shipline::domain {
namespace {

// Seed 002's example: 2 bundles of 1 A + 1 B (30.00 each), and 3 plain C.
Order BundleOrder() {
  Order order;
  order.id = 7;
  order.order_number = "200001";
  order.currency = "USD";
  LineItem kit{11, "KIT", "Kit", 2, 3000};
  kit.components = {{"A", 1}, {"B", 1}};
  order.line_items = {kit, {12, "C", "Cable", 3, 500}};
  return order;
}

Shipment Holding(std::vector<ShipmentItem> items,
                 ShipmentStatus status = ShipmentStatus::kShipped) {
  static int64_t next_id = 100;
  Shipment shipment;
  shipment.id = ++next_id;
  shipment.shipment_number = "s" + std::to_string(shipment.id);
  shipment.status = status;
  shipment.items = std::move(items);
  return shipment;
}

ShipmentItem Component(const std::string& sku, int64_t quantity) {
  return {11, sku, quantity, "KIT"};
}

TEST(BundleRules, SeedExampleFulfilsOneWholeBundle) {
  Order order = BundleOrder();
  order.shipments = {Holding({Component("A", 1), Component("B", 2)})};
  EXPECT_EQ(FulfilledQuantity(order, order.line_items[0]), 1);
  EXPECT_EQ(FulfilledQuantity(order, order.line_items[1]), 0);
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kPartiallyShipped);
}

TEST(BundleRules, OnlyShippedShipmentsFulfil) {
  Order order = BundleOrder();
  order.shipments = {Holding({Component("A", 2), Component("B", 2)}, ShipmentStatus::kReleased)};
  EXPECT_EQ(FulfilledQuantity(order, order.line_items[0]), 0);
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kUnshipped);
}

TEST(BundleRules, ShippingStateGoesUnshippedPartialShipped) {
  Order order = BundleOrder();
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kUnshipped);
  order.shipments.push_back(Holding({{12, "C", 3, ""}}));
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kPartiallyShipped);
  order.shipments.push_back(Holding({Component("A", 2), Component("B", 1)}));
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kPartiallyShipped);
  order.shipments.push_back(Holding({Component("B", 1)}));
  EXPECT_EQ(DeriveShippingState(order), ShippingState::kShipped);
}

TEST(BundleRules, WholeBundleNamedBySkuExpandsToComponents) {
  Order order = BundleOrder();
  Shipment shipment = Holding({{0, "KIT", 2, ""}}, ShipmentStatus::kReleased);
  ASSERT_TRUE(ValidateNewShipment(order, shipment).ok());
  ASSERT_EQ(shipment.items.size(), 2u);
  EXPECT_EQ(shipment.items[0].sku, "A");
  EXPECT_EQ(shipment.items[0].bundle_sku, "KIT");
  EXPECT_EQ(shipment.items[0].line_item_id, 11);
  EXPECT_EQ(shipment.items[0].quantity, 2);
  EXPECT_EQ(shipment.items[1].sku, "B");
}

TEST(BundleRules, ComponentNamedBySkuAloneOrWithItsLineItem) {
  Order order = BundleOrder();
  Shipment by_sku = Holding({{0, "B", 1, ""}, {0, "B", 1, ""}}, ShipmentStatus::kReleased);
  ASSERT_TRUE(ValidateNewShipment(order, by_sku).ok());
  ASSERT_EQ(by_sku.items.size(), 1u);  // merged
  EXPECT_EQ(by_sku.items[0].quantity, 2);
  EXPECT_EQ(by_sku.items[0].line_item_id, 11);

  Shipment by_id = Holding({{11, "A", 1, ""}}, ShipmentStatus::kReleased);
  ASSERT_TRUE(ValidateNewShipment(order, by_id).ok());
  EXPECT_EQ(by_id.items[0].bundle_sku, "KIT");

  Shipment wrong = Holding({{12, "A", 1, ""}}, ShipmentStatus::kReleased);
  EXPECT_EQ(ValidateNewShipment(order, wrong).error().field, "items[0].sku");
}

TEST(BundleRules, AComponentOfTwoBundlesNeedsItsLineItem) {
  Order order = BundleOrder();
  LineItem other{13, "KIT2", "Kit 2", 1, 100};
  other.components = {{"A", 1}};
  order.line_items.push_back(other);
  Shipment shipment = Holding({{0, "A", 1, ""}}, ShipmentStatus::kReleased);
  Status status = ValidateNewShipment(order, shipment);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "items[0].sku");
  Shipment named = Holding({{13, "A", 1, ""}}, ShipmentStatus::kReleased);
  EXPECT_TRUE(ValidateNewShipment(order, named).ok());
}

TEST(BundleRules, OverShipIsRejectedNamingTheLineItem) {
  Order order = BundleOrder();
  order.shipments = {Holding({Component("B", 2)}, ShipmentStatus::kPending)};
  Shipment more = Holding({{0, "C", 1, ""}, {0, "B", 1, ""}}, ShipmentStatus::kReleased);
  Status status = ValidateNewShipment(order, more);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(status.error().field, "items[1].quantity");
  EXPECT_NE(status.error().message.find("line item 11 (sku KIT)"), std::string::npos)
      << status.error().message;

  Shipment plain = Holding({{12, "", 4, ""}}, ShipmentStatus::kReleased);
  status = ValidateNewShipment(order, plain);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.error().message.find("line item 12 (sku C)"), std::string::npos);
}

TEST(BundleRules, CancelledShipmentsGiveTheirItemsBack) {
  Order order = BundleOrder();
  order.shipments = {Holding({{12, "C", 3, ""}}, ShipmentStatus::kCancelled)};
  Shipment again = Holding({{12, "", 3, ""}}, ShipmentStatus::kReleased);
  EXPECT_TRUE(ValidateNewShipment(order, again).ok());
}

TEST(BundleRules, UnknownItemsAndQuantities) {
  Order order = BundleOrder();
  Shipment unknown_id = Holding({{99, "", 1, ""}}, ShipmentStatus::kReleased);
  EXPECT_EQ(ValidateNewShipment(order, unknown_id).error().field, "items[0].lineItemId");
  Shipment unknown_sku = Holding({{0, "Z", 1, ""}}, ShipmentStatus::kReleased);
  EXPECT_EQ(ValidateNewShipment(order, unknown_sku).error().field, "items[0].sku");
  Shipment zero = Holding({{12, "", 0, ""}}, ShipmentStatus::kReleased);
  EXPECT_EQ(ValidateNewShipment(order, zero).error().field, "items[0].quantity");
  Shipment empty = Holding({}, ShipmentStatus::kReleased);
  EXPECT_EQ(ValidateNewShipment(order, empty).error().field, "items");
}

TEST(BundleRules, ABundleIsCapturedWhenItsLastComponentShips) {
  Order order = BundleOrder();
  Shipment first = Holding({Component("A", 1), Component("B", 2), {12, "C", 1, ""}});
  order.shipments = {first};
  // One whole bundle (30.00) and one C (5.00).
  EXPECT_EQ(CaptureAmount(order, first), 3500);
  Shipment second = Holding({Component("A", 1)}, ShipmentStatus::kReleased);
  order.shipments.push_back(second);
  // With the earlier B, this A completes the second bundle.
  EXPECT_EQ(CaptureAmount(order, second), 3000);
  Shipment nothing_whole = Holding({Component("A", 1)}, ShipmentStatus::kReleased);
  Order fresh = BundleOrder();
  fresh.shipments = {nothing_whole};
  EXPECT_EQ(CaptureAmount(fresh, nothing_whole), 0);
}

TEST(BundleRules, NewOrderValidatesComponents) {
  Order order = BundleOrder();
  order.order_number = "1";
  order.customer.email = "a@example.com";
  order.line_items[0].components.push_back({"A", 2});
  EXPECT_EQ(ValidateNewOrder(order).error().field, "lineItems[0].components[2].sku");
  order.line_items[0].components.pop_back();
  order.line_items[0].components[1].quantity = 0;
  EXPECT_EQ(ValidateNewOrder(order).error().field, "lineItems[0].components[1].quantity");
}

TEST(BundleRules, NewOrderShipmentsCountComponents) {
  Order order = BundleOrder();
  order.order_number = "1";
  order.customer.email = "a@example.com";
  for (auto& line : order.line_items) line.id = 0;
  Shipment shipment;
  shipment.shipment_number = "1-1";
  shipment.status = ShipmentStatus::kReleased;
  shipment.items = {{0, "A", 2, ""}, {0, "B", 3, ""}};
  order.shipments = {shipment};
  Status status = ValidateNewOrder(order);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().field, "shipments[0].items[1].quantity");
  order.shipments[0].items[1].quantity = 2;
  ASSERT_TRUE(ValidateNewOrder(order).ok());
  EXPECT_EQ(order.shipments[0].items[1].bundle_sku, "KIT");
}

}  // namespace
}  // namespace shipline::domain
