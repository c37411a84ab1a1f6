#include "domain/order_rules.hpp"

#include <map>
#include <string>

#include "domain/money.hpp"

namespace shipline::domain {

namespace {

std::string At(std::string_view list, size_t index, std::string_view field = {}) {
  std::string path = std::string(list) + "[" + std::to_string(index) + "]";
  if (!field.empty()) path += "." + std::string(field);
  return path;
}

Status RequireText(const std::string& value, std::string_view field, bool required = true) {
  if (required && value.empty()) {
    return Error::Invalid(std::string(field) + " is required", std::string(field));
  }
  if (value.size() > kMaxTextLength) {
    return Error::Invalid(std::string(field) + " is too long", std::string(field));
  }
  return Ok();
}

bool LooksLikeEmail(std::string_view email) {
  auto at = email.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < email.size() &&
         email.find_first_of(" \t\r\n<>,;") == std::string_view::npos;
}

bool IsShipped(const Shipment& shipment) {
  return shipment.status == ShipmentStatus::kShipped ||
         shipment.status == ShipmentStatus::kDelivered;
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
  SHIPLINE_RETURN_IF_ERROR(RequireText(order.store, "store", false));
  if (!IsCurrencyCode(order.currency)) {
    return Error::Invalid("currency must be an ISO 4217 code such as USD", "currency");
  }
  SHIPLINE_RETURN_IF_ERROR(RequireText(order.customer.name, "customer.name", false));
  if (!LooksLikeEmail(order.customer.email) || order.customer.email.size() > 254) {
    return Error::Invalid("customer.email must be an email address", "customer.email");
  }
  if (order.line_items.empty() || order.line_items.size() > kMaxLineItems) {
    return Error::Invalid("lineItems must hold 1 to 1000 items", "lineItems");
  }
  std::map<std::string, size_t> by_sku;
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    const LineItem& item = order.line_items[i];
    SHIPLINE_RETURN_IF_ERROR(RequireText(item.sku, At("lineItems", i, "sku")));
    SHIPLINE_RETURN_IF_ERROR(RequireText(item.title, At("lineItems", i, "title"), false));
    if (item.quantity < 1 || item.quantity > kMaxQuantity) {
      return Error::Invalid("quantity must be between 1 and 1000000",
                            At("lineItems", i, "quantity"));
    }
    if (item.unit_price < 0) {
      return Error::Invalid("unitPrice may not be negative", At("lineItems", i, "unitPrice"));
    }
    if (!by_sku.emplace(item.sku, i).second) {
      return Error::Invalid("sku appears twice: " + item.sku, At("lineItems", i, "sku"));
    }
  }
  if (order.payment.amount_authorized < 0) {
    return Error::Invalid("amountAuthorized may not be negative", "payment.amountAuthorized");
  }
  SHIPLINE_RETURN_IF_ERROR(RequireText(order.payment.provider, "payment.provider", false));
  SHIPLINE_RETURN_IF_ERROR(RequireText(order.payment.reference, "payment.reference", false));
  if (order.shipments.size() > kMaxShipments) {
    return Error::Invalid("an order holds at most 100 shipments", "shipments");
  }
  std::map<size_t, int64_t> shipped;  // line item index -> quantity over all shipments
  std::map<std::string, size_t> numbers;
  for (size_t s = 0; s < order.shipments.size(); ++s) {
    Shipment& shipment = order.shipments[s];
    if (!IsValidReference(shipment.shipment_number)) {
      return Error::Invalid("shipmentNumber must be 1 to 64 letters, digits or -_./",
                            At("shipments", s, "shipmentNumber"));
    }
    if (!numbers.emplace(shipment.shipment_number, s).second) {
      return Error::Invalid("shipmentNumber appears twice", At("shipments", s, "shipmentNumber"));
    }
    if (shipment.status != ShipmentStatus::kPending &&
        shipment.status != ShipmentStatus::kReleased) {
      return Error::Invalid("status must be PENDING or RELEASED", At("shipments", s, "status"));
    }
    if (shipment.items.empty()) {
      return Error::Invalid("a shipment holds at least one item", At("shipments", s, "items"));
    }
    shipment.order_number = order.order_number;
    for (size_t k = 0; k < shipment.items.size(); ++k) {
      ShipmentItem& item = shipment.items[k];
      std::string field = At("shipments", s) + "." + At("items", k);
      auto found = by_sku.find(item.sku);
      if (found == by_sku.end()) {
        return Error::Invalid("unknown sku: " + item.sku, field + ".sku");
      }
      if (item.quantity < 1) {
        return Error::Invalid("quantity must be at least 1", field + ".quantity");
      }
      int64_t& total = shipped[found->second];
      total += item.quantity;
      if (total > order.line_items[found->second].quantity) {
        return Error::Invalid("shipments hold more of " + item.sku + " than was ordered",
                              field + ".quantity");
      }
    }
  }
  return Ok();
}

int64_t CaptureAmount(const Order& order, const Shipment& shipment) {
  int64_t amount = 0;
  for (const ShipmentItem& item : shipment.items) {
    for (const LineItem& line : order.line_items) {
      if (line.id == item.line_item_id || (item.line_item_id == 0 && line.sku == item.sku)) {
        amount += line.unit_price * item.quantity;
        break;
      }
    }
  }
  return amount;
}

std::string_view ShippingStateName(ShippingState state) {
  switch (state) {
    case ShippingState::kUnshipped:
      return "unshipped";
    case ShippingState::kPartiallyShipped:
      return "partially_shipped";
    case ShippingState::kShipped:
      return "shipped";
  }
  return "unshipped";
}

ShippingState DeriveShippingState(const Order& order) {
  int64_t ordered = 0;
  int64_t sent = 0;
  for (const LineItem& line : order.line_items) ordered += line.quantity;
  for (const Shipment& shipment : order.shipments) {
    if (!IsShipped(shipment)) continue;
    for (const ShipmentItem& item : shipment.items) sent += item.quantity;
  }
  if (sent == 0) return ShippingState::kUnshipped;
  return sent >= ordered ? ShippingState::kShipped : ShippingState::kPartiallyShipped;
}

}  // namespace shipline::domain
