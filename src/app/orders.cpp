#include "app/orders.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <optional>

#include "app/event_payloads.hpp"
#include "app/storefronts.hpp"
#include "domain/order_rules.hpp"
#include "domain/shipment_tracking.hpp"

namespace shipline::app {

using domain::ShipmentStatus;

Result<domain::Order> Orders::Create(const Actor& actor, domain::Order order) {
  SHIPLINE_RETURN_IF_ERROR(domain::ValidateNewOrder(order));
  int64_t now = clock_.NowMillis();
  order.tenant_id = actor.tenant_id;
  order.created_at = now;
  for (auto& shipment : order.shipments) {
    shipment.created_at = shipment.updated_at = now;
    shipment.history = {
        {std::string(domain::ShipmentStatusName(shipment.status)), now, actor.name, ""}};
  }
  auto tracked = [](const domain::Shipment& shipment) {
    return !shipment.carrier.empty() || !shipment.tracking_number.empty();
  };
  const bool names_tracking = std::any_of(order.shipments.begin(), order.shipments.end(), tracked);
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    // Shipments created with a carrier get its registry name and a link,
    // from the store's carriers (read only for those).
    std::optional<StorefrontSettings> settings;
    if (names_tracking) {
      auto loaded = LoadStorefront(tx, actor.tenant_id, order.store);
      if (!loaded) return std::move(loaded).error();
      settings = std::move(*loaded);
    }
    for (auto& shipment : order.shipments) {
      if (!tracked(shipment)) continue;
      domain::TrackingDetails details = ResolveTrackingFor(
          *settings, shipment.carrier, shipment.tracking_number, shipment.tracking_url);
      shipment.carrier = details.carrier;
      shipment.carrier_code = details.carrier_code;
      shipment.tracking_url = details.tracking_url;
    }
    SHIPLINE_RETURN_IF_ERROR(tx.Orders().Insert(actor.tenant_id, order));
    SHIPLINE_RETURN_IF_ERROR(tx.PassThrough().Save(order));
    // A store comes into being with its first order, with default settings.
    return tx.Storefronts().Ensure(actor.tenant_id, order.store, now);
  }));
  return order;
}

Result<domain::Order> Orders::Get(const Actor& actor, std::string_view order_number) {
  std::optional<domain::Order> order;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Orders().Find(actor.tenant_id, order_number);
    if (!found) return std::move(found).error();
    order = std::move(*found);
    if (!order) return Ok();
    return reader.PassThrough().Load(*order);
  }));
  if (!order) return Error::NotFound("Order not found: " + std::string(order_number));
  return std::move(*order);
}

Result<domain::Shipment> Orders::GetShipment(const Actor& actor, std::string_view shipment_number) {
  std::optional<domain::Shipment> shipment;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Orders().FindShipment(actor.tenant_id, shipment_number);
    if (!found) return std::move(found).error();
    shipment = std::move(*found);
    return Ok();
  }));
  if (!shipment) return Error::NotFound("Shipment not found: " + std::string(shipment_number));
  return std::move(*shipment);
}

Result<bool> MoveShipment(StoreWriter& tx, const Actor& actor, const domain::Order& order,
                          const domain::Shipment& shipment, ShipmentStatus from, ShipmentStatus to,
                          std::string note, int64_t now) {
  domain::StatusChange change{std::string(domain::ShipmentStatusName(to)), now, actor.name,
                              std::move(note)};
  auto moved = tx.Orders().TransitionShipment(shipment.id, from, to, change);
  if (!moved || !*moved) return moved;
  domain::Event event = ShipmentEvent(domain::kShipmentStatusChanged, order, shipment,
                                      StatusChangedPayload(order, shipment, from, to), now);
  event.traceparent = actor.traceparent;
  SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
  return true;
}

Status ReleaseShipment(StoreWriter& tx, const Actor& actor, const domain::Order& order,
                       const domain::Shipment& shipment, int64_t now) {
  ShipmentStatus from = shipment.status;
  if (!domain::CanTransition(from, ShipmentStatus::kReleased)) {
    return Error::Precondition("Shipment " + shipment.shipment_number + " is " +
                               std::string(domain::ShipmentStatusName(from)) +
                               "; only a PENDING shipment can be released");
  }
  auto moved = MoveShipment(tx, actor, order, shipment, from, ShipmentStatus::kReleased, "", now);
  if (!moved) return std::move(moved).error();
  if (!*moved) return Error::Conflict("Shipment changed meanwhile: " + shipment.shipment_number);
  return Ok();
}

Result<domain::Shipment> Orders::Release(const Actor& actor, std::string_view shipment_number) {
  int64_t now = clock_.NowMillis();
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    // The event names the order: its header is all this reads of it.
    auto found = tx.Orders().FindShipmentInOrder(actor.tenant_id, shipment_number);
    if (!found) return std::move(found).error();
    if (!*found) return Error::NotFound("Shipment not found: " + std::string(shipment_number));
    return ReleaseShipment(tx, actor, (*found)->order, (*found)->shipment, now);
  });
  SHIPLINE_RETURN_IF_ERROR(written);
  return GetShipment(actor, shipment_number);
}

Result<domain::Shipment> Orders::Cancel(const Actor& actor, std::string_view order_number,
                                        std::string_view shipment_number) {
  const int64_t now = clock_.NowMillis();
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto found = tx.Orders().FindShipmentInOrder(actor.tenant_id, shipment_number);
    if (!found) return std::move(found).error();
    if (!*found || (*found)->order.order_number != order_number) {
      return Error::NotFound("Shipment " + std::string(shipment_number) + " not found in order " +
                             std::string(order_number));
    }
    const domain::Shipment& shipment = (*found)->shipment;
    ShipmentStatus from = shipment.status;
    if (!domain::CanTransition(from, ShipmentStatus::kCancelled)) {
      return Error::Conflict("Shipment " + shipment.shipment_number + " is " +
                             std::string(domain::ShipmentStatusName(from)) +
                             "; only a PENDING or RELEASED shipment can be cancelled");
    }
    auto moved = MoveShipment(tx, actor, (*found)->order, shipment, from,
                              ShipmentStatus::kCancelled, "", now);
    if (!moved) return std::move(moved).error();
    if (!*moved) return Error::Conflict("Shipment changed meanwhile: " + shipment.shipment_number);
    return Ok();
  });
  SHIPLINE_RETURN_IF_ERROR(written);
  return GetShipment(actor, shipment_number);
}

Result<Orders::ConsumerLags> Orders::Lags(const Actor& actor) {
  ConsumerLags lags;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    lags = {};
    EventRepository& events = reader.Events();
    auto newest = events.NewestEventId(actor.tenant_id, std::numeric_limits<int64_t>::max());
    if (!newest) return std::move(newest).error();
    lags.newest_event_id = *newest;
    auto positions = events.Positions();
    if (!positions) return std::move(positions).error();
    for (const ConsumerPosition& saved : *positions) {
      auto handled = events.NewestEventId(actor.tenant_id, saved.position);
      if (!handled) return std::move(handled).error();
      auto behind = events.TenantBacklog(actor.tenant_id, saved.position, kMaxLagCount);
      if (!behind) return std::move(behind).error();
      lags.consumers.push_back(
          {saved.consumer, *handled, behind->behind, behind->oldest_created_at});
    }
    auto pending = events.TenantWebhookBacklog(actor.tenant_id, kMaxLagCount);
    if (!pending) return std::move(pending).error();
    lags.consumers.push_back(
        {"webhooks", std::nullopt, pending->behind, pending->oldest_created_at});
    return Ok();
  }));
  return lags;
}

Result<domain::Order> Orders::GetById(const Actor& actor, int64_t order_id) {
  std::optional<domain::Order> order;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Orders().FindById(actor.tenant_id, order_id);
    if (!found) return std::move(found).error();
    order = std::move(*found);
    return Ok();
  }));
  if (!order) return Error::NotFound("Order not found: " + std::to_string(order_id));
  return std::move(*order);
}

Result<std::vector<Orders::OrderEvent>> Orders::OrderEvents(const Actor& actor,
                                                            std::string_view order_number) {
  std::vector<OrderEvent> out;
  bool found_order = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto order = reader.Orders().Find(actor.tenant_id, order_number);
    if (!order) return std::move(order).error();
    if (!*order) return Ok();
    found_order = true;
    auto events = reader.Events().ListForOrder(actor.tenant_id, (*order)->id, kMaxOrderEvents);
    if (!events) return std::move(events).error();
    auto emails = reader.Events().EmailsForOrder(actor.tenant_id, (*order)->id);
    if (!emails) return std::move(emails).error();
    std::map<int64_t, EmailRecord> by_event;
    for (auto& email : *emails) by_event.emplace(email.event_id, std::move(email));
    for (auto& event : *events) {
      OrderEvent& entry = out.emplace_back();
      if (auto email = by_event.find(event.id); email != by_event.end()) {
        entry.email = std::move(email->second);
      }
      entry.event = std::move(event);
    }
    return Ok();
  }));
  if (!found_order) return Error::NotFound("Order not found: " + std::string(order_number));
  return out;
}

Result<domain::Order> Orders::GetByShipmentId(const Actor& actor, int64_t shipment_id) {
  std::optional<domain::Order> order;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto order_id = reader.Orders().FindOrderIdOfShipment(actor.tenant_id, shipment_id);
    if (!order_id) return std::move(order_id).error();
    if (!*order_id) return Ok();
    auto found = reader.Orders().FindById(actor.tenant_id, **order_id);
    if (!found) return std::move(found).error();
    order = std::move(*found);
    return Ok();
  }));
  if (!order) return Error::NotFound("Shipment not found: " + std::to_string(shipment_id));
  return std::move(*order);
}

Result<std::vector<domain::Event>> Orders::Events(const Actor& actor, int64_t after, int limit) {
  if (after < 0) return Error::Invalid("after must be a non-negative event id", "after");
  if (limit < 1 || limit > kMaxEventPage) return Error::Invalid("limit must be 1 to 1000", "limit");
  std::vector<domain::Event> events;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Events().List(actor.tenant_id, after, limit);
    if (!found) return std::move(found).error();
    events = std::move(*found);
    return Ok();
  }));
  return events;
}

}  // namespace shipline::app
