#pragma once

// A partial fulfilment: a 3PL reports that it shipped less than a shipment
// holds. The shipment is split into what left (completed as any shipment)
// and the rest (a new RELEASED shipment of the same order). These are the
// pure rules of that split; ShipmentNotifications writes it.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::app::threepl {

// Pieces of one bundle component, as a notification's order_parts tell them.
struct NotifiedPart {
  std::string sku;
  int64_t quantity = 0;
};

// A sku the 3PL shipped: a plain line item's (pieces), a bundle's (whole
// products, as seed 002 counts them: of a 1 A + 1 B bundle, 1 A and 2 B are
// 1) or a bundle component's (pieces).
struct NotifiedItem {
  std::string sku;
  int64_t quantity = 0;
  // For a bundle: the pieces of each component that left. When given they
  // say what left, and `quantity` (whole products) is not used to count.
  std::vector<NotifiedPart> parts{};
};

struct FulfilmentSplit {
  std::vector<domain::ShipmentItem> fulfilled;  // what left, each with a quantity above 0
  std::vector<domain::ShipmentItem> rest;       // what stays; empty when all of it left
};

// Matches `items` against what `shipment` of `order` holds. A plain sku
// takes its line's pieces; a bundle's sku takes `quantity` whole products
// (quantity per bundle of each component) or, with parts, those pieces; a
// component's own sku takes its pieces; an item that fulfils nothing (0,
// with no part above 0) is passed over. Items of the shipment that no
// notified item names stay. Errors (kInvalidArgument, the field in the
// notification's spelling): a sku the shipment does not hold
// ("items[i].sku", "items[i].order_parts.SKU"); more than it holds
// ("items[i].fulfilled_quantity", "items[i].order_parts.SKU"); nothing at all
// ("items").
Result<FulfilmentSplit> SplitByFulfilment(const domain::Order& order,
                                          const domain::Shipment& shipment,
                                          const std::vector<NotifiedItem>& items);

// The number of the `attempt`th candidate (from 0) for the rest of a split
// shipment: "100001-1" gives "100001-2", then "100001-3", ...; a number
// without a numeric suffix, "X", gives "X-2", "X-3", ... Empty when the
// candidate is not a valid reference (too long).
std::string RestShipmentNumber(std::string_view number, int attempt);

}  // namespace shipline::app::threepl
