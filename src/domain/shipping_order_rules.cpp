#include "domain/shipping_order_rules.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <string>

namespace shipline::domain {

namespace {

// Each text is held to its kind's limit in the one table (text_limits.hpp);
// the contract's own limits (external ids, instructions) are kinds of it.
bool ValidText(const std::string& text, TextKind kind) { return text.size() <= MaxTextBytes(kind); }

bool IsCountryCode(std::string_view code) {
  return code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
         std::isupper(static_cast<unsigned char>(code[1]));
}

Status CheckAddress(const PlaceAddress& address, const std::string& path) {
  if (address.street1.empty()) return Error::Invalid(path + ".street1 is required", path);
  if (address.city.empty()) return Error::Invalid(path + ".city is required", path);
  if (!IsCountryCode(address.country_code)) {
    return Error::Invalid(path + ".countryCode must be an ISO 3166-1 alpha-2 code",
                          path + ".countryCode");
  }
  for (const std::string* text : {&address.street1, &address.street2, &address.apartment_number,
                                  &address.city, &address.state, &address.postal_code}) {
    if (!ValidText(*text, TextKind::kAddress)) {
      return Error::Invalid(path + " has a field that is too long", path);
    }
  }
  if (address.latitude.has_value() != address.longitude.has_value()) {
    return Error::Invalid(path + " needs both latitude and longitude", path);
  }
  if (address.latitude &&
      (!std::isfinite(*address.latitude) || std::fabs(*address.latitude) > 90)) {
    return Error::Invalid(path + ".latitude must be between -90 and 90", path + ".latitude");
  }
  if (address.longitude &&
      (!std::isfinite(*address.longitude) || std::fabs(*address.longitude) > 180)) {
    return Error::Invalid(path + ".longitude must be between -180 and 180", path + ".longitude");
  }
  return Ok();
}

Status CheckSize(const std::optional<ParcelSize>& size, const std::string& path) {
  if (!size) return Ok();
  if (!SizeInMillimetres(*size)) {
    return Error::Invalid(path + ".unit must be in, cm or mm", path + ".unit");
  }
  for (double d : {size->length, size->width, size->height}) {
    if (!std::isfinite(d) || d < 0 || d > 100'000) {
      return Error::Invalid(path + " must hold non-negative dimensions", path);
    }
  }
  return Ok();
}

Status CheckWeight(const std::optional<ParcelWeight>& weight, const std::string& path) {
  if (!weight) return Ok();
  if (!WeightInGrams(*weight)) {
    return Error::Invalid(path + ".unit must be lb, oz, kg or g", path + ".unit");
  }
  if (!std::isfinite(weight->value) || weight->value < 0 || weight->value > 1'000'000) {
    return Error::Invalid(path + ".value must be a non-negative number", path + ".value");
  }
  return Ok();
}

Status CheckWindow(const TimeWindow& window, const std::string& path) {
  if (window.starts_at && *window.starts_at < 0) {
    return Error::Invalid(path + ".startsAt must be epoch milliseconds", path + ".startsAt");
  }
  if (window.ends_at && *window.ends_at < 0) {
    return Error::Invalid(path + ".endsAt must be epoch milliseconds", path + ".endsAt");
  }
  if (window.starts_at && window.ends_at && *window.starts_at > *window.ends_at) {
    return Error::Invalid(path + ".startsAt must not be after endsAt", path);
  }
  return Ok();
}

bool SameWindow(const TimeWindow& a, const TimeWindow& b) {
  return a.starts_at == b.starts_at && a.ends_at == b.ends_at;
}

bool SameAddress(const PlaceAddress& a, const PlaceAddress& b) {
  return a.street1 == b.street1 && a.street2 == b.street2 &&
         a.apartment_number == b.apartment_number && a.city == b.city && a.state == b.state &&
         a.postal_code == b.postal_code && a.country_code == b.country_code &&
         a.latitude == b.latitude && a.longitude == b.longitude;
}

}  // namespace

bool IsValidExternalId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  return std::none_of(id.begin(), id.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f || c == '/';
  });
}

std::optional<std::array<int64_t, 3>> SizeInMillimetres(const ParcelSize& size) {
  double factor = 0;
  if (size.unit == "in") {
    factor = 25.4;
  } else if (size.unit == "cm") {
    factor = 10;
  } else if (size.unit == "mm") {
    factor = 1;
  } else {
    return std::nullopt;
  }
  std::array<int64_t, 3> mm{std::llround(size.length * factor), std::llround(size.width * factor),
                            std::llround(size.height * factor)};
  std::sort(mm.begin(), mm.end(), std::greater<>());
  return mm;
}

std::optional<int64_t> WeightInGrams(const ParcelWeight& weight) {
  double factor = 0;
  if (weight.unit == "lb") {
    factor = 453.59237;
  } else if (weight.unit == "oz") {
    factor = 28.349523125;
  } else if (weight.unit == "kg") {
    factor = 1000;
  } else if (weight.unit == "g") {
    factor = 1;
  } else {
    return std::nullopt;
  }
  return std::llround(weight.value * factor);
}

Status ValidateShippingOrder(const ShippingOrder& order) {
  if (order.location_external_id.empty()) {
    return Error::Invalid("locationExternalId is a required field", "locationExternalId");
  }
  if (!IsValidExternalId(order.location_external_id)) {
    return Error::Invalid("locationExternalId must be 1 to 100 characters without '/'",
                          "locationExternalId");
  }
  if (!IsValidExternalId(order.external_id)) {
    return Error::Invalid("orderExternalId is required: 1 to 100 characters without '/'",
                          "orderExternalId");
  }
  if (!order.group_id.empty() && !IsValidExternalId(order.group_id)) {
    return Error::Invalid("groupId must be at most 100 characters", "groupId");
  }
  if (!ValidText(order.brand_external_id, TextKind::kId)) {
    return Error::Invalid("brandExternalId is too long", "brandExternalId");
  }
  if (order.currency.size() != 3 || !std::all_of(order.currency.begin(), order.currency.end(),
                                                 [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return Error::Invalid("currencyCode must be an ISO 4217 code", "currencyCode");
  }
  if (order.order_value && *order.order_value < 0) {
    return Error::Invalid("orderValue must be zero or more", "orderValue");
  }
  if (order.delivery_address.street1.empty() && order.delivery_address.city.empty() &&
      order.delivery_address.country_code.empty()) {
    return Error::Invalid("Delivery Address not provided", "deliveryAddress");
  }
  SHIPLINE_RETURN_IF_ERROR(CheckAddress(order.delivery_address, "deliveryAddress"));
  if (order.delivery_contact.name.empty()) {
    return Error::Invalid("deliveryContact.name is required", "deliveryContact.name");
  }
  for (auto [text, kind] : {std::pair{&order.delivery_contact.name, TextKind::kName},
                            std::pair{&order.delivery_contact.phone, TextKind::kPhone},
                            std::pair{&order.delivery_contact.email, TextKind::kEmail}}) {
    if (!ValidText(*text, kind)) {
      return Error::Invalid("deliveryContact is too long", "deliveryContact");
    }
  }
  SHIPLINE_RETURN_IF_ERROR(CheckSize(order.package.size, "package.size"));
  SHIPLINE_RETURN_IF_ERROR(CheckWeight(order.package.weight, "package.weight"));
  if (order.package.item_quantity < 0) {
    return Error::Invalid("package.itemQuantity must be zero or more", "package.itemQuantity");
  }
  if (!ValidText(order.package.name, TextKind::kName) ||
      !ValidText(order.package.description, TextKind::kLongText) ||
      !ValidText(order.package.barcode, TextKind::kId) ||
      !ValidText(order.package.temperature_control, TextKind::kCode)) {
    return Error::Invalid("package has a field that is too long", "package");
  }
  if (order.items.size() > kMaxItems) {
    return Error::Invalid("itemList may hold at most 100 items", "itemList");
  }
  for (size_t i = 0; i < order.items.size(); ++i) {
    const auto& item = order.items[i];
    std::string path = "itemList[" + std::to_string(i) + "]";
    if (item.quantity < 1) return Error::Invalid(path + ".quantity must be 1 or more", path);
    if ((item.price && *item.price < 0) || (item.sale_price && *item.sale_price < 0)) {
      return Error::Invalid(path + " prices must be zero or more", path);
    }
    if (!ValidText(item.sku, TextKind::kId) || !ValidText(item.title, TextKind::kLongText)) {
      return Error::Invalid(path + " has a field that is too long", path);
    }
    SHIPLINE_RETURN_IF_ERROR(CheckSize(item.size, path + ".size"));
    SHIPLINE_RETURN_IF_ERROR(CheckWeight(item.weight, path + ".weight"));
  }
  SHIPLINE_RETURN_IF_ERROR(CheckWindow(order.pickup_time, "pickupTime"));
  SHIPLINE_RETURN_IF_ERROR(CheckWindow(order.delivery_time, "deliveryTime"));
  for (const std::string* text : {&order.pickup_instructions, &order.delivery_instructions}) {
    if (!ValidText(*text, TextKind::kLongText)) {
      return Error::Invalid("instructions may be at most 10000 characters", "deliveryInstructions");
    }
  }
  if (!ValidText(order.signature, TextKind::kExternalId) ||
      !ValidText(order.locale, TextKind::kCode)) {
    return Error::Invalid("signature or locale is too long", "signature");
  }
  if (order.requested_providers.size() > 20) {
    return Error::Invalid("proposedProviders may hold at most 20 providers", "proposedProviders");
  }
  for (const auto& proposed : order.requested_providers) {
    if (!IsValidExternalId(proposed.name) || proposed.service_ids.size() > 20) {
      return Error::Invalid(
          "proposedProviders needs a name (a provider's id or name) and at most 20 services",
          "proposedProviders");
    }
    for (const auto& id : proposed.service_ids) {
      if (!ValidText(id, TextKind::kId)) {
        return Error::Invalid("a service id is too long", "proposedProviders");
      }
    }
  }
  if (order.attributes.size() > 100) {
    return Error::Invalid("orderAttributes may hold at most 100 entries", "orderAttributes");
  }
  return Ok();
}

bool SamePackage(const Parcel& a, const Parcel& b) {
  auto same_size = [](const std::optional<ParcelSize>& x, const std::optional<ParcelSize>& y) {
    if (x.has_value() != y.has_value()) return false;
    return !x || SizeInMillimetres(*x) == SizeInMillimetres(*y);
  };
  auto same_weight = [](const std::optional<ParcelWeight>& x,
                        const std::optional<ParcelWeight>& y) {
    if (x.has_value() != y.has_value()) return false;
    return !x || WeightInGrams(*x) == WeightInGrams(*y);
  };
  return a.name == b.name && same_size(a.size, b.size) && same_weight(a.weight, b.weight) &&
         a.item_quantity == b.item_quantity && a.temperature_control == b.temperature_control &&
         a.content == b.content;
}

Status CheckEdit(const ShippingOrder& before, const ShippingOrder& after) {
  if (IsTerminal(before.status)) {
    return Error::Invalid("the order is " + std::string(ShippingOrderStatusName(before.status)) +
                              " and can no longer be changed",
                          "status");
  }
  bool booked = before.Booked() && before.status != ShippingOrderStatus::kOrderFailed;
  if (booked && !SamePackage(before.package, after.package)) {
    // The contract's own words for the one field a booking freezes.
    return Error::Invalid("packages parameter cannot be changed post order dispatch", "package");
  }
  return ValidateShippingOrder(after);
}

bool ChangesDelivery(const ShippingOrder& before, const ShippingOrder& after) {
  auto same_items = [](const std::vector<ShippingItem>& a, const std::vector<ShippingItem>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].sku != b[i].sku || a[i].quantity != b[i].quantity) return false;
    }
    return true;
  };
  return before.location_external_id != after.location_external_id ||
         !SameAddress(before.delivery_address, after.delivery_address) ||
         !SameWindow(before.pickup_time, after.pickup_time) ||
         !SameWindow(before.delivery_time, after.delivery_time) ||
         !SamePackage(before.package, after.package) || !same_items(before.items, after.items);
}

bool SamePlace(const PlaceAddress& a, const PlaceAddress& b) {
  PlaceAddress without_a = a;
  PlaceAddress without_b = b;
  without_a.latitude = without_a.longitude = without_b.latitude = without_b.longitude =
      std::nullopt;
  return SameAddress(without_a, without_b);
}

}  // namespace shipline::domain
