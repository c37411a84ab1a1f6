#include "app/complete_shipment.hpp"

#include "app/event_payloads.hpp"
#include "app/log.hpp"
#include "domain/order_rules.hpp"

namespace shipline::app {

using domain::ShipmentStatus;

namespace {

constexpr size_t kMaxTrackingNumber = 128;
constexpr size_t kMaxCarrier = 128;

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Why a shipment cannot be completed, in the words the completion contract
// uses: already done is a conflict, any other status is a bad request.
Error NotCompletable(const domain::Shipment& shipment) {
  if (shipment.status == ShipmentStatus::kShipped ||
      shipment.status == ShipmentStatus::kDelivered) {
    return Error::Conflict("Shipment already completed: " + shipment.shipment_number);
  }
  return Error::Precondition("Shipment is not in RELEASED status: " + shipment.shipment_number +
                             " is " + std::string(domain::ShipmentStatusName(shipment.status)));
}

}  // namespace

Status CompleteShipment::Load(const Actor& actor, const std::string& number, domain::Order& order,
                              domain::Shipment& shipment) {
  return store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.FindShipment(actor.tenant_id, number);
    if (!found) return std::move(found).error();
    if (!*found) return Error::NotFound("Shipment not found: " + number);
    shipment = std::move(**found);
    auto owner = reader.FindOrderById(actor.tenant_id, shipment.order_id);
    if (!owner) return std::move(owner).error();
    if (!*owner) return Error::Internal("shipment " + number + " has no order");
    order = std::move(**owner);
    return Ok();
  });
}

Result<CompletedShipment> CompleteShipment::Run(const Actor& actor,
                                                const CompleteShipmentCommand& command) {
  if (IsBlank(command.shipment_number)) {
    return Error::Invalid("shipmentNumber is required", "shipmentNumber");
  }
  if (command.tracking_number.size() > kMaxTrackingNumber) {
    return Error::Invalid("carrierTrackingNumber is too long", "carrierTrackingNumber");
  }
  if (command.carrier.size() > kMaxCarrier) return Error::Invalid("carrier is too long", "carrier");

  domain::Order order;
  domain::Shipment shipment;
  SHIPLINE_RETURN_IF_ERROR(Load(actor, command.shipment_number, order, shipment));
  if (shipment.status != ShipmentStatus::kReleased) return NotCompletable(shipment);

  int64_t amount = domain::CaptureAmount(order, shipment);
  bool needs_capture = amount > 0 && !order.payment.reference.empty();
  if (!needs_capture || payments_.CapturesLocally()) {
    std::string reference = needs_capture
                                ? "manual-" + order.order_number + "-" + shipment.shipment_number
                                : std::string();
    return Finish(actor, command, order, shipment, "", needs_capture ? amount : 0, reference);
  }

  // The capture is an outside call: claim the shipment first so that of many
  // concurrent requests (on any node) exactly one captures.
  std::string token = ids_.NewToken(16);
  bool claimed = false;
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto taken = tx.ClaimCompletion(shipment.id, token, now + kClaimMillis, now);
    if (!taken) return std::move(taken).error();
    claimed = *taken;
    return Ok();
  }));
  if (!claimed) {
    SHIPLINE_RETURN_IF_ERROR(Load(actor, command.shipment_number, order, shipment));
    if (shipment.status != ShipmentStatus::kReleased) return NotCompletable(shipment);
    return Error::Conflict("Shipment is being completed by a concurrent request: " +
                           shipment.shipment_number);
  }

  CaptureRequest capture{
      order.payment.reference, amount, order.currency,
      "shipline-capture-" + std::to_string(actor.tenant_id) + "-" + std::to_string(shipment.id),
      actor.request_id};
  auto receipt = payments_.Capture(capture);
  if (!receipt) {
    Status released =
        store_.Write([&](StoreWriter& tx) { return tx.ReleaseClaim(shipment.id, token); });
    if (!released) {
      LogWarn(
          "could not release completion claim",
          LogFields().Add("request_id", actor.request_id).Add("detail", released.error().detail));
    }
    Error error = std::move(receipt).error();
    error.message = "Payment capture failed";
    return error;
  }
  return Finish(actor, command, order, shipment, token, amount, receipt->reference);
}

Result<CompletedShipment> CompleteShipment::Finish(const Actor& actor,
                                                   const CompleteShipmentCommand& command,
                                                   const domain::Order& order,
                                                   const domain::Shipment& loaded,
                                                   const std::string& claim_token, int64_t amount,
                                                   const std::string& capture_reference) {
  int64_t now = clock_.NowMillis();
  domain::Shipment shipped = loaded;
  shipped.status = ShipmentStatus::kShipped;
  shipped.shipped_at = now;
  if (!command.tracking_number.empty()) shipped.tracking_number = command.tracking_number;
  if (!command.carrier.empty()) shipped.carrier = command.carrier;

  CompletionRecord record;
  record.tenant_id = actor.tenant_id;
  record.shipment_id = loaded.id;
  record.order_id = order.id;
  record.tracking_number = command.tracking_number;
  record.carrier = command.carrier;
  record.claim_token = claim_token;
  record.captured_amount = amount;
  record.currency = order.currency;
  record.capture_reference = capture_reference;
  record.idempotency_key =
      "shipline-capture-" + std::to_string(actor.tenant_id) + "-" + std::to_string(loaded.id);
  record.change = {"SHIPPED", now, actor.name, ""};
  record.event = {0,
                  actor.tenant_id,
                  std::string(domain::kOrderShipmentShipped),
                  std::string(domain::kOrdersTopic),
                  loaded.shipment_number,
                  ShipmentShippedPayload(order, shipped, amount),
                  now};

  bool recorded = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.RecordCompletion(record);
    if (!done) return std::move(done).error();
    recorded = *done;
    return Ok();
  }));
  if (!recorded) {
    // Another request completed the shipment between our read and our write.
    domain::Order current_order;
    domain::Shipment current;
    SHIPLINE_RETURN_IF_ERROR(Load(actor, loaded.shipment_number, current_order, current));
    if (current.status != ShipmentStatus::kReleased) return NotCompletable(current);
    return Error::Conflict("Shipment is being completed by a concurrent request: " +
                           loaded.shipment_number);
  }
  signal_.Notify();
  return CompletedShipment{loaded.shipment_number, order.order_number, ShipmentStatus::kShipped,
                           record.event.id};
}

}  // namespace shipline::app
