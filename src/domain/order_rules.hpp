#pragma once

// Rules of the order aggregate: what makes a new order valid, how much a
// shipment captures, and the shipping state derived from the shipments.

#include <cstdint>
#include <string_view>

#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::domain {

// Limits on what one order may hold; beyond them the order is rejected.
inline constexpr size_t kMaxLineItems = 1000;
inline constexpr size_t kMaxShipments = 100;
inline constexpr size_t kMaxTextLength = 512;
inline constexpr int64_t kMaxQuantity = 1'000'000;

// Checks a new order field by field and links each shipment item to its line
// item (by sku). Errors name the offending field, e.g. "lineItems[1].quantity".
// The sum shipped per line item over all shipments may not exceed the ordered
// quantity.
Status ValidateNewOrder(Order& order);

// Checks an order or shipment number: 1 to 64 characters of letters, digits
// and "-_./".
bool IsValidReference(std::string_view reference);

// The amount a shipment captures: the price of the items it holds, in minor
// units of the order's currency.
int64_t CaptureAmount(const Order& order, const Shipment& shipment);

enum class ShippingState { kUnshipped, kPartiallyShipped, kShipped };
std::string_view ShippingStateName(ShippingState state);  // "unshipped", ...

// Derived from the shipped and delivered shipments' items, never stored.
ShippingState DeriveShippingState(const Order& order);

}  // namespace shipline::domain
