#include "domain/rate_table.hpp"

#include <algorithm>
#include <cmath>

#include "domain/geo.hpp"
#include "domain/shipping_order_rules.hpp"

namespace shipline::domain {

namespace {

constexpr int64_t kMinute = 60'000;

bool Fits(const RateTable& table, const Parcel& package) {
  if (package.size) {
    auto mm = SizeInMillimetres(*package.size);
    if (!mm) return false;
    for (size_t i = 0; i < 3; ++i) {
      if (table.max_size_mm[i] > 0 && (*mm)[i] > table.max_size_mm[i]) return false;
    }
  }
  if (package.weight && table.max_weight_g > 0) {
    auto grams = WeightInGrams(*package.weight);
    if (!grams || *grams > table.max_weight_g) return false;
  }
  return true;
}

}  // namespace

bool InServiceArea(const RateTable& table, const PlaceAddress& address) {
  if (table.area.empty()) return true;
  for (const auto& area : table.area) {
    if (area.country_code != address.country_code) continue;
    if (area.postal_prefixes.empty()) return true;
    for (const auto& prefix : area.postal_prefixes) {
      if (address.postal_code.starts_with(prefix)) return true;
    }
  }
  return false;
}

std::vector<RateQuote> QuoteRates(const RateTable& table, const ShippingOrder& order, int64_t now,
                                  RateRefusal* refusal) {
  std::vector<RateQuote> quotes;
  auto refuse = [&](std::string reason) {
    if (refusal != nullptr) refusal->reason = std::move(reason);
    return std::vector<RateQuote>();
  };
  if (order.currency != table.currency) return refuse("prices only in " + table.currency);
  if (!order.pickup_address.HasCoordinates() || !order.delivery_address.HasCoordinates()) {
    return refuse("pickup and delivery coordinates are needed");
  }
  if (!InServiceArea(table, order.delivery_address)) {
    return refuse("the delivery address is outside the service area");
  }
  if (!Fits(table, order.package)) return refuse("the package is too large or too heavy");

  double km = GreatCircleKm(*order.pickup_address.latitude, *order.pickup_address.longitude,
                            *order.delivery_address.latitude, *order.delivery_address.longitude);
  int64_t grams = 0;
  if (order.package.weight) grams = WeightInGrams(*order.package.weight).value_or(0);
  double kg = static_cast<double>(grams) / 1000.0;
  const std::string& temperature = order.package.temperature_control.empty()
                                       ? std::string("none")
                                       : order.package.temperature_control;

  for (const auto& service : table.services) {
    if (service.max_distance_km && km > *service.max_distance_km) continue;
    if (std::find(service.temperature_controls.begin(), service.temperature_controls.end(),
                  temperature) == service.temperature_controls.end()) {
      continue;
    }
    RateQuote quote;
    quote.service = &service;
    quote.fee = service.base_fee + std::llround(static_cast<double>(service.per_km_fee) * km) +
                std::llround(static_cast<double>(service.per_kg_fee) * kg);
    int64_t earliest = now + service.pickup_lead_minutes * kMinute;
    quote.pickup_at = std::max(earliest, order.pickup_time.starts_at.value_or(earliest));
    int64_t travel = service.speed_kmh > 0 ? std::llround(km / service.speed_kmh * 60.0) : 0;
    quote.delivery_at = quote.pickup_at + (service.delivery_lead_minutes + travel) * kMinute;
    quotes.push_back(quote);
  }
  if (quotes.empty()) return refuse("no service can carry this order");
  return quotes;
}

ShippingOrderStatus SimulatedStatus(const RateTable& table, int64_t pickup_at, int64_t delivery_at,
                                    int64_t now) {
  if (now >= delivery_at) return ShippingOrderStatus::kOrderDelivered;
  int64_t completed = std::min(delivery_at, pickup_at + table.pickup_minutes * kMinute);
  int64_t out = std::max(completed, pickup_at + (delivery_at - pickup_at) / 2);
  if (now >= out) return ShippingOrderStatus::kOutForDelivery;
  if (now >= completed) return ShippingOrderStatus::kPickupCompleted;
  if (now >= pickup_at) return ShippingOrderStatus::kPickupStarted;
  return ShippingOrderStatus::kOrderDispatched;
}

}  // namespace shipline::domain
