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

// The event's payload as a JSON object; nullopt when it is not one (payloads
// are shipline's own JSON, but events written by older versions or tests may
// carry anything).
std::optional<json::object> PayloadObject(const domain::Event& event) {
  boost::system::error_code ec;
  json::value payload = json::parse(event.payload, ec);
  if (ec || !payload.is_object()) return std::nullopt;
  return std::move(payload.as_object());
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

bool WantsCustomerEmail(const domain::Event& event) {
  if (event.type != domain::kOrderShipmentShipped &&
      event.type != domain::kShipmentTrackingUpdated) {
    return false;
  }
  auto payload = PayloadObject(event);
  if (!payload) return true;
  const json::value* send = payload->if_contains("sendEmail");
  return send == nullptr || !send->is_bool() || send->as_bool();
}

std::optional<std::string> PayloadStore(const domain::Event& event) {
  auto payload = PayloadObject(event);
  if (!payload) return std::nullopt;
  const json::value* store = payload->if_contains("store");
  if (store == nullptr || !store->is_string()) return std::nullopt;
  return std::string(store->as_string());
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
