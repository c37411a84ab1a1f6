#include "domain/shipment_status.hpp"

#include <array>
#include <utility>

namespace shipline::domain {

namespace {

using S = ShipmentStatus;

constexpr std::array<std::pair<S, std::string_view>, 5> kNames{{
    {S::kPending, "PENDING"},
    {S::kReleased, "RELEASED"},
    {S::kShipped, "SHIPPED"},
    {S::kDelivered, "DELIVERED"},
    {S::kCancelled, "CANCELLED"},
}};

constexpr std::array<std::pair<S, S>, 5> kAllowedMoves{{
    {S::kPending, S::kReleased},
    {S::kPending, S::kCancelled},
    {S::kReleased, S::kShipped},
    {S::kReleased, S::kCancelled},
    {S::kShipped, S::kDelivered},
}};

}  // namespace

std::string_view ShipmentStatusName(ShipmentStatus status) {
  for (const auto& [value, name] : kNames) {
    if (value == status) return name;
  }
  return "UNKNOWN";
}

std::optional<ShipmentStatus> ParseShipmentStatus(std::string_view name) {
  for (const auto& [value, known] : kNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

bool IsShippedStatus(ShipmentStatus status) {
  return status == S::kShipped || status == S::kDelivered;
}

bool CanTransition(ShipmentStatus from, ShipmentStatus to) {
  for (const auto& [a, b] : kAllowedMoves) {
    if (a == from && b == to) return true;
  }
  return false;
}

}  // namespace shipline::domain
