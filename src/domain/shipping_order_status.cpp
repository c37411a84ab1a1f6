#include "domain/shipping_order_status.hpp"

#include <array>
#include <utility>

namespace shipline::domain {

namespace {

using S = ShippingOrderStatus;

constexpr std::array<std::pair<S, std::string_view>, 10> kNames{{
    {S::kRequestReceived, "REQUEST_RECEIVED"},
    {S::kEstimatesReceived, "ESTIMATES_RECEIVED"},
    {S::kOrderDispatched, "ORDER_DISPATCHED"},
    {S::kPickupStarted, "PICKUP_STARTED"},
    {S::kPickupCompleted, "PICKUP_COMPLETED"},
    {S::kOutForDelivery, "OUT_FOR_DELIVERY"},
    {S::kOrderDelivered, "ORDER_DELIVERED"},
    {S::kOrderFailed, "ORDER_FAILED"},
    {S::kOrderCancelled, "ORDER_CANCELLED"},
    {S::kOrderUndeliverable, "ORDER_UNDELIVERABLE"},
}};

// Every allowed move, read as "from -> to". Progress only goes forward along
// REQUEST_RECEIVED ... ORDER_DELIVERED (a provider may skip steps); the one
// way back is a retry of a failed order, which starts again at
// ESTIMATES_RECEIVED.
constexpr std::array<std::pair<S, S>, 27> kMoves{{
    {S::kRequestReceived, S::kEstimatesReceived},  {S::kRequestReceived, S::kOrderFailed},
    {S::kRequestReceived, S::kOrderCancelled},     {S::kEstimatesReceived, S::kOrderDispatched},
    {S::kEstimatesReceived, S::kOrderFailed},      {S::kEstimatesReceived, S::kOrderCancelled},
    {S::kOrderDispatched, S::kPickupStarted},      {S::kOrderDispatched, S::kPickupCompleted},
    {S::kOrderDispatched, S::kOutForDelivery},     {S::kOrderDispatched, S::kOrderDelivered},
    {S::kOrderDispatched, S::kOrderUndeliverable}, {S::kOrderDispatched, S::kOrderCancelled},
    {S::kOrderDispatched, S::kOrderFailed},        {S::kPickupStarted, S::kPickupCompleted},
    {S::kPickupStarted, S::kOutForDelivery},       {S::kPickupStarted, S::kOrderDelivered},
    {S::kPickupStarted, S::kOrderUndeliverable},   {S::kPickupStarted, S::kOrderCancelled},
    {S::kPickupStarted, S::kOrderFailed},          {S::kPickupCompleted, S::kOutForDelivery},
    {S::kPickupCompleted, S::kOrderDelivered},     {S::kPickupCompleted, S::kOrderUndeliverable},
    {S::kPickupCompleted, S::kOrderCancelled},     {S::kOutForDelivery, S::kOrderDelivered},
    {S::kOutForDelivery, S::kOrderUndeliverable},  {S::kOrderFailed, S::kEstimatesReceived},
    {S::kOrderFailed, S::kOrderCancelled},
}};

}  // namespace

std::string_view ShippingOrderStatusName(ShippingOrderStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "REQUEST_RECEIVED";
}

std::optional<ShippingOrderStatus> ParseShippingOrderStatus(std::string_view name) {
  for (const auto& [value, text] : kNames) {
    if (text == name) return value;
  }
  return std::nullopt;
}

bool CanTransition(ShippingOrderStatus from, ShippingOrderStatus to) {
  if (from == to) return false;
  for (const auto& [a, b] : kMoves) {
    if (a == from && b == to) return true;
  }
  return false;
}

bool ProviderMayReport(ShippingOrderStatus status) {
  switch (status) {
    case S::kPickupStarted:
    case S::kPickupCompleted:
    case S::kOutForDelivery:
    case S::kOrderDelivered:
    case S::kOrderFailed:
    case S::kOrderCancelled:
    case S::kOrderUndeliverable:
      return true;
    default:
      return false;
  }
}

bool IsTerminal(ShippingOrderStatus status) {
  return status == S::kOrderDelivered || status == S::kOrderCancelled ||
         status == S::kOrderUndeliverable;
}

bool IsInFlight(ShippingOrderStatus status) {
  return status == S::kOrderDispatched || status == S::kPickupStarted ||
         status == S::kPickupCompleted || status == S::kOutForDelivery;
}

bool PickupHasStarted(ShippingOrderStatus status) {
  return status == S::kPickupStarted || status == S::kPickupCompleted ||
         status == S::kOutForDelivery || IsTerminal(status);
}

}  // namespace shipline::domain
