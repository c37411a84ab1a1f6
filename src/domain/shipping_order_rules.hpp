#pragma once

// The rules a shipping order must satisfy: required fields, limits, units,
// and what may still change once it has been booked.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/result.hpp"
#include "domain/shipping_order.hpp"
#include "domain/text_limits.hpp"

namespace shipline::domain {

inline constexpr size_t kMaxIdLength = MaxTextBytes(TextKind::kExternalId);
inline constexpr size_t kMaxItems = 100;
inline constexpr size_t kMaxTextLength = MaxTextBytes(TextKind::kLongText);

// An external id (order, location, group, provider): 1 to 100 printable
// characters without '/' or control characters.
bool IsValidExternalId(std::string_view id);

// Checks a new or edited order. kInvalidArgument naming the field
// ("deliveryAddress", "package.weight.unit", ...). Does not check that the
// location exists.
Status ValidateShippingOrder(const ShippingOrder& order);

// Length, width and height in millimetres, longest first; nullopt for an
// unknown unit.
std::optional<std::array<int64_t, 3>> SizeInMillimetres(const ParcelSize& size);
// Grams; nullopt for an unknown unit.
std::optional<int64_t> WeightInGrams(const ParcelWeight& weight);

// True when two packages describe the same parcel (name, size, weight,
// quantity, temperature control and content).
bool SamePackage(const Parcel& a, const Parcel& b);

// What an edit may change: anything but the package once the order is booked
// (the contract's VALIDATION_ERROR "packages parameter cannot be changed post
// order dispatch"), and nothing once it is finished. The edited order must
// also pass ValidateShippingOrder. kInvalidArgument naming the field.
Status CheckEdit(const ShippingOrder& before, const ShippingOrder& after);

// True when an edit changes where, when or what is delivered: the pickup
// location, the delivery address, the requested windows, the package or the
// items (by sku and quantity). A booked order changed so must be placed
// again with its provider; contacts, instructions, value and ids need not.
bool ChangesDelivery(const ShippingOrder& before, const ShippingOrder& after);

// True when two addresses are the same place in words (coordinates ignored).
bool SamePlace(const PlaceAddress& a, const PlaceAddress& b);

}  // namespace shipline::domain
