#include "app/complete_shipment.hpp"

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

bool IsBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Why a shipment cannot be completed: already done is a conflict
// (kAlreadyCompleted), any other status an unmet precondition, with the
// reason kShipmentCancelled when the shipment is cancelled.
Error NotCompletable(const domain::Shipment& shipment) {
  if (shipment.status == ShipmentStatus::kShipped ||
      shipment.status == ShipmentStatus::kDelivered) {
    return Error::Of(ErrorReason::kAlreadyCompleted,
                     "Shipment already completed: " + shipment.shipment_number);
  }
  std::string message = "Shipment is not in RELEASED status: " + shipment.shipment_number + " is " +
                        std::string(domain::ShipmentStatusName(shipment.status));
  if (shipment.status == ShipmentStatus::kCancelled) {
    return Error::Of(ErrorReason::kShipmentCancelled, std::move(message));
  }
  return Error::Precondition(std::move(message));
}

Status ValidateCommand(const CompleteShipmentCommand& command) {
  if (IsBlank(command.shipment_number)) {
    return Error::Invalid("shipmentNumber is required", "shipmentNumber");
  }
  // The same kinds the contracts' decoders hold these fields to, for the
  // callers that do not come through one (3PL notifications).
  using domain::TextKind;
  SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLengths(
      {{command.tracking_number, TextKind::kId, "carrierTrackingNumber"},
       {command.carrier, TextKind::kId, "carrier"},
       {command.tracking_url, TextKind::kUrl, "trackingUrl"},
       {command.service, TextKind::kId, "service"},
       {command.return_tracking_number, TextKind::kId, "returnTrackingNumber"},
       {command.internal_comment, TextKind::kNote, "internalComment"}}));
  if (command.package_count &&
      (*command.package_count < 0 || *command.package_count > kMaxPackages)) {
    return Error::Invalid("packages must be between 0 and 10000", "packages");
  }
  return Ok();
}

}  // namespace

CompleteShipment::CompleteShipment(Store& store, PaymentGateway& payments, Clock& clock,
                                   IdSource& ids, metrics::Registry* metrics)
    : store_(store), payments_(payments), clock_(clock), ids_(ids) {
  if (metrics == nullptr) return;
  completions_ = &metrics->GetCounter("shipline_completions_total",
                                      "Shipments completed (moved to SHIPPED), by any contract.");
  auto captures = [metrics](const char* outcome) {
    return &metrics->GetCounter(
        "shipline_payment_captures_total",
        "Payment captures of completed shipments by outcome: succeeded (by the provider, or "
        "recorded by the manual provider) or failed (the shipment stays RELEASED).",
        {{"outcome", outcome}});
  };
  captures_succeeded_ = captures("succeeded");
  captures_failed_ = captures("failed");
}

Status CompleteShipment::Load(const Actor& actor, const CompleteShipmentCommand& command,
                              Loaded& loaded) {
  const std::string& number = command.shipment_number;
  // Only the shipment and what of its order this completion uses, so that
  // its cost does not grow with the order's other shipments.
  StorefrontCache& storefronts = store_.storefront_cache();
  const uint64_t generation = storefronts.generation();
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Orders().FindShipmentInOrder(actor.tenant_id, number);
    if (!found) return std::move(found).error();
    if (!*found) return Error::NotFound("Shipment not found: " + number);
    loaded.order = std::move((*found)->order);
    loaded.shipment = std::move((*found)->shipment);
    auto settings =
        LoadStorefrontCached(storefronts, generation, reader, actor.tenant_id, loaded.order.store);
    if (!settings) return std::move(settings).error();
    loaded.settings = std::move(*settings);
    return Ok();
  }));
  if (!command.order_number.empty() && command.order_number != loaded.order.order_number) {
    return Error::NotFound("Shipment " + number + " is not part of order " + command.order_number);
  }
  return Ok();
}

Status CompleteShipment::ReleaseIfPending(const Actor& actor,
                                          const CompleteShipmentCommand& command, Loaded& loaded) {
  if (!command.release_pending || loaded.shipment.status != ShipmentStatus::kPending) return Ok();
  Status released = store_.Write([&](StoreWriter& tx) {
    return ReleaseShipment(tx, actor, loaded.order, loaded.shipment, clock_.NowMillis());
  });
  // A concurrent request may have released (or completed) it meanwhile; the
  // reload below tells which.
  if (!released.ok() && released.error().code != ErrorCode::kConflict) return released;
  return Load(actor, command, loaded);
}

Result<CompletedShipment> CompleteShipment::Run(const Actor& actor,
                                                const CompleteShipmentCommand& command) {
  SHIPLINE_RETURN_IF_ERROR(ValidateCommand(command));
  Loaded loaded;
  SHIPLINE_RETURN_IF_ERROR(Load(actor, command, loaded));
  SHIPLINE_RETURN_IF_ERROR(ReleaseIfPending(actor, command, loaded));
  if (loaded.shipment.status != ShipmentStatus::kReleased) return NotCompletable(loaded.shipment);

  const domain::Order& order = loaded.order;
  const domain::Shipment& shipment = loaded.shipment;
  int64_t amount = command.capture ? domain::CaptureAmount(order, shipment) : 0;
  bool needs_capture = amount > 0 && !order.payment.reference.empty();
  if (!needs_capture || payments_.CapturesLocally()) {
    std::string reference = needs_capture
                                ? "manual-" + order.order_number + "-" + shipment.shipment_number
                                : std::string();
    return Finish(actor, command, loaded, "", needs_capture ? amount : 0, reference);
  }

  // The capture is an outside call: claim the shipment first so that of many
  // concurrent requests (on any node) exactly one captures.
  std::string token = ids_.NewToken(16);
  bool claimed = false;
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto taken = tx.Orders().ClaimCompletion(shipment.id, token, now + kClaimMillis, now);
    if (!taken) return std::move(taken).error();
    claimed = *taken;
    return Ok();
  }));
  if (!claimed) {
    Loaded current;
    SHIPLINE_RETURN_IF_ERROR(Load(actor, command, current));
    if (current.shipment.status != ShipmentStatus::kReleased) {
      return NotCompletable(current.shipment);
    }
    return Error::Conflict("Shipment is being completed by a concurrent request: " +
                           shipment.shipment_number);
  }

  CaptureRequest capture{
      order.payment.reference,
      amount,
      order.currency,
      "shipline-capture-" + std::to_string(actor.tenant_id) + "-" + std::to_string(shipment.id),
      actor.request_id,
      actor.traceparent};
  auto receipt = payments_.Capture(capture);
  metrics::Add(receipt ? captures_succeeded_ : captures_failed_);
  if (!receipt) {
    Status released =
        store_.Write([&](StoreWriter& tx) { return tx.Orders().ReleaseClaim(shipment.id, token); });
    if (!released) {
      LogWarn(
          "could not release completion claim",
          LogFields().Add("request_id", actor.request_id).Add("detail", released.error().detail));
    }
    Error error = std::move(receipt).error();
    error.message = "Payment capture failed";
    return error;
  }
  return Finish(actor, command, loaded, token, amount, receipt->reference);
}

Result<CompletedShipment> CompleteShipment::Finish(const Actor& actor,
                                                   const CompleteShipmentCommand& command,
                                                   const Loaded& loaded,
                                                   const std::string& claim_token, int64_t amount,
                                                   const std::string& capture_reference) {
  const domain::Order& order = loaded.order;
  int64_t now = clock_.NowMillis();
  domain::Shipment shipped = loaded.shipment;
  shipped.status = ShipmentStatus::kShipped;
  shipped.shipped_at = now;
  shipped.updated_at = now;

  // What the client says now wins over what the shipment was created with;
  // a link the shipment had is kept unless the carrier or number changes.
  const bool tracking_named = !command.carrier.empty() || !command.tracking_number.empty();
  const std::string& carrier = command.carrier.empty() ? shipped.carrier : command.carrier;
  const std::string& number =
      command.tracking_number.empty() ? shipped.tracking_number : command.tracking_number;
  std::string supplied_url = command.tracking_url;
  if (supplied_url.empty() && !tracking_named) supplied_url = shipped.tracking_url;
  domain::TrackingDetails details =
      ResolveTrackingFor(loaded.settings, carrier, number, supplied_url);
  shipped.carrier = details.carrier;
  shipped.carrier_code = details.carrier_code;
  shipped.tracking_number = number;
  shipped.tracking_url = details.tracking_url;
  if (!command.service.empty()) shipped.service = command.service;
  if (command.package_count) shipped.package_count = *command.package_count;
  if (!command.return_tracking_number.empty()) {
    shipped.return_tracking_number = command.return_tracking_number;
  }
  if (command.dispatched_at) shipped.dispatched_at = command.dispatched_at;
  shipped.internal_comment =
      domain::AppendedComment(shipped.internal_comment, command.internal_comment);
  const bool send_email = command.send_email.value_or(loaded.settings.send_shipping_confirmation);

  CompletionRecord record;
  record.tenant_id = actor.tenant_id;
  record.shipment_id = loaded.shipment.id;
  record.order_id = order.id;
  record.tracking_number = number;
  record.carrier = details.carrier;
  record.carrier_code = details.carrier_code;
  record.tracking_url = details.tracking_url;
  record.service = command.service;
  record.package_count = command.package_count;
  record.return_tracking_number = command.return_tracking_number;
  record.dispatched_at = command.dispatched_at;
  // The claim (or the RELEASED guard) keeps anyone else from changing the
  // comment between the read and this write.
  if (!command.internal_comment.empty()) record.internal_comment = shipped.internal_comment;
  record.claim_token = claim_token;
  record.captured_amount = amount;
  record.currency = order.currency;
  record.capture_reference = capture_reference;
  record.idempotency_key = "shipline-capture-" + std::to_string(actor.tenant_id) + "-" +
                           std::to_string(loaded.shipment.id);
  record.change = {"SHIPPED", now, actor.name, ""};
  for (const auto& item : loaded.shipment.items) {
    record.ships_bundle_parts = record.ships_bundle_parts || !item.bundle_sku.empty();
  }
  record.event =
      ShipmentEvent(domain::kOrderShipmentShipped, order, loaded.shipment,
                    ShipmentShippedPayload(order, shipped, amount, send_email), now, send_email);
  record.event.traceparent = actor.traceparent;

  bool recorded = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.Orders().RecordCompletion(record);
    if (!done) return std::move(done).error();
    recorded = *done;
    return Ok();
  }));
  if (!recorded) {
    // Another request completed the shipment between our read and our write.
    Loaded current;
    SHIPLINE_RETURN_IF_ERROR(Load(actor, command, current));
    if (current.shipment.status != ShipmentStatus::kReleased) {
      return NotCompletable(current.shipment);
    }
    return Error::Conflict("Shipment is being completed by a concurrent request: " +
                           loaded.shipment.shipment_number);
  }
  metrics::Add(completions_);
  // A capture the manual provider records is counted once it is recorded.
  if (amount > 0 && payments_.CapturesLocally()) metrics::Add(captures_succeeded_);
  shipped.history.clear();
  CompletedShipment completed;
  completed.shipment_number = loaded.shipment.shipment_number;
  completed.order_number = order.order_number;
  completed.event_id = record.event.id;
  completed.warnings = std::move(details.warnings);
  completed.shipment = std::move(shipped);
  completed.order_id = order.id;
  completed.send_email = send_email;
  return completed;
}

}  // namespace shipline::app
