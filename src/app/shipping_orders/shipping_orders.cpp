#include "app/shipping_orders/shipping_orders.hpp"

#include <algorithm>
#include <map>

#include "app/log.hpp"
#include "app/shipping_orders/delivery_network_repository.hpp"
#include "app/shipping_orders/shipping_events.hpp"
#include "app/shipping_orders/shipping_order_repository.hpp"
#include "domain/shipping_order_rules.hpp"

namespace shipline::app {

using domain::ShippingOrder;
using S = domain::ShippingOrderStatus;

namespace {}  // namespace

const char* FailureCode(ErrorReason reason) {
  switch (reason) {
    case ErrorReason::kNoProviderMatched:
      return "NO_PROVIDER_MATCHED";
    case ErrorReason::kUnintelligibleAnswer:
      return "UNMAPPED_ERROR";
    default:
      return "PLACE_ORDER_FAILED";
  }
}

namespace {

// Progress in the order a simulated booking goes through it.
constexpr S kProgress[] = {S::kOrderDispatched, S::kPickupStarted, S::kPickupCompleted,
                           S::kOutForDelivery, S::kOrderDelivered};

int ProgressIndex(S status) {
  for (int i = 0; i < 5; ++i) {
    if (kProgress[i] == status) return i;
  }
  return -1;
}

}  // namespace

void ApplyBooking(ShippingOrder& o, const domain::Estimate& chosen, const Booking& booking) {
  o.chosen = chosen;
  o.provider_order_id = booking.provider_order_id;
  o.tracking_id = booking.tracking_id.empty() ? booking.provider_order_id : booking.tracking_id;
  o.tracking_url = booking.tracking_url;
  o.label_url = booking.label_url;
  o.fee = booking.fee.value_or(chosen.fee);
  o.estimated_pickup = {booking.pickup_at.value_or(chosen.pickup_at), std::nullopt};
  o.estimated_delivery = {std::nullopt, booking.delivery_at.value_or(chosen.delivery_at)};
  o.actual_pickup_at.reset();
  o.actual_delivery_at.reset();
}

Error OrderNotFound(std::string_view id) {
  return Error::NotFound("Order with id, " + std::string(id) + ", is not found");
}

Status ShippingOrders::RecordChange(StoreWriter& tx, ShippingOrder& order,
                                    domain::ShippingStatusChange change) {
  S from = order.status;
  order.status = change.status;
  order.sub_status = change.sub_status;
  order.last_updated_at = std::max(order.last_updated_at, clock_.NowMillis());
  SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().AppendHistory(order.id, change));
  domain::Event event = StatusChangedEvent(order, from, change);
  return tx.Events().Insert(event);
}

Result<ShippingOrders::Context> ShippingOrders::LoadContext(int64_t tenant_id,
                                                            const std::string& location_id) {
  Context context;
  std::vector<ProviderRecord> records;
  bool found = false;
  Status read = store_.Read([&](StoreReader& reader) -> Status {
    auto& network = reader.DeliveryNetwork();
    auto location = network.FindLocation(tenant_id, location_id);
    if (!location) return std::move(location).error();
    if (!*location) return Ok();
    found = true;
    context.location = std::move(**location);
    for (const auto& id : context.location.provider_ids) {
      auto provider = network.FindProvider(tenant_id, id);
      if (!provider) return std::move(provider).error();
      if (*provider && (*provider)->enabled) records.push_back(std::move(**provider));
    }
    auto rules = network.ListRules(tenant_id);
    if (!rules) return std::move(rules).error();
    context.rules = std::move(*rules);
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (!found) {
    return Error::Of(ErrorReason::kUnknownLocation,
                     "Invalid Data: No such locationExternalId exists in our system. Please "
                     "provide a valid locationExternalId.");
  }
  for (auto& record : records) {
    auto provider = providers_.Get(record);
    if (!provider) {
      LogWarn(
          "provider cannot be used",
          LogFields().Add("provider", record.provider_id).Add("detail", provider.error().message));
      continue;
    }
    context.providers.push_back({std::move(record), std::move(*provider)});
  }
  if (context.providers.empty()) {
    return Error::Of(ErrorReason::kNoProviderAssigned,
                     "No Provider has been assigned to the mentioned location.");
  }
  return context;
}

Result<PlacedOrder> ShippingOrders::Create(const Actor& actor, ShippingOrder order) {
  if (auto valid = domain::ValidateShippingOrder(order); !valid) return std::move(valid).error();
  auto context = LoadContext(actor.tenant_id, order.location_external_id);
  if (!context) return std::move(context).error();
  std::vector<std::string> warnings;
  order.tenant_id = actor.tenant_id;
  order.pickup_address = context->location.address;
  order.pickup_contact = context->location.contact;
  order.pickup_name = context->location.name;

  if (!order.delivery_address.HasCoordinates()) {
    auto located = geocoder_.Locate(order.delivery_address);
    if (located) {
      order.delivery_address.latitude = located->first;
      order.delivery_address.longitude = located->second;
      warnings.push_back("The delivery address was placed by the geocoder.");
    } else if (std::all_of(context->providers.begin(), context->providers.end(),
                           [](const auto& p) { return p.provider->NeedsCoordinates(); })) {
      return Error::Of(ErrorReason::kGeocodingFailed,
                       "Geocoding Service for the given address failed.", located.error().message);
    }
  }

  int64_t now = clock_.NowMillis();
  order.public_id = ids_.NewToken(12);
  order.created_at = order.last_updated_at = now;
  order.status = S::kRequestReceived;
  order.placement_attempts = 1;
  order.placing_until = now + kPlacementLeaseMillis;
  std::optional<Error> failure;
  Status stored = store_.Write([&](StoreWriter& tx) -> Status {
    if (order.return_location) {
      auto back =
          tx.DeliveryNetwork().FindLocation(actor.tenant_id, order.return_location->external_id);
      if (!back) return std::move(back).error();
      if (!*back) {
        failure = Error::Invalid("returnLocationId names no location");
        return Ok();
      }
      order.return_location = domain::ReturnLocation{(*back)->external_id, (*back)->name,
                                                     (*back)->address, (*back)->contact};
    }
    auto name = tx.ShippingOrders().TenantName(actor.tenant_id);
    if (!name) return std::move(name).error();
    order.tenant_name = *name;
    domain::ShippingStatusChange first{S::kRequestReceived, "", now, actor.name, "", "", "", ""};
    order.history = {first};
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Insert(order));
    domain::Event event = StatusChangedEvent(order, S::kRequestReceived, first);
    event.traceparent = actor.traceparent;
    return tx.Events().Insert(event);
  });
  if (!stored) return std::move(stored).error();
  if (failure) return *failure;
  order.history.clear();
  return PlaceAndRecord(actor, std::move(order), *context, std::move(warnings));
}

Result<PlacedOrder> ShippingOrders::PlaceAndRecord(const Actor& actor, ShippingOrder order,
                                                   const Context& context,
                                                   std::vector<std::string> warnings) {
  const int64_t attempt = order.placement_attempts;
  PlacementResult placed = placement_.Run(order, context.providers, context.rules, attempt,
                                          actor.request_id, actor.traceparent);

  bool lost = false;  // cancelled (or re-placed) while the providers were asked
  ShippingOrder recorded;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto current = tx.ShippingOrders().Find(order.tenant_id, order.external_id, false);
    if (!current) return std::move(current).error();
    if (!*current) return Error::Internal("shipping order vanished: " + order.external_id);
    ShippingOrder o = std::move(**current);
    if (o.placement_attempts != attempt || domain::IsTerminal(o.status)) {
      lost = true;
      recorded = std::move(o);
      return Ok();
    }
    int64_t now = clock_.NowMillis();
    o.pickup_address = order.pickup_address;
    o.pickup_contact = order.pickup_contact;
    o.pickup_name = order.pickup_name;
    o.proposed = placed.proposed;
    o.placing_until = 0;
    if (placed.estimates_at != 0 && domain::CanTransition(o.status, S::kEstimatesReceived)) {
      SHIPLINE_RETURN_IF_ERROR(RecordChange(
          tx, o,
          {S::kEstimatesReceived, "", placed.estimates_at, actor.name,
           std::to_string(placed.proposed.size()) + " estimate(s) received", "", "", ""}));
    }
    if (placed.failure) {
      if (domain::CanTransition(o.status, S::kOrderFailed)) {
        SHIPLINE_RETURN_IF_ERROR(
            RecordChange(tx, o,
                         {S::kOrderFailed, "", now, actor.name, placed.failure->message,
                          FailureCode(placed.failure->reason), "", ""}));
      }
    } else {
      const domain::Estimate& chosen = *placed.chosen;
      ApplyBooking(o, chosen, placed.booking);
      std::string note = "Dispatched to " + chosen.display_name + " (" + chosen.service_id + ")";
      if (!placed.rule_name.empty()) note += " by rule " + placed.rule_name;
      SHIPLINE_RETURN_IF_ERROR(RecordChange(
          tx, o, {S::kOrderDispatched, "", placed.booked_at, actor.name, note, "", "", ""}));
    }
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
    recorded = std::move(o);
    return Ok();
  });
  if (!written) {
    if (placed.chosen) {
      LogError("booked at a provider but could not record it",
               LogFields()
                   .Add("request_id", actor.request_id)
                   .Add("order", order.external_id)
                   .Add("provider", placed.chosen->provider_id)
                   .Add("provider_order_id", placed.booking.provider_order_id));
    }
    return std::move(written).error();
  }
  if (lost) {
    if (placed.chosen) {
      // The order was cancelled while it was being booked: undo the booking.
      for (const auto& assigned : context.providers) {
        if (assigned.record.provider_id != placed.chosen->provider_id) continue;
        ShippingOrder booked = order;
        booked.chosen = *placed.chosen;
        booked.provider_order_id = placed.booking.provider_order_id;
        booked.status = S::kOrderDispatched;
        auto undone = assigned.provider->Cancel(
            booked,
            {"shipline-cancel-" + std::to_string(order.tenant_id) + "-" + std::to_string(order.id),
             actor.request_id, clock_.NowMillis()});
        if (!undone) {
          LogError(
              "could not cancel the booking of a cancelled order",
              LogFields().Add("order", order.external_id).Add("detail", undone.error().detail));
        }
      }
    }
    return Error::Of(ErrorReason::kAlreadyCancelled,
                     "The order changed while it was being placed; it is " +
                         std::string(domain::ShippingOrderStatusName(recorded.status)));
  }
  if (placed.failure) return *placed.failure;
  warnings.insert(warnings.end(), placed.warnings.begin(), placed.warnings.end());
  return PlacedOrder{std::move(recorded), std::move(warnings)};
}

Result<ShippingOrder> ShippingOrders::Get(const Actor& actor, std::string_view external_id,
                                          bool with_history) {
  std::optional<ShippingOrder> order;
  Status read = store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.ShippingOrders().Find(actor.tenant_id, external_id, with_history);
    if (!found) return std::move(found).error();
    order = std::move(*found);
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (!order) return OrderNotFound(external_id);
  return std::move(*order);
}

Result<ShippingOrders::OrderHistory> ShippingOrders::History(const Actor& actor,
                                                             std::string_view external_id) {
  std::optional<OrderHistory> history;
  Status read = store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.ShippingOrders().Find(actor.tenant_id, external_id, true);
    if (!found) return std::move(found).error();
    if (!*found) return Ok();
    auto location =
        reader.DeliveryNetwork().FindLocation(actor.tenant_id, (*found)->location_external_id);
    if (!location) return std::move(location).error();
    std::string zone = *location ? (*location)->time_zone : "";
    if (zone.empty()) {
      auto fallback = reader.DeliveryNetwork().TenantTimeZone(actor.tenant_id);
      if (!fallback) return std::move(fallback).error();
      zone = std::move(*fallback);
    }
    history = OrderHistory{std::move(**found), std::move(zone)};
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (!history) return OrderNotFound(external_id);
  return std::move(*history);
}

Result<std::shared_ptr<DeliveryProvider>> ShippingOrders::BookedProvider(int64_t tenant_id,
                                                                         const ShippingOrder& order,
                                                                         std::string& why) {
  std::optional<ProviderRecord> record;
  Status read = store_.Read([&](StoreReader& reader) -> Status {
    auto provider = reader.DeliveryNetwork().FindProvider(tenant_id, order.chosen.provider_id);
    if (!provider) return std::move(provider).error();
    record = std::move(*provider);
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (!record) {
    why = "provider " + order.chosen.provider_id + " is no longer configured";
    return std::shared_ptr<DeliveryProvider>();
  }
  auto provider = providers_.Get(*record);
  if (!provider) {
    why = provider.error().message;
    return std::shared_ptr<DeliveryProvider>();
  }
  return std::move(*provider);
}

void ShippingOrders::ReleasePlacement(const ShippingOrder& claimed) {
  Status released = store_.Write([&](StoreWriter& tx) -> Status {
    auto found = tx.ShippingOrders().Find(claimed.tenant_id, claimed.external_id, false);
    if (!found) return std::move(found).error();
    if (!*found || (*found)->placement_attempts != claimed.placement_attempts) return Ok();
    (*found)->placing_until = 0;
    return tx.ShippingOrders().Update(**found);
  });
  if (!released) {
    LogWarn("could not release a placement",
            LogFields().Add("order", claimed.external_id).Add("detail", released.error().detail));
  }
}

Result<ShippingOrder> ShippingOrders::Cancel(const Actor& actor, std::string_view external_id) {
  auto found = Get(actor, external_id, false);
  if (!found) return std::move(found).error();
  const ShippingOrder& order = *found;
  if (order.status == S::kOrderCancelled) {
    return Error::Of(ErrorReason::kAlreadyCancelled,
                     "Requested order is already in Cancelled state.");
  }
  if (domain::IsTerminal(order.status)) {
    return Error::Of(ErrorReason::kCancellationNotAllowed,
                     "The order is " + std::string(domain::ShippingOrderStatusName(order.status)) +
                         " and can no longer be cancelled.");
  }
  bool at_provider = order.Booked() && domain::IsInFlight(order.status);
  std::string note = "Cancelled";
  if (at_provider) {
    std::string why;
    auto provider = BookedProvider(actor.tenant_id, order, why);
    if (!provider) return std::move(provider).error();
    if (!*provider) {
      return Error::Of(ErrorReason::kCancellationFailed, "Provider failed to cancel order", why);
    }
    if (!(*provider)->AllowsCancelAfterDispatch()) {
      return Error::Of(ErrorReason::kCancellationNotAllowed,
                       "Provider does not allow cancellation of orders.");
    }
    ProviderCall call{
        "shipline-cancel-" + std::to_string(actor.tenant_id) + "-" + std::to_string(order.id),
        actor.request_id, clock_.NowMillis(), actor.traceparent};
    auto cancelled = (*provider)->Cancel(order, call);
    if (!cancelled) return std::move(cancelled).error();
    note = "Cancelled at " + order.chosen.display_name;
  }

  std::optional<Error> failure;
  ShippingOrder result;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto current = tx.ShippingOrders().Find(actor.tenant_id, external_id, false);
    if (!current) return std::move(current).error();
    if (!*current) {
      failure = OrderNotFound(external_id);
      return Ok();
    }
    ShippingOrder o = std::move(**current);
    if (o.status == S::kOrderCancelled) {
      failure = Error::Of(ErrorReason::kAlreadyCancelled,
                          "Requested order is already in Cancelled state.");
      return Ok();
    }
    if (!domain::CanTransition(o.status, S::kOrderCancelled)) {
      failure = Error::Of(ErrorReason::kCancellationNotAllowed,
                          "The order is " + std::string(domain::ShippingOrderStatusName(o.status)) +
                              " and can no longer be cancelled.");
      return Ok();
    }
    o.placing_until = 0;
    SHIPLINE_RETURN_IF_ERROR(RecordChange(
        tx, o, {S::kOrderCancelled, "", clock_.NowMillis(), actor.name, note, "", "", ""}));
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
    result = std::move(o);
    return Ok();
  });
  if (!written) return std::move(written).error();
  if (failure) return *failure;
  return result;
}

Result<PlacedOrder> ShippingOrders::Retry(const Actor& actor, std::string_view external_id) {
  std::optional<Error> failure;
  ShippingOrder claimed;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto found = tx.ShippingOrders().Find(actor.tenant_id, external_id, false);
    if (!found) return std::move(found).error();
    if (!*found) {
      failure = OrderNotFound(external_id);
      return Ok();
    }
    ShippingOrder o = std::move(**found);
    int64_t now = clock_.NowMillis();
    bool idle = o.placing_until < now;
    bool retryable = o.status == S::kOrderFailed || o.status == S::kRequestReceived ||
                     o.status == S::kEstimatesReceived;
    if (!retryable || !idle) {
      failure = Error::Of(ErrorReason::kNotRetryable,
                          retryable ? "The Order can no longer be retried: a placement is in "
                                      "progress"
                                    : "The Order can no longer be retried: it is " +
                                          std::string(domain::ShippingOrderStatusName(o.status)));
      return Ok();
    }
    ++o.placement_attempts;
    o.placing_until = now + kPlacementLeaseMillis;
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
    claimed = std::move(o);
    return Ok();
  });
  if (!written) return std::move(written).error();
  if (failure) return *failure;

  auto context = LoadContext(actor.tenant_id, claimed.location_external_id);
  if (!context) {
    ReleasePlacement(claimed);
    return std::move(context).error();
  }
  claimed.pickup_address = context->location.address;
  claimed.pickup_contact = context->location.contact;
  claimed.pickup_name = context->location.name;
  return PlaceAndRecord(actor, std::move(claimed), *context, {});
}

Result<ProviderUpdateResult> ShippingOrders::ApplyProviderUpdate(const Actor& actor,
                                                                 std::string_view provider_id,
                                                                 const ProviderUpdate& update) {
  if (!domain::ProviderMayReport(update.status)) {
    return Error::Invalid("status " + std::string(domain::ShippingOrderStatusName(update.status)) +
                          " is not one a provider reports");
  }
  if (update.provider_order_id.empty() && update.external_id.empty()) {
    return Error::Invalid("orderId or orderExternalId is required");
  }
  std::optional<ProviderRecord> record;
  Status read = store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().FindProvider(actor.tenant_id, provider_id);
    if (!found) return std::move(found).error();
    record = std::move(*found);
    return Ok();
  });
  if (!read) return std::move(read).error();
  if (!record) return Error::NotFound("No such provider: " + std::string(provider_id));
  std::string id(provider_id);
  auto find = [&](StoreWriter& tx) -> Result<std::optional<ShippingOrder>> {
    if (!update.provider_order_id.empty()) {
      return tx.ShippingOrders().FindByProviderOrder(actor.tenant_id, id, update.provider_order_id);
    }
    auto found = tx.ShippingOrders().Find(actor.tenant_id, update.external_id, false);
    if (found && *found && (*found)->chosen.provider_id != id)
      return std::optional<ShippingOrder>();
    return found;
  };
  std::string by = record->display_name.empty() ? record->name : record->display_name;
  return Advance(by, find, update, false);
}

Result<ProviderUpdateResult> ShippingOrders::Advance(const std::string& by, const Finder& find,
                                                     const ProviderUpdate& update,
                                                     bool step_through) {
  ProviderUpdateResult result;
  bool found = false;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    auto current = find(tx);
    if (!current) return std::move(current).error();
    if (!*current) return Ok();
    found = true;
    ShippingOrder o = std::move(**current);
    if (!domain::CanTransition(o.status, update.status)) {
      result.order = std::move(o);
      return Ok();  // late, repeated or backwards: ignored
    }
    int64_t now = clock_.NowMillis();
    int64_t at = update.occurred_at && *update.occurred_at <= now ? *update.occurred_at : now;
    std::vector<S> steps;
    int from = ProgressIndex(o.status);
    int to = ProgressIndex(update.status);
    if (step_through && from >= 0 && to > from) {
      for (int i = from + 1; i < to; ++i) steps.push_back(kProgress[i]);
    }
    steps.push_back(update.status);
    for (S step : steps) {
      if (!domain::CanTransition(o.status, step)) continue;
      bool last = step == update.status;
      if (step == S::kPickupCompleted && !o.actual_pickup_at) o.actual_pickup_at = at;
      if (step == S::kOrderDelivered) o.actual_delivery_at = at;
      SHIPLINE_RETURN_IF_ERROR(
          RecordChange(tx, o,
                       {step, last ? update.sub_status : "", at, by, last ? update.note : "",
                        last ? update.reason_code : "", last ? update.reason_title : "",
                        last ? update.reason_note : ""}));
    }
    if (!update.tracking_id.empty()) o.tracking_id = update.tracking_id;
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
    result.applied = true;
    result.order = std::move(o);
    return Ok();
  });
  if (!written) return std::move(written).error();
  if (!found) {
    return Error::NotFound("No order is booked with this provider under that id");
  }
  return result;
}

Result<int> ShippingOrders::AdvanceSimulated(int limit) {
  std::vector<ProviderRecord> records;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().ListProvidersOfKind(kRateTableKind);
    if (!found) return std::move(found).error();
    records = std::move(*found);
    return Ok();
  }));
  std::map<int64_t, std::vector<ProviderRecord>> by_tenant;
  for (auto& record : records) by_tenant[record.tenant_id].push_back(std::move(record));
  int moved = 0;
  for (const auto& [tenant_id, tenant_records] : by_tenant) {
    std::vector<std::string> ids;
    for (const auto& record : tenant_records) ids.push_back(record.provider_id);
    int64_t after = 0;
    for (;;) {
      std::vector<ShippingOrder> page;
      SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
        auto found = reader.ShippingOrders().ListInFlight(tenant_id, ids, after, 200);
        if (!found) return std::move(found).error();
        page = std::move(*found);
        return Ok();
      }));
      if (page.empty()) break;
      for (const auto& order : page) {
        after = order.id;
        auto record =
            std::find_if(tenant_records.begin(), tenant_records.end(),
                         [&](const auto& r) { return r.provider_id == order.chosen.provider_id; });
        if (record == tenant_records.end()) continue;
        auto provider = providers_.Get(*record);
        if (!provider) continue;
        auto status = (*provider)->Status(order, {"", "", clock_.NowMillis()});
        if (!status || !*status || (*status)->status == order.status) continue;
        ProviderUpdate update;
        update.provider_order_id = order.provider_order_id;
        update.status = (*status)->status;
        update.sub_status = (*status)->sub_status;
        update.note = (*status)->note;
        std::string provider_id = record->provider_id;
        auto find = [&](StoreWriter& tx) {
          return tx.ShippingOrders().FindByProviderOrder(tenant_id, provider_id,
                                                         order.provider_order_id);
        };
        std::string by = record->display_name.empty() ? record->name : record->display_name;
        auto advanced = Advance(by, find, update, true);
        if (advanced && advanced->applied && ++moved >= limit) return moved;
      }
    }
  }
  return moved;
}

}  // namespace shipline::app
