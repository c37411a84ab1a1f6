#include "domain/order_rules.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/money.hpp"
#include "domain/text_limits.hpp"

namespace shipline::domain {

namespace {

std::string At(std::string_view list, size_t index, std::string_view field = {}) {
  std::string path = std::string(list) + "[" + std::to_string(index) + "]";
  if (!field.empty()) path += "." + std::string(field);
  return path;
}

// `value` present when `required`, and within its kind's limit (text_limits.hpp).
Status RequireText(const std::string& value, TextKind kind, std::string_view field,
                   bool required = true) {
  if (required && value.empty()) {
    return Error::Invalid(std::string(field) + " is required", std::string(field));
  }
  return CheckTextLength(value, kind, field);
}

bool LooksLikeEmail(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t\r\n<>,;") == std::string_view::npos;
}

bool IsShipped(const Shipment& shipment) { return IsShippedStatus(shipment.status); }

bool SameShipment(const Shipment& a, const Shipment& b) {
  if (a.id != 0 || b.id != 0) return a.id == b.id;
  return a.shipment_number == b.shipment_number;
}

// Units shipped (or reserved) per line item, keyed by the line item's index
// in the order and the component sku ("" for a plain line item).
using Tally = std::map<std::pair<size_t, std::string>, int64_t>;

std::optional<size_t> LineIndexById(const Order& order, int64_t id) {
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    if (order.line_items[i].id == id) return i;
  }
  return std::nullopt;
}

std::optional<size_t> LineIndexBySku(const Order& order, std::string_view sku) {
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    if (order.line_items[i].sku == sku) return i;
  }
  return std::nullopt;
}

const BundleComponent* FindComponent(const LineItem& line, std::string_view sku) {
  for (const BundleComponent& component : line.components) {
    if (component.sku == sku) return &component;
  }
  return nullptr;
}

// Adds the items of a stored (already resolved) shipment to `tally`.
void Count(const Order& order, const Shipment& shipment, Tally& tally) {
  for (const ShipmentItem& item : shipment.items) {
    std::optional<size_t> index =
        item.line_item_id != 0
            ? LineIndexById(order, item.line_item_id)
            : LineIndexBySku(order, item.bundle_sku.empty() ? item.sku : item.bundle_sku);
    if (!index) continue;
    tally[{*index, item.bundle_sku.empty() ? std::string() : item.sku}] += item.quantity;
  }
}

int64_t UnitsOf(const Tally& tally, size_t index, const std::string& component) {
  auto found = tally.find({index, component});
  return found == tally.end() ? 0 : found->second;
}

// Whole units of line `index` that `tally` holds: for a bundle, the number of
// complete sets of its components.
int64_t Whole(const LineItem& line, size_t index, const Tally& tally) {
  if (!IsBundle(line)) return std::min(UnitsOf(tally, index, ""), line.quantity);
  int64_t whole = line.quantity;
  for (const BundleComponent& component : line.components) {
    if (component.quantity <= 0) return 0;
    whole = std::min(whole, UnitsOf(tally, index, component.sku) / component.quantity);
  }
  return whole;
}

std::string LineName(const LineItem& line) {
  if (line.id > 0) return "line item " + std::to_string(line.id) + " (sku " + line.sku + ")";
  return "line item " + line.sku;
}

// One resolved part of an input item: a line item, a component of it (or ""
// for the line item itself) and a number of units.
struct Part {
  size_t index = 0;
  std::string component;
  int64_t units = 0;
};

// Resolves the input item at `field` to the units it ships.
Result<std::vector<Part>> Resolve(const Order& order, const ShipmentItem& item,
                                  const std::string& field) {
  if (item.quantity < 1 || item.quantity > kMaxQuantity) {
    Error error = Error::Invalid("quantity must be between 1 and 1000000", field + ".quantity");
    // No line item holds more than kMaxQuantity: more ships more than was ordered.
    if (item.quantity > kMaxQuantity)
      return std::move(error).Because(ErrorReason::kQuantityExceeded);
    return error;
  }
  std::optional<size_t> index;
  std::string component;
  if (item.line_item_id != 0) {
    index = LineIndexById(order, item.line_item_id);
    if (!index) {
      return Error::Invalid("unknown line item: " + std::to_string(item.line_item_id),
                            field + ".lineItemId");
    }
    const LineItem& line = order.line_items[*index];
    if (!item.sku.empty() && item.sku != line.sku) {
      if (!IsBundle(line) || FindComponent(line, item.sku) == nullptr) {
        return Error::Invalid("sku " + item.sku + " is not part of " + LineName(line),
                              field + ".sku");
      }
      component = item.sku;
    }
  } else {
    if (item.sku.empty()) return Error::Invalid("sku is required", field + ".sku");
    index = LineIndexBySku(order, item.sku);
    if (!index) {
      for (size_t i = 0; i < order.line_items.size(); ++i) {
        if (FindComponent(order.line_items[i], item.sku) == nullptr) continue;
        if (index) {
          return Error::Invalid(
              "sku " + item.sku + " is a component of several bundles; name the line item",
              field + ".sku");
        }
        index = i;
        component = item.sku;
      }
    }
    if (!index) return Error::Invalid("unknown sku: " + item.sku, field + ".sku");
  }
  const LineItem& line = order.line_items[*index];
  std::vector<Part> parts;
  if (!IsBundle(line)) {
    parts.push_back({*index, "", item.quantity});
  } else if (!component.empty()) {
    parts.push_back({*index, component, item.quantity});
  } else {
    for (const BundleComponent& part : line.components) {
      parts.push_back({*index, part.sku, item.quantity * part.quantity});
    }
  }
  return parts;
}

// Resolves `shipment`'s items against `order`, adding them to `tally`, which
// holds what the order's other shipments already hold. `prefix` starts each
// error's field ("shipments[2]." or "").
Status AddItems(const Order& order, Shipment& shipment, const std::string& prefix, Tally& tally) {
  if (shipment.items.empty()) {
    return Error::Invalid("a shipment holds at least one item", prefix + "items");
  }
  if (shipment.items.size() > kMaxLineItems) {
    return Error::Invalid("a shipment holds at most 1000 items", prefix + "items");
  }
  std::vector<ShipmentItem> resolved;
  std::vector<std::pair<size_t, std::string>> keys;  // parallel to `resolved`
  for (size_t k = 0; k < shipment.items.size(); ++k) {
    const std::string field = prefix + At("items", k);
    auto parts = Resolve(order, shipment.items[k], field);
    if (!parts) return std::move(parts).error();
    for (const Part& part : *parts) {
      const LineItem& line = order.line_items[part.index];
      std::pair<size_t, std::string> key{part.index, part.component};
      int64_t& total = tally[key];
      total += part.units;
      int64_t allowed = line.quantity;
      if (!part.component.empty()) allowed *= FindComponent(line, part.component)->quantity;
      if (total > allowed) {
        std::string what =
            part.component.empty() ? LineName(line) : part.component + " of " + LineName(line);
        return Error::Invalid("shipments would hold " + std::to_string(total) + " of " + what +
                                  " but " + std::to_string(allowed) + " were ordered",
                              field + ".quantity")
            .Because(ErrorReason::kQuantityExceeded);
      }
      auto same = std::find(keys.begin(), keys.end(), key);
      if (same != keys.end()) {
        resolved[static_cast<size_t>(same - keys.begin())].quantity += part.units;
        continue;
      }
      keys.push_back(key);
      ShipmentItem item;
      item.line_item_id = line.id;
      item.quantity = part.units;
      if (part.component.empty()) {
        item.sku = line.sku;
      } else {
        item.sku = part.component;
        item.bundle_sku = line.sku;
      }
      resolved.push_back(std::move(item));
    }
  }
  shipment.items = std::move(resolved);
  return Ok();
}

Status ValidateComponents(const LineItem& item, size_t i) {
  if (item.components.size() > kMaxComponents) {
    return Error::Invalid("a bundle holds at most 100 components",
                          At("lineItems", i, "components"));
  }
  std::set<std::string> seen;
  for (size_t j = 0; j < item.components.size(); ++j) {
    const BundleComponent& component = item.components[j];
    const std::string field = At("lineItems", i) + "." + At("components", j);
    SHIPLINE_RETURN_IF_ERROR(RequireText(component.sku, TextKind::kId, field + ".sku"));
    if (component.quantity < 1 || component.quantity > kMaxQuantity) {
      return Error::Invalid("quantity must be between 1 and 1000000", field + ".quantity");
    }
    if (!seen.insert(component.sku).second) {
      return Error::Invalid("component sku appears twice: " + component.sku, field + ".sku");
    }
  }
  return Ok();
}

}  // namespace

bool IsValidReference(std::string_view reference) {
  if (reference.empty() || reference.size() > 64) return false;
  for (char c : reference) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == '/';
    if (!ok) return false;
  }
  return true;
}

Status ValidateNewOrder(Order& order) {
  if (!IsValidReference(order.order_number)) {
    return Error::Invalid("orderNumber must be 1 to 64 letters, digits or -_./", "orderNumber");
  }
  SHIPLINE_RETURN_IF_ERROR(RequireText(order.store, TextKind::kId, "store", false));
  if (!IsCurrencyCode(order.currency)) {
    return Error::Invalid("currency must be an ISO 4217 code such as USD", "currency");
  }
  SHIPLINE_RETURN_IF_ERROR(
      RequireText(order.customer.name, TextKind::kName, "customer.name", false));
  if (!LooksLikeEmail(order.customer.email) ||
      order.customer.email.size() > MaxTextBytes(TextKind::kEmail)) {
    return Error::Invalid("customer.email must be an email address", "customer.email");
  }
  if (order.line_items.empty() || order.line_items.size() > kMaxLineItems) {
    return Error::Invalid("lineItems must hold 1 to 1000 items", "lineItems");
  }
  std::set<std::string> skus;
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    const LineItem& item = order.line_items[i];
    SHIPLINE_RETURN_IF_ERROR(RequireText(item.sku, TextKind::kId, At("lineItems", i, "sku")));
    SHIPLINE_RETURN_IF_ERROR(
        RequireText(item.title, TextKind::kName, At("lineItems", i, "title"), false));
    if (item.quantity < 1 || item.quantity > kMaxQuantity) {
      return Error::Invalid("quantity must be between 1 and 1000000",
                            At("lineItems", i, "quantity"));
    }
    if (item.unit_price < 0) {
      return Error::Invalid("unitPrice may not be negative", At("lineItems", i, "unitPrice"));
    }
    if (!skus.insert(item.sku).second) {
      return Error::Invalid("sku appears twice: " + item.sku, At("lineItems", i, "sku"));
    }
    SHIPLINE_RETURN_IF_ERROR(ValidateComponents(item, i));
  }
  if (order.payment.amount_authorized < 0) {
    return Error::Invalid("amountAuthorized may not be negative", "payment.amountAuthorized");
  }
  SHIPLINE_RETURN_IF_ERROR(
      RequireText(order.payment.provider, TextKind::kCode, "payment.provider", false));
  SHIPLINE_RETURN_IF_ERROR(
      RequireText(order.payment.reference, TextKind::kId, "payment.reference", false));
  if (order.shipments.size() > kMaxShipments) {
    return Error::Invalid("an order holds at most 100 shipments", "shipments");
  }
  Tally tally;
  std::set<std::string> numbers;
  for (size_t s = 0; s < order.shipments.size(); ++s) {
    Shipment& shipment = order.shipments[s];
    if (!IsValidReference(shipment.shipment_number)) {
      return Error::Invalid("shipmentNumber must be 1 to 64 letters, digits or -_./",
                            At("shipments", s, "shipmentNumber"));
    }
    if (!numbers.insert(shipment.shipment_number).second) {
      return Error::Invalid("shipmentNumber appears twice", At("shipments", s, "shipmentNumber"));
    }
    if (shipment.status != ShipmentStatus::kPending &&
        shipment.status != ShipmentStatus::kReleased) {
      return Error::Invalid("status must be PENDING or RELEASED", At("shipments", s, "status"));
    }
    shipment.order_number = order.order_number;
    SHIPLINE_RETURN_IF_ERROR(AddItems(order, shipment, At("shipments", s) + ".", tally));
  }
  return Ok();
}

Status ValidateNewShipment(const Order& order, Shipment& shipment) {
  if (order.shipments.size() >= kMaxShipments) {
    return Error::Invalid("an order holds at most 100 shipments", "shipments");
  }
  // Cancelled shipments give their items back; every other one holds them.
  Tally tally;
  for (const Shipment& other : order.shipments) {
    if (other.status != ShipmentStatus::kCancelled) Count(order, other, tally);
  }
  shipment.order_id = order.id;
  shipment.order_number = order.order_number;
  return AddItems(order, shipment, "", tally);
}

int64_t CaptureAmount(const Order& order, const Shipment& shipment) {
  Tally before;
  for (const Shipment& other : order.shipments) {
    if (IsShipped(other) && !SameShipment(other, shipment)) Count(order, other, before);
  }
  Tally own;
  Count(order, shipment, own);
  Tally with = before;
  for (const auto& [key, units] : own) with[key] += units;
  int64_t amount = 0;
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    const LineItem& line = order.line_items[i];
    if (IsBundle(line)) {
      amount += line.unit_price * (Whole(line, i, with) - Whole(line, i, before));
    } else {
      amount += line.unit_price * UnitsOf(own, i, "");
    }
  }
  return amount;
}

int64_t FulfilledQuantity(const Order& order, const LineItem& line) {
  std::optional<size_t> index =
      line.id != 0 ? LineIndexById(order, line.id) : LineIndexBySku(order, line.sku);
  if (!index) return 0;
  Tally shipped;
  for (const Shipment& shipment : order.shipments) {
    if (IsShipped(shipment)) Count(order, shipment, shipped);
  }
  return Whole(order.line_items[*index], *index, shipped);
}

std::string_view ShippingStateName(ShippingState state) {
  switch (state) {
    case ShippingState::kUnshipped:
      return "unshipped";
    case ShippingState::kPartiallyShipped:
      return "partially_shipped";
    case ShippingState::kShipped:
      return "shipped";
    case ShippingState::kCancelled:
      return "cancelled";
  }
  return "unshipped";
}

std::string CustomerEmailKey(std::string_view email) {
  std::string key(email);
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

std::optional<ShippingState> ParseShippingState(std::string_view name) {
  for (ShippingState state : {ShippingState::kUnshipped, ShippingState::kPartiallyShipped,
                              ShippingState::kShipped, ShippingState::kCancelled}) {
    if (ShippingStateName(state) == name) return state;
  }
  return std::nullopt;
}

ShippingState DeriveShippingState(const Order& order) {
  Tally shipped;
  for (const Shipment& shipment : order.shipments) {
    if (IsShipped(shipment)) Count(order, shipment, shipped);
  }
  bool any = false;
  for (const auto& [key, units] : shipped) any = any || units > 0;
  if (!any) {
    bool all_cancelled = !order.shipments.empty();
    for (const Shipment& shipment : order.shipments) {
      all_cancelled = all_cancelled && shipment.status == ShipmentStatus::kCancelled;
    }
    return all_cancelled ? ShippingState::kCancelled : ShippingState::kUnshipped;
  }
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    if (Whole(order.line_items[i], i, shipped) < order.line_items[i].quantity) {
      return ShippingState::kPartiallyShipped;
    }
  }
  return ShippingState::kShipped;
}

std::string AppendedComment(std::string_view comment, std::string_view addition) {
  std::string out(comment);
  if (addition.empty()) return out;
  if (!out.empty()) out.push_back('\n');
  out.append(addition);
  return out;
}

}  // namespace shipline::domain
