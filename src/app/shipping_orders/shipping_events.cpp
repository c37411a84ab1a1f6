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
  return {0,
          order.tenant_id,
          std::string(kShippingOrderStatusChanged),
          std::string(kShippingOrdersTopic),
          order.external_id,
          json::serialize(payload),
          order.last_updated_at};
}

domain::Event OrderUpdatedEvent(const domain::ShippingOrder& order, const std::string& by) {
  json::object payload = Basics(order);
  payload["statusUser"] = by;
  return {0,
          order.tenant_id,
          std::string(kShippingOrderUpdated),
          std::string(kShippingOrdersTopic),
          order.external_id,
          json::serialize(payload),
          order.last_updated_at};
}

}  // namespace shipline::app
