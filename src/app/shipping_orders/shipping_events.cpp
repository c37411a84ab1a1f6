#include "app/shipping_orders/shipping_events.hpp"

#include <boost/json.hpp>

#include "app/clock.hpp"

namespace shipline::app {

namespace json = boost::json;

namespace {

json::object Basics(const domain::ShippingOrder& order) {
  return {{"id", order.public_id},
          {"orderExternalId", order.external_id},
          {"locationExternalId", order.location_external_id},
          {"status", domain::ShippingOrderStatusName(order.status)},
          {"providerId", order.chosen.provider_id},
          {"trackingId", order.tracking_id},
          {"lastUpdatedAt", FormatIsoTime(order.last_updated_at)}};
}

// An event about `order` on the shipping-orders topic. Shipping orders have
// no storefront, order or shipment of the order API: the typed headers stay
// empty and the subject names the order.
domain::Event ShippingOrderEvent(std::string_view type, const domain::ShippingOrder& order,
                                 std::string payload) {
  domain::Event event;
  event.tenant_id = order.tenant_id;
  event.type = type;
  event.topic = kShippingOrdersTopic;
  event.subject = order.external_id;
  event.payload = std::move(payload);
  event.created_at = order.last_updated_at;
  return event;
}

}  // namespace

domain::Event StatusChangedEvent(const domain::ShippingOrder& order,
                                 domain::ShippingOrderStatus from,
                                 const domain::ShippingStatusChange& change) {
  json::object payload = Basics(order);
  payload["previousStatus"] = domain::ShippingOrderStatusName(from);
  payload["status"] = domain::ShippingOrderStatusName(change.status);
  payload["subStatus"] = change.sub_status;
  payload["at"] = FormatIsoTime(change.at);
  payload["statusUser"] = change.by;
  payload["note"] = change.note;
  if (!change.reason_code.empty()) {
    payload["eventReason"] = json::object{
        {"code", change.reason_code}, {"title", change.reason_title}, {"note", change.reason_note}};
  }
  return ShippingOrderEvent(kShippingOrderStatusChanged, order, json::serialize(payload));
}

domain::Event OrderUpdatedEvent(const domain::ShippingOrder& order, const std::string& by) {
  json::object payload = Basics(order);
  payload["statusUser"] = by;
  return ShippingOrderEvent(kShippingOrderUpdated, order, json::serialize(payload));
}

}  // namespace shipline::app
