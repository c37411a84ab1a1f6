#pragma once

// The statuses of a shipping order dispatched through a delivery provider and
// the one table of allowed moves between them. A move that the table does not
// allow is never made: a late or repeated provider update that would move an
// order sideways or backwards is ignored by the caller.

#include <optional>
#include <string_view>

namespace shipline::domain {

enum class ShippingOrderStatus {
  kRequestReceived,    // stored, no estimate yet
  kEstimatesReceived,  // providers answered; one is being chosen and booked
  kOrderDispatched,    // booked at a provider
  kPickupStarted,
  kPickupCompleted,
  kOutForDelivery,
  kOrderDelivered,      // terminal
  kOrderFailed,         // placement failed; can be retried
  kOrderCancelled,      // terminal
  kOrderUndeliverable,  // terminal, with a sub-status such as RETURN_AT_LOCATION
};

std::string_view ShippingOrderStatusName(ShippingOrderStatus status);  // "ORDER_DISPATCHED"
std::optional<ShippingOrderStatus> ParseShippingOrderStatus(std::string_view name);

// True when the table allows moving from `from` to `to`. Staying in the same
// status is never a move.
bool CanTransition(ShippingOrderStatus from, ShippingOrderStatus to);

// True for the statuses a provider may report (pickup onwards, failure,
// cancellation and undeliverable); the earlier ones are shipline's own.
bool ProviderMayReport(ShippingOrderStatus status);

// Delivered, cancelled and undeliverable orders never change again.
bool IsTerminal(ShippingOrderStatus status);

// Booked at a provider and not yet finished: the statuses simulated progress
// and provider updates act on.
bool IsInFlight(ShippingOrderStatus status);

// True once the provider has started the pickup: from then on, where the
// order goes can no longer change.
bool PickupHasStarted(ShippingOrderStatus status);

}  // namespace shipline::domain
