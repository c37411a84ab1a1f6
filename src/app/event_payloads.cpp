#include "app/event_payloads.hpp"

#include <boost/json.hpp>

#include "app/clock.hpp"
#include "domain/money.hpp"

namespace shipline::app {

namespace json = boost::json;

namespace {

const domain::LineItem* LineFor(const domain::Order& order, const domain::ShipmentItem& item) {
  for (const auto& line : order.line_items) {
    if (line.id == item.line_item_id) return &line;
  }
  return nullptr;
}

json::array ItemsJson(const domain::Order& order, const domain::Shipment& shipment) {
  json::array items;
  for (const auto& item : shipment.items) {
    const domain::LineItem* line = LineFor(order, item);
    items.push_back({{"sku", item.sku},
                     {"title", line ? line->title : std::string()},
                     {"quantity", item.quantity}});
  }
  return items;
}

}  // namespace

std::string ShipmentShippedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   int64_t captured_amount) {
  int exponent = domain::CurrencyExponent(order.currency);
  json::object payload{
      {"orderNumber", order.order_number},
      {"shipmentNumber", shipment.shipment_number},
      {"status", "SHIPPED"},
      {"store", order.store},
      {"carrier", shipment.carrier},
      {"carrierTrackingNumber", shipment.tracking_number},
      {"shippedAt", FormatIsoTime(shipment.shipped_at.value_or(0))},
      {"customer", {{"name", order.customer.name}, {"email", order.customer.email}}},
      {"items", ItemsJson(order, shipment)},
      {"capturedAmount", domain::FormatDecimal(captured_amount, exponent)},
      {"currency", order.currency},
  };
  return json::serialize(payload);
}

std::string StatusChangedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                 domain::ShipmentStatus from, domain::ShipmentStatus to) {
  json::object payload{
      {"orderNumber", order.order_number},
      {"shipmentNumber", shipment.shipment_number},
      {"from", domain::ShipmentStatusName(from)},
      {"status", domain::ShipmentStatusName(to)},
  };
  return json::serialize(payload);
}

}  // namespace shipline::app
