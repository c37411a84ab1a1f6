#include "app/update_tracking.hpp"

#include "app/event_payloads.hpp"
#include "app/storefronts.hpp"
#include "domain/order_rules.hpp"
#include "domain/shipment_tracking.hpp"
#include "domain/text_limits.hpp"

namespace shipline::app {

using domain::ShipmentStatus;

namespace {

Status ValidateCommand(const UpdateTrackingCommand& command) {
  if (command.shipment_number.empty() && command.shipment_id <= 0) {
    return Error::Invalid("the shipment is required", "shipmentNumber");
  }
  using domain::TextKind;
  SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLengths(
      {{command.tracking_number.value_or(""), TextKind::kId, "trackingNumber"},
       {command.carrier.value_or(""), TextKind::kId, "carrier"},
       {command.tracking_url.value_or(""), TextKind::kUrl, "trackingUrl"},
       {command.note.value_or(""), TextKind::kNote, "note"}}));
  if (command.tracking_url && !command.tracking_url->empty()) {
    const std::string& url = *command.tracking_url;
    if (url.find_first_of(" \t\r\n") != std::string::npos ||
        !(url.starts_with("https://") || url.starts_with("http://"))) {
      return Error::Invalid("trackingUrl must be an http(s) URL", "trackingUrl");
    }
  }
  return Ok();
}

const domain::Shipment* FindIn(const domain::Order& order, const UpdateTrackingCommand& command) {
  for (const domain::Shipment& shipment : order.shipments) {
    if (command.shipment_number.empty() ? shipment.id == command.shipment_id
                                        : shipment.shipment_number == command.shipment_number) {
      return &shipment;
    }
  }
  return nullptr;
}

std::string ShipmentName(const UpdateTrackingCommand& command) {
  return command.shipment_number.empty() ? std::to_string(command.shipment_id)
                                         : command.shipment_number;
}

}  // namespace

Result<UpdatedTracking> UpdateTracking::Run(const Actor& actor,
                                            const UpdateTrackingCommand& command) {
  SHIPLINE_RETURN_IF_ERROR(ValidateCommand(command));
  const int64_t now = clock_.NowMillis();
  std::optional<UpdatedTracking> updated;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    // Find the order first: by the shipment's number, or the order it must be in.
    int64_t order_id = command.order_id;
    if (!command.shipment_number.empty()) {
      auto found = tx.Orders().FindShipment(actor.tenant_id, command.shipment_number);
      if (!found) return std::move(found).error();
      if (!*found) return Error::NotFound("Shipment not found: " + command.shipment_number);
      if (order_id != 0 && (*found)->order_id != order_id) {
        return Error::NotFound("Shipment not found: " + command.shipment_number);
      }
      order_id = (*found)->order_id;
    } else if (order_id == 0) {
      return Error::Invalid("the order is required with a shipment id", "orderId");
    }
    auto loaded = tx.Orders().FindById(actor.tenant_id, order_id);
    if (!loaded) return std::move(loaded).error();
    if (!*loaded) return Error::NotFound("Shipment not found: " + ShipmentName(command));
    domain::Order& order = **loaded;
    const domain::Shipment* current = FindIn(order, command);
    if (current == nullptr) return Error::NotFound("Shipment not found: " + ShipmentName(command));
    if (current->status == ShipmentStatus::kCancelled) {
      return Error::Precondition("Shipment " + current->shipment_number + " is cancelled");
    }
    auto settings = LoadStorefront(tx, actor.tenant_id, order.store);
    if (!settings) return std::move(settings).error();

    domain::Shipment shipment = *current;
    const bool tracking_changes =
        (command.carrier && *command.carrier != shipment.carrier) ||
        (command.tracking_number && *command.tracking_number != shipment.tracking_number);
    const std::string carrier = command.carrier.value_or(shipment.carrier);
    const std::string number = command.tracking_number.value_or(shipment.tracking_number);
    std::string supplied_url = command.tracking_url.value_or("");
    if (!command.tracking_url && !tracking_changes) supplied_url = shipment.tracking_url;
    domain::TrackingDetails details = ResolveTrackingFor(*settings, carrier, number, supplied_url);
    shipment.carrier = details.carrier;
    shipment.carrier_code = details.carrier_code;
    shipment.tracking_number = number;
    shipment.tracking_url = details.tracking_url;
    if (command.note) shipment.note = *command.note;
    if (command.dispatched_at) {
      shipment.dispatched_at = command.dispatched_at;
      shipment.dispatched_offset_minutes = command.dispatched_offset_minutes;
      shipment.dispatched_date_only = command.dispatched_date_only;
    }
    shipment.updated_at = now;
    auto written = tx.Orders().UpdateShipmentDetails(actor.tenant_id, shipment);
    if (!written) return std::move(written).error();
    if (!*written) return Error::Internal("shipment vanished during its update");

    const bool left = shipment.status == ShipmentStatus::kShipped ||
                      shipment.status == ShipmentStatus::kDelivered;
    const bool send_email =
        left && command.send_email.value_or(settings->send_shipping_confirmation);
    domain::Event event =
        ShipmentEvent(domain::kShipmentTrackingUpdated, order, shipment,
                      TrackingUpdatedPayload(order, shipment, send_email), now, send_email);
    event.traceparent = actor.traceparent;
    SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
    for (domain::Shipment& stored : order.shipments) {
      if (stored.id == shipment.id) stored = shipment;
    }
    updated = UpdatedTracking{std::move(order), std::move(shipment), std::move(details.warnings),
                              event.id, send_email};
    return Ok();
  }));
  return std::move(*updated);
}

}  // namespace shipline::app
