#include "app/threepl/fulfilment_split.hpp"

#include <gtest/gtest.h>

namespace shipline::app::threepl {
namespace {

using domain::ShipmentItem;

// Seed 002's example: 2 products of 1 A + 1 B (line 1), and a plain C (line 2),
// all in one shipment.
struct KitOrder {
  domain::Order order;
  domain::Shipment shipment;

  KitOrder() {
    order.line_items = {{1, "KIT", "Kit", 2, 3000, {{"A", 1}, {"B", 1}}},
                        {2, "C", "Cable", 1, 500, {}}};
    shipment.shipment_number = "200001-1";
    shipment.items = {{1, "A", 2, "KIT"}, {1, "B", 2, "KIT"}, {2, "C", 1, ""}};
  }
};

std::vector<std::pair<std::string, int64_t>> Units(const std::vector<ShipmentItem>& items) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto& item : items) out.emplace_back(item.sku, item.quantity);
  return out;
}

using UnitList = std::vector<std::pair<std::string, int64_t>>;

TEST(FulfilmentSplit, TheSeedExampleShipsTheToldPiecesAndKeepsTheRest) {
  KitOrder kit;
  auto split =
      SplitByFulfilment(kit.order, kit.shipment, {{"KIT", 1, {{"A", 1}, {"B", 2}}}, {"C", 0, {}}});
  ASSERT_TRUE(split.ok()) << split.error().message;
  EXPECT_EQ(Units(split->fulfilled), (UnitList{{"A", 1}, {"B", 2}}));
  EXPECT_EQ(Units(split->rest), (UnitList{{"A", 1}, {"C", 1}}));
  EXPECT_EQ(split->fulfilled[0].bundle_sku, "KIT");
}

TEST(FulfilmentSplit, ABundleWithoutPartsCountsWholeProducts) {
  KitOrder kit;
  auto split = SplitByFulfilment(kit.order, kit.shipment, {{"KIT", 1, {}}});
  ASSERT_TRUE(split.ok());
  EXPECT_EQ(Units(split->fulfilled), (UnitList{{"A", 1}, {"B", 1}}));
  EXPECT_EQ(Units(split->rest), (UnitList{{"A", 1}, {"B", 1}, {"C", 1}}));
}

TEST(FulfilmentSplit, EverythingToldIsNoSplit) {
  KitOrder kit;
  auto split =
      SplitByFulfilment(kit.order, kit.shipment, {{"A", 2, {}}, {"B", 2, {}}, {"C", 1, {}}});
  ASSERT_TRUE(split.ok());
  EXPECT_TRUE(split->rest.empty());
  EXPECT_EQ(split->fulfilled.size(), 3u);
}

TEST(FulfilmentSplit, RefusesMoreThanTheShipmentHolds) {
  KitOrder kit;
  auto over = SplitByFulfilment(kit.order, kit.shipment, {{"C", 2, {}}});
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(over.error().field, "items[0].fulfilled_quantity");
  auto parts = SplitByFulfilment(kit.order, kit.shipment, {{"KIT", 1, {{"B", 3}}}});
  ASSERT_FALSE(parts.ok());
  EXPECT_EQ(parts.error().field, "items[0].order_parts.B");
}

TEST(FulfilmentSplit, RefusesWhatTheShipmentDoesNotHold) {
  KitOrder kit;
  auto stranger = SplitByFulfilment(kit.order, kit.shipment, {{"C", 1, {}}, {"D", 1, {}}});
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().field, "items[1].sku");
  auto part = SplitByFulfilment(kit.order, kit.shipment, {{"KIT", 1, {{"Z", 1}}}});
  ASSERT_FALSE(part.ok());
  EXPECT_EQ(part.error().field, "items[0].order_parts.Z");
  // A line fulfilling nothing is passed over even when the shipment lacks it.
  auto zero = SplitByFulfilment(kit.order, kit.shipment, {{"D", 0, {}}, {"C", 1, {}}});
  ASSERT_TRUE(zero.ok()) << zero.error().message;
  EXPECT_EQ(Units(zero->fulfilled), (UnitList{{"C", 1}}));
  auto nothing = SplitByFulfilment(kit.order, kit.shipment, {{"C", 0, {}}});
  ASSERT_FALSE(nothing.ok());
  EXPECT_EQ(nothing.error().field, "items");
}

TEST(FulfilmentSplit, TheRestIsNumberedAfterTheShipment) {
  EXPECT_EQ(RestShipmentNumber("100001-1", 0), "100001-2");
  EXPECT_EQ(RestShipmentNumber("100001-1", 1), "100001-3");
  EXPECT_EQ(RestShipmentNumber("100001-2", 0), "100001-3");
  EXPECT_EQ(RestShipmentNumber("SHIP", 0), "SHIP-2");
  EXPECT_EQ(RestShipmentNumber("A-B", 0), "A-B-2");
  EXPECT_EQ(RestShipmentNumber(std::string(64, 'x'), 0), "");
}

}  // namespace
}  // namespace shipline::app::threepl
