#pragma once

// Rules of the order aggregate: what makes a new order or a new shipment
// valid, how much a shipment captures, and the shipping state and fulfilled
// quantities derived from the shipments.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::domain {

// Limits on what one order may hold; beyond them the order is rejected.
inline constexpr size_t kMaxLineItems = 1000;
inline constexpr size_t kMaxShipments = 100;
inline constexpr size_t kMaxComponents = 100;
inline constexpr int64_t kMaxQuantity = 1'000'000;

// Checks a new order field by field, including its bundles' components, and
// resolves each shipment's items (see ValidateNewShipment). Errors name the
// offending field, e.g. "lineItems[1].quantity" or
// "shipments[1].items[0].quantity". The sum shipped per line item (per
// component for a bundle) over all shipments may not exceed what was ordered.
Status ValidateNewOrder(Order& order);

// Checks a shipment that is to join the stored `order`, and resolves its
// items in place. Each item names its line item by id (line_item_id) or by
// sku. A bundle named as a whole ships `quantity` whole bundles and is
// replaced by its components; a component is named by its own sku (with the
// bundle's id, or alone when exactly one bundle holds it). Items for the same
// line item and sku are merged. The shipment together with the order's other
// shipments that are not cancelled may not hold more of any line item than
// was ordered: kInvalidArgument with reason kQuantityExceeded, naming the
// line item, with field "items[k].quantity" (so is a quantity above
// kMaxQuantity). Other errors name "items[k].quantity", "items[k].lineItemId",
// "items[k].sku" or "items".
Status ValidateNewShipment(const Order& order, Shipment& shipment);

// Checks an order or shipment number: 1 to 64 characters of letters, digits
// and "-_./".
bool IsValidReference(std::string_view reference);

// True for a line item made of components.
inline bool IsBundle(const LineItem& line) { return !line.components.empty(); }

// The amount a shipment captures, in minor units of the order's currency: the
// price of the plain items it holds, plus the price of each bundle that it
// makes whole together with the order's other shipped shipments (a bundle is
// paid for when its last component leaves).
// A shipment's internal comment with `addition` appended on a new line: staff
// notes are added to, never replaced. An empty addition changes nothing.
std::string AppendedComment(std::string_view comment, std::string_view addition);

int64_t CaptureAmount(const Order& order, const Shipment& shipment);

// How many of `line` the order's shipped and delivered shipments fulfil:
// units for a plain line item, whole bundles for a bundle (seed 002: 2
// bundles of 1 A + 1 B, shipped 1 A and 2 B, fulfil 1). Never more than
// ordered.
int64_t FulfilledQuantity(const Order& order, const LineItem& line);

// The form in which a customer's email is matched: ASCII letters folded to
// lower case (the part of an address that mail systems treat alike in
// practice), everything else as given.
std::string CustomerEmailKey(std::string_view email);

enum class ShippingState { kUnshipped, kPartiallyShipped, kShipped, kCancelled };
std::string_view ShippingStateName(ShippingState state);  // "unshipped", ...
// The state named `name` ("unshipped", "partially_shipped", "shipped",
// "cancelled"), or nullopt.
std::optional<ShippingState> ParseShippingState(std::string_view name);

// Derived from the shipped and delivered shipments: shipped when every line
// item is fulfilled, unshipped when nothing has left, cancelled when nothing
// has left and the order has shipments, all of them cancelled. The store
// keeps a copy in the order's row for the queries to filter on, written by
// the same transaction that changes a shipment (store/order_repository.cpp).
ShippingState DeriveShippingState(const Order& order);

}  // namespace shipline::domain
