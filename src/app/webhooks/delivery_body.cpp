#include "app/webhooks/delivery_body.hpp"

#include <boost/json.hpp>

#include "app/clock.hpp"
#include "app/webhooks/webhook_repository.hpp"

namespace shipline::app::webhooks {

namespace json = boost::json;

std::string NativeEventBody(const domain::Event& event) {
  boost::system::error_code ec;
  json::value data = json::parse(event.payload, ec);
  if (ec) data = json::value(event.payload);
  json::object envelope{{"type", event.type},
                        {"timestamp", FormatIsoTime(event.created_at)},
                        {"eventId", event.id},
                        {"subject", event.subject},
                        {"data", std::move(data)}};
  return json::serialize(envelope);
}

std::string TestEventBody(int64_t subscription_id, int64_t now) {
  json::object envelope{
      {"type", kTestEventType},
      {"timestamp", FormatIsoTime(now)},
      {"eventId", nullptr},
      {"subject", ""},
      {"data",
       {{"subscriptionId", subscription_id},
        {"message", "A test event from shipline: this subscription can receive webhooks."}}}};
  return json::serialize(envelope);
}

Result<ShipmentSnapshot> LoadShipmentSnapshot(StoreReader& reader, int64_t tenant_id,
                                              std::string_view shipment_number) {
  ShipmentSnapshot snapshot;
  auto shipment = reader.Orders().FindShipment(tenant_id, shipment_number);
  if (!shipment) return std::move(shipment).error();
  if (!*shipment) return Error::NotFound("shipment " + std::string(shipment_number) + " is gone");
  snapshot.shipment = std::move(**shipment);
  auto order = reader.Orders().FindById(tenant_id, snapshot.shipment.order_id);
  if (!order) return std::move(order).error();
  if (!*order)
    return Error::NotFound("the order of shipment " + std::string(shipment_number) + " is gone");
  snapshot.order = std::move(**order);
  auto packages = reader.ThreePl().ListPackages(snapshot.shipment.id);
  if (!packages) return std::move(packages).error();
  snapshot.packages = std::move(*packages);
  SHIPLINE_RETURN_IF_ERROR(reader.PassThrough().Load(snapshot.order));
  auto report = reader.ThreePl().FindReport(snapshot.shipment.id);
  if (!report) return std::move(report).error();
  snapshot.report = std::move(*report);
  if (snapshot.report.ship_from.Empty()) {
    auto store = reader.Storefronts().Find(tenant_id, snapshot.order.store);
    if (!store) return std::move(store).error();
    if (*store) snapshot.report.ship_from = (*store)->ship_from;
  }
  if (snapshot.report.ship_from.Empty()) snapshot.report.ship_from.name = snapshot.order.store;
  return snapshot;
}

Result<std::string> DeliveryBodies::Build(StoreReader& reader, const Subscription& subscription,
                                          const Delivery& delivery) const {
  if (!delivery.body.empty()) return delivery.body;
  if (!delivery.event_id) return Error::NotFound("the delivery has neither body nor event");
  auto events = reader.Events().List(delivery.tenant_id, *delivery.event_id - 1, 1);
  if (!events) return std::move(events).error();
  if (events->empty() || events->front().id != *delivery.event_id) {
    return Error::NotFound("event " + std::to_string(*delivery.event_id) + " is gone");
  }
  const domain::Event& event = events->front();
  if (subscription.format == PayloadFormat::kNative) return NativeEventBody(event);
  if (threepl_ == nullptr) return Error::Precondition("no 3PL formatter is configured");
  auto snapshot = LoadShipmentSnapshot(reader, event.tenant_id, event.subject);
  if (!snapshot) return std::move(snapshot).error();
  return threepl_->Format(*snapshot);
}

}  // namespace shipline::app::webhooks
