// Editing a shipping order (ShippingOrders::Edit), and placing a dispatched
// order again when an edit changes where, when or what is delivered.
//
// The provider calls happen between two transactions, as in Create and Retry:
// the first checks the edit and claims the order for placement (a new
// placement attempt with a lease), the providers are asked, and the second
// stores the edit with its outcome if the claim still holds. A failure before
// the old booking is cancelled releases the claim and changes nothing else.

#include <algorithm>

#include "app/log.hpp"
#include "app/shipping_orders/delivery_network_repository.hpp"
#include "app/shipping_orders/shipping_events.hpp"
#include "app/shipping_orders/shipping_order_repository.hpp"
#include "app/shipping_orders/shipping_orders.hpp"
#include "domain/shipping_order_rules.hpp"

namespace shipline::app {

using domain::ShippingOrder;
using S = domain::ShippingOrderStatus;

namespace {

Error PlacementFailed(std::string detail) {
  return Error::Of(ErrorReason::kPlacementFailed,
                   "Failed to place the requested order with the configured providers.",
                   std::move(detail));
}

std::string CallKey(const char* what, const ShippingOrder& order) {
  return "shipline-" + std::string(what) + "-" + std::to_string(order.tenant_id) + "-" +
         std::to_string(order.id) + "-" + std::to_string(order.placement_attempts);
}

}  // namespace

void ShippingOrders::UndoBooking(const Actor& actor, const ShippingOrder& order,
                                 const PlacementResult& placed) {
  ShippingOrder booked = order;
  booked.chosen = *placed.chosen;
  booked.provider_order_id = placed.booking.provider_order_id;
  std::string why;
  auto provider = BookedProvider(order.tenant_id, booked, why);
  Status undone = !provider ? Status(std::move(provider).error())
                  : !*provider
                      ? Status(PlacementFailed(why))
                      : (*provider)->Cancel(booked, {CallKey("undo", order), actor.request_id,
                                                     clock_.NowMillis(), actor.traceparent});
  if (!undone) {
    LogError("could not cancel the booking of an order that changed meanwhile",
             LogFields()
                 .Add("order", order.external_id)
                 .Add("provider", booked.chosen.provider_id)
                 .Add("provider_order_id", booked.provider_order_id)
                 .Add("detail", undone.error().detail));
  }
}

Result<PlacedOrder> ShippingOrders::Edit(const Actor& actor, std::string_view external_id,
                                         const std::function<Status(ShippingOrder&)>& change) {
  std::optional<Error> failure;
  ShippingOrder result;
  ShippingOrder claimed;  // set when the edit needs the order placed again
  bool place_again = false;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    place_again = false;  // this function may run again (ARCHITECTURE.md, PostgreSQL)
    failure.reset();
    auto found = tx.ShippingOrders().Find(actor.tenant_id, external_id, false);
    if (!found) return std::move(found).error();
    if (!*found) {
      failure = OrderNotFound(external_id);
      return Ok();
    }
    const ShippingOrder& before = **found;
    ShippingOrder after = before;
    if (auto applied = change(after); !applied) {
      failure = std::move(applied).error().Because(ErrorReason::kInvalidValue);
      return Ok();
    }
    if (auto allowed = domain::CheckEdit(before, after); !allowed) {
      failure = std::move(allowed).error();
      return Ok();
    }
    if (after.external_id != before.external_id) {
      auto taken = tx.ShippingOrders().Find(actor.tenant_id, after.external_id, false);
      if (!taken) return std::move(taken).error();
      if (*taken) {
        failure = Error::Exists("Resource with provided id already exists.", "orderExternalId");
        return Ok();
      }
    }
    // The same address in words without coordinates keeps the ones it had.
    if (!after.delivery_address.HasCoordinates() &&
        domain::SamePlace(before.delivery_address, after.delivery_address)) {
      after.delivery_address.latitude = before.delivery_address.latitude;
      after.delivery_address.longitude = before.delivery_address.longitude;
    }
    auto& network = tx.DeliveryNetwork();
    if (after.location_external_id != before.location_external_id) {
      auto location = network.FindLocation(actor.tenant_id, after.location_external_id);
      if (!location) return std::move(location).error();
      if (!*location) {
        failure = Error::Of(ErrorReason::kInvalidValue,
                            "Invalid data: No such locationExternalId exists in our system.");
        return Ok();
      }
      bool assigned = false;
      for (const auto& id : (*location)->provider_ids) {
        auto provider = network.FindProvider(actor.tenant_id, id);
        if (!provider) return std::move(provider).error();
        assigned = assigned || (*provider && (*provider)->enabled);
      }
      if (!assigned) {
        failure = Error::Of(ErrorReason::kNoProviderAssigned,
                            "No Provider has been assigned to the mentioned location.");
        return Ok();
      }
      after.pickup_address = (*location)->address;
      after.pickup_contact = (*location)->contact;
      after.pickup_name = (*location)->name;
    }
    if (after.return_location &&
        (!before.return_location ||
         before.return_location->external_id != after.return_location->external_id)) {
      auto back = network.FindLocation(actor.tenant_id, after.return_location->external_id);
      if (!back) return std::move(back).error();
      if (!*back) {
        failure = Error::Of(ErrorReason::kInvalidValue, "returnLocationId names no location");
        return Ok();
      }
      after.return_location = domain::ReturnLocation{(*back)->external_id, (*back)->name,
                                                     (*back)->address, (*back)->contact};
    }
    int64_t now = clock_.NowMillis();
    if (before.Booked() && domain::IsInFlight(before.status) &&
        domain::ChangesDelivery(before, after)) {
      if (before.placing_until >= now) {
        failure = PlacementFailed("an earlier edit of the order is being placed");
        return Ok();
      }
      claimed = before;
      ++claimed.placement_attempts;
      claimed.placing_until = now + kPlacementLeaseMillis;
      SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(claimed));
      after.placement_attempts = claimed.placement_attempts;
      after.placing_until = claimed.placing_until;
      result = std::move(after);
      place_again = true;
      return Ok();
    }
    after.last_updated_at = std::max(before.last_updated_at, now);
    SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(after));
    domain::Event event = OrderUpdatedEvent(after, actor.name);
    event.traceparent = actor.traceparent;
    SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
    result = std::move(after);
    return Ok();
  });
  if (!written) return std::move(written).error();
  if (failure) return *failure;
  if (!place_again) return PlacedOrder{std::move(result), {}};
  return PlaceEdited(actor, claimed, std::move(result));
}

Result<PlacedOrder> ShippingOrders::PlaceEdited(const Actor& actor, const ShippingOrder& claimed,
                                                ShippingOrder edited) {
  auto context = LoadContext(actor.tenant_id, edited.location_external_id);
  if (!context) {
    ReleasePlacement(claimed);
    return std::move(context).error();
  }
  std::vector<std::string> warnings;
  if (!edited.delivery_address.HasCoordinates()) {
    auto located = geocoder_.Locate(edited.delivery_address);
    if (located) {
      edited.delivery_address.latitude = located->first;
      edited.delivery_address.longitude = located->second;
      warnings.push_back("The delivery address was placed by the geocoder.");
    } else if (std::all_of(context->providers.begin(), context->providers.end(),
                           [](const auto& p) { return p.provider->NeedsCoordinates(); })) {
      ReleasePlacement(claimed);
      return Error::Of(ErrorReason::kGeocodingFailed,
                       "Geocoding Service for the given address failed.", located.error().message);
    }
  }

  // First choice: the booked provider changes its booking.
  std::string why;
  auto booked = BookedProvider(actor.tenant_id, claimed, why);
  if (!booked) {
    ReleasePlacement(claimed);
    return std::move(booked).error();
  }
  std::shared_ptr<DeliveryProvider> provider = std::move(*booked);
  if (provider) {
    auto updated = provider->Update(edited, {CallKey("update", claimed), actor.request_id,
                                             clock_.NowMillis(), actor.traceparent});
    if (updated) {
      return RecordEdit(actor, claimed, std::move(edited), {std::move(*updated), nullptr, ""},
                        std::move(warnings));
    }
    why = updated.error().message + " (" + updated.error().detail + ")";
  }
  LogInfo("provider did not change a booking; placing the order again",
          LogFields()
              .Add("request_id", actor.request_id)
              .Add("order", claimed.external_id)
              .Add("provider", claimed.chosen.provider_id)
              .Add("detail", why));

  // Otherwise: quote again and rank by the rules. Nothing has changed yet, so
  // a failure here leaves the order and its booking as they were.
  PlacementResult placed = placement_.Rank(edited, context->providers, context->rules,
                                           actor.request_id, actor.traceparent);
  if (placed.failure) {
    ReleasePlacement(claimed);
    return *placed.failure;
  }
  if (!provider || !provider->AllowsCancelAfterDispatch()) {
    ReleasePlacement(claimed);
    return PlacementFailed("provider " + claimed.chosen.provider_id +
                           " neither changes nor cancels the booking" +
                           (provider ? std::string() : ": " + why));
  }
  auto cancelled = provider->Cancel(claimed, {CallKey("cancel", claimed), actor.request_id,
                                              clock_.NowMillis(), actor.traceparent});
  if (!cancelled) {
    ReleasePlacement(claimed);
    return PlacementFailed("the booking at " + claimed.chosen.provider_id +
                           " could not be cancelled: " + cancelled.error().detail);
  }
  placement_.Book(placed, edited, context->providers, claimed.placement_attempts, actor.request_id,
                  actor.traceparent);
  warnings.push_back("Provider " + claimed.chosen.display_name +
                     " could not change the booking; it was cancelled and the order placed again.");
  std::string note = "Booking at " + claimed.chosen.display_name + " cancelled after an edit";
  if (placed.chosen) {
    note = "Dispatched again to " + placed.chosen->display_name + " (" + placed.chosen->service_id +
           ") after an edit; the booking at " + claimed.chosen.display_name + " was cancelled";
    if (!placed.rule_name.empty()) note += " (rule " + placed.rule_name + ")";
  }
  return RecordEdit(actor, claimed, std::move(edited), {std::nullopt, &placed, note},
                    std::move(warnings));
}

Result<PlacedOrder> ShippingOrders::RecordEdit(const Actor& actor, const ShippingOrder& claimed,
                                               ShippingOrder edited, const EditOutcome& outcome,
                                               std::vector<std::string> warnings) {
  const PlacementResult* placed = outcome.placed;
  bool lost = false;  // cancelled, finished or claimed again while the providers were asked
  ShippingOrder recorded;
  Status written = store_.Write([&](StoreWriter& tx) -> Status {
    lost = false;
    auto current = tx.ShippingOrders().Find(claimed.tenant_id, claimed.external_id, false);
    if (!current) return std::move(current).error();
    if (!*current || (*current)->placement_attempts != claimed.placement_attempts ||
        domain::IsTerminal((*current)->status)) {
      lost = true;
      if (*current) recorded = std::move(**current);
      return Ok();
    }
    ShippingOrder o = std::move(edited);
    // What the provider reported meanwhile stands.
    o.status = (*current)->status;
    o.sub_status = (*current)->sub_status;
    o.actual_pickup_at = (*current)->actual_pickup_at;
    o.actual_delivery_at = (*current)->actual_delivery_at;
    o.placing_until = 0;
    o.last_updated_at = std::max((*current)->last_updated_at, clock_.NowMillis());
    if (o.external_id != claimed.external_id) {
      auto taken = tx.ShippingOrders().Find(claimed.tenant_id, o.external_id, false);
      if (!taken) return std::move(taken).error();
      if (*taken) {
        o.external_id = claimed.external_id;
        warnings.push_back("orderExternalId was taken meanwhile and is unchanged.");
      }
    }
    if (outcome.updated) {
      const Booking& b = *outcome.updated;
      o.provider_order_id = b.provider_order_id;
      if (!b.tracking_id.empty()) o.tracking_id = b.tracking_id;
      if (!b.tracking_url.empty()) o.tracking_url = b.tracking_url;
      if (!b.label_url.empty()) o.label_url = b.label_url;
      if (b.fee) o.fee = b.fee;
      if (b.pickup_at) o.estimated_pickup = {b.pickup_at, std::nullopt};
      if (b.delivery_at) o.estimated_delivery = {std::nullopt, b.delivery_at};
      SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
      domain::Event event = OrderUpdatedEvent(o, actor.name);
      event.traceparent = actor.traceparent;
      SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
    } else {
      o.proposed = placed->proposed;
      int64_t now = clock_.NowMillis();
      if (placed->chosen) {
        ApplyBooking(o, *placed->chosen, placed->booking);
        SHIPLINE_RETURN_IF_ERROR(RecordChange(
            tx, o,
            {S::kOrderDispatched, "", placed->booked_at, actor.name, outcome.note, "", "", ""}));
      } else {
        // The old booking is gone and no new one was made: a failed order,
        // which the retry route places again.
        o.chosen = {};
        o.provider_order_id.clear();
        o.tracking_id.clear();
        o.tracking_url.clear();
        o.label_url.clear();
        o.fee.reset();
        o.estimated_pickup = {};
        o.estimated_delivery = {};
        SHIPLINE_RETURN_IF_ERROR(RecordChange(
            tx, o,
            {S::kOrderFailed, "", now, actor.name, outcome.note + "; " + placed->failure->message,
             FailureCode(placed->failure->reason), "", ""}));
      }
      SHIPLINE_RETURN_IF_ERROR(tx.ShippingOrders().Update(o));
    }
    recorded = std::move(o);
    return Ok();
  });
  if (!written) {
    LogError("an edit was placed at a provider but could not be recorded",
             LogFields()
                 .Add("request_id", actor.request_id)
                 .Add("order", claimed.external_id)
                 .Add("detail", written.error().detail));
    return std::move(written).error();
  }
  if (lost) {
    LogError("the order changed while its edit was being placed",
             LogFields().Add("request_id", actor.request_id).Add("order", claimed.external_id));
    if (placed != nullptr && placed->chosen) UndoBooking(actor, claimed, *placed);
    return Error::Of(ErrorReason::kAlreadyCancelled,
                     "The order changed while it was being placed; it is " +
                         std::string(domain::ShippingOrderStatusName(recorded.status)));
  }
  if (placed != nullptr) {
    if (placed->failure) return *placed->failure;
    warnings.insert(warnings.end(), placed->warnings.begin(), placed->warnings.end());
  }
  return PlacedOrder{std::move(recorded), std::move(warnings)};
}

}  // namespace shipline::app
