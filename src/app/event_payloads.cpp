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
    json::object entry{{"sku", item.sku},
                       {"title", line ? line->title : std::string()},
                       {"quantity", item.quantity},
                       {"lineItemId", item.line_item_id}};
    if (!item.bundle_sku.empty()) entry["bundleSku"] = item.bundle_sku;
    items.push_back(std::move(entry));
  }
  return items;
}

json::value OptionalTime(const std::optional<int64_t>& millis) {
  if (!millis) return nullptr;
  return json::value(FormatIsoTime(*millis));
}

// The tracking fields both shipment events carry.
void AddTracking(json::object& payload, const domain::Shipment& shipment) {
  payload["carrierCode"] = shipment.carrier_code;
  payload["trackingUrl"] = shipment.tracking_url;
  payload["service"] = shipment.service;
  payload["packages"] = shipment.package_count;
  payload["returnTrackingNumber"] = shipment.return_tracking_number;
  payload["note"] = shipment.note;
  payload["dispatchedAt"] =
      OptionalTime(shipment.dispatched_at ? shipment.dispatched_at : shipment.shipped_at);
}

}  // namespace

std::string ShipmentShippedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   int64_t captured_amount, bool send_email) {
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
  AddTracking(payload, shipment);
  payload["sendEmail"] = send_email;
  return json::serialize(payload);
}

std::string TrackingUpdatedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   bool send_email) {
  json::object payload{
      {"orderNumber", order.order_number},
      {"shipmentNumber", shipment.shipment_number},
      {"status", domain::ShipmentStatusName(shipment.status)},
      {"store", order.store},
      {"carrier", shipment.carrier},
      {"carrierTrackingNumber", shipment.tracking_number},
      {"customer", {{"name", order.customer.name}, {"email", order.customer.email}}},
  };
  AddTracking(payload, shipment);
  payload["sendEmail"] = send_email;
  return json::serialize(payload);
}

domain::Event ShipmentEvent(std::string_view type, const domain::Order& order,
                            const domain::Shipment& shipment, std::string payload, int64_t now,
                            bool send_email) {
  domain::Event event;
  event.tenant_id = order.tenant_id;
  event.type = type;
  event.topic = domain::kOrdersTopic;
  event.subject = shipment.shipment_number;
  event.payload = std::move(payload);
  event.created_at = now;
  event.storefront = order.store;
  event.order_id = order.id;
  event.shipment_id = shipment.id;
  event.send_email = send_email;
  return event;
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

std::string ShipmentCreatedPayload(const domain::Order& order, const domain::Shipment& shipment,
                                   std::string_view split_from) {
  json::object payload{
      {"orderNumber", order.order_number},
      {"shipmentNumber", shipment.shipment_number},
      {"status", domain::ShipmentStatusName(shipment.status)},
      {"store", order.store},
      {"items", ItemsJson(order, shipment)},
      {"splitFrom", split_from.empty() ? json::value(nullptr) : json::value(split_from)},
  };
  return json::serialize(payload);
}

}  // namespace shipline::app
