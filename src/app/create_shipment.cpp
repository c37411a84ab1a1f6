#include "app/create_shipment.hpp"

#include "app/event_payloads.hpp"
#include "app/log.hpp"
#include "app/orders.hpp"
#include "app/storefronts.hpp"
#include "domain/order_rules.hpp"
#include "domain/shipment_tracking.hpp"
#include "domain/text_limits.hpp"

namespace shipline::app {

using domain::ShipmentStatus;

namespace {

constexpr int64_t kMaxPackages = 10'000;
constexpr int kNumberAttempts = 20;

Status ValidateCommand(const CreateShipmentCommand& command) {
  if (command.order_number.empty() && command.order_id <= 0) {
    return Error::Invalid("the order is required", "orderNumber");
  }
  if (!command.shipment_number.empty() && !domain::IsValidReference(command.shipment_number)) {
    return Error::Invalid("shipmentNumber must be 1 to 64 letters, digits or -_./",
                          "shipmentNumber");
  }
  if (command.status != ShipmentStatus::kPending && command.status != ShipmentStatus::kReleased) {
    return Error::Invalid("status must be PENDING or RELEASED", "status");
  }
  using domain::TextKind;
  SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLengths(
      {{command.carrier, TextKind::kId, "carrier"},
       {command.tracking_number, TextKind::kId, "trackingNumber"},
       {command.service, TextKind::kId, "service"},
       {command.return_tracking_number, TextKind::kId, "returnTrackingNumber"},
       {command.tracking_url, TextKind::kUrl, "trackingUrl"},
       {command.note, TextKind::kNote, "note"},
       {command.internal_comment, TextKind::kNote, "internalComment"}}));
  if (command.package_count &&
      (*command.package_count < 0 || *command.package_count > kMaxPackages)) {
    return Error::Invalid("packages must be between 0 and 10000", "packages");
  }
  return Ok();
}

}  // namespace

Result<CreatedShipment> CreateShipment::Run(const Actor& actor, CreateShipmentCommand command) {
  SHIPLINE_RETURN_IF_ERROR(ValidateCommand(command));
  if (command.ship) command.status = ShipmentStatus::kReleased;
  const int64_t now = clock_.NowMillis();

  domain::Shipment shipment;
  shipment.status = command.status;
  shipment.items = std::move(command.items);
  shipment.created_at = shipment.updated_at = now;
  shipment.history = {
      {std::string(domain::ShipmentStatusName(command.status)), now, actor.name, ""}};
  shipment.service = command.service;
  shipment.package_count = command.package_count.value_or(0);
  shipment.return_tracking_number = command.return_tracking_number;
  shipment.internal_comment = command.internal_comment;
  shipment.note = command.note;
  shipment.dispatched_at = command.dispatched_at;
  shipment.dispatched_offset_minutes = command.dispatched_offset_minutes;
  shipment.dispatched_date_only = command.dispatched_date_only;

  std::vector<std::string> warnings;
  int64_t order_id = 0;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto found = command.order_number.empty()
                     ? tx.Orders().FindById(actor.tenant_id, command.order_id)
                     : tx.Orders().Find(actor.tenant_id, command.order_number);
    if (!found) return std::move(found).error();
    if (!*found) {
      return Error::NotFound("Order not found: " + (command.order_number.empty()
                                                        ? std::to_string(command.order_id)
                                                        : command.order_number));
    }
    const domain::Order& order = **found;
    order_id = order.id;
    SHIPLINE_RETURN_IF_ERROR(domain::ValidateNewShipment(order, shipment));
    if (!command.ship) {
      // A shipment that leaves later records its tracking now; one that
      // leaves at once records it through the completion.
      auto settings = LoadStorefront(tx, actor.tenant_id, order.store);
      if (!settings) return std::move(settings).error();
      domain::TrackingDetails details = ResolveTrackingFor(
          *settings, command.carrier, command.tracking_number, command.tracking_url);
      shipment.carrier = details.carrier;
      shipment.carrier_code = details.carrier_code;
      shipment.tracking_number = command.tracking_number;
      shipment.tracking_url = details.tracking_url;
      warnings = std::move(details.warnings);
    }
    if (!command.shipment_number.empty()) {
      shipment.shipment_number = command.shipment_number;
      return tx.Orders().InsertShipment(actor.tenant_id, shipment);
    }
    for (int attempt = 0; attempt < kNumberAttempts; ++attempt) {
      shipment.shipment_number =
          order.order_number + "-" +
          std::to_string(order.shipments.size() + 1 + static_cast<size_t>(attempt));
      if (!domain::IsValidReference(shipment.shipment_number)) {
        return Error::Invalid(
            "the order number is too long to number its shipments; "
            "name the shipment",
            "shipmentNumber");
      }
      Status inserted = tx.Orders().InsertShipment(actor.tenant_id, shipment);
      if (inserted.ok() || inserted.error().code != ErrorCode::kAlreadyExists) return inserted;
    }
    return Error::Conflict("no free shipment number for order " + order.order_number);
  }));

  if (command.ship) {
    CompleteShipmentCommand complete;
    complete.shipment_number = shipment.shipment_number;
    complete.tracking_number = command.tracking_number;
    complete.carrier = command.carrier;
    complete.tracking_url = command.tracking_url;
    complete.send_email = command.send_email;
    auto completed = complete_.Run(actor, complete);
    if (!completed) {
      Status cancelled = CancelAfterFailure(actor, shipment, completed.error());
      if (!cancelled.ok()) {
        LogWarn("could not cancel a shipment whose completion failed",
                LogFields()
                    .Add("request_id", actor.request_id)
                    .Add("shipment", shipment.shipment_number)
                    .Add("detail", cancelled.error().detail));
      }
      return std::move(completed).error();
    }
    warnings = std::move(completed->warnings);
  }
  auto created = Reload(actor, order_id, shipment.id);
  if (!created) return std::move(created).error();
  created->warnings = std::move(warnings);
  return created;
}

Status CreateShipment::CancelAfterFailure(const Actor& actor, const domain::Shipment& shipment,
                                          const Error& cause) {
  const int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto order = tx.Orders().FindById(actor.tenant_id, shipment.order_id);
    if (!order) return std::move(order).error();
    if (!*order) return Error::Internal("new shipment without order");
    auto done =
        MoveShipment(tx, actor, **order, shipment, ShipmentStatus::kReleased,
                     ShipmentStatus::kCancelled, "completion failed: " + cause.message, now);
    // Not moved (false): a concurrent request moved it on, which is fine.
    if (!done) return std::move(done).error();
    return Ok();
  }));
  return Ok();
}

Result<CreatedShipment> CreateShipment::Reload(const Actor& actor, int64_t order_id,
                                               int64_t shipment_id) {
  std::optional<CreatedShipment> created;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto order = reader.Orders().FindById(actor.tenant_id, order_id);
    if (!order) return std::move(order).error();
    if (!*order) return Error::Internal("order vanished after a shipment was added");
    for (const domain::Shipment& candidate : (*order)->shipments) {
      if (candidate.id != shipment_id) continue;
      created = CreatedShipment{**order, candidate, {}};
      return Ok();
    }
    return Error::Internal("new shipment not found");
  }));
  return std::move(*created);
}

}  // namespace shipline::app
