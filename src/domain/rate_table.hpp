#pragma once

// The built-in rate-table provider's pricing: a table of services, each with
// a base fee, a fee per kilometre of great-circle distance and a fee per
// kilogram, lead times, and the limits of what the provider takes (service
// area, largest package, temperature control). Pure computation; the adapter
// reads the table from its JSON configuration.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/shipping_order.hpp"

namespace shipline::domain {

struct RateService {
  std::string id;                     // e.g. "same-day"
  std::string service_type;           // e.g. "Delivery", "Ground"
  int64_t base_fee = 0;               // minor units
  int64_t per_km_fee = 0;             // minor units per kilometre
  int64_t per_kg_fee = 0;             // minor units per kilogram
  int64_t pickup_lead_minutes = 0;    // from now (or the requested pickup start) to pickup
  int64_t delivery_lead_minutes = 0;  // from pickup to delivery, before travel time
  double speed_kmh = 0;               // adds distance / speed to delivery; 0: none
  std::optional<double> max_distance_km;
  std::vector<std::string> temperature_controls = {"none"};
};

struct ServiceArea {
  std::string country_code;
  std::vector<std::string> postal_prefixes;  // empty: the whole country
};

struct RateTable {
  std::string currency = "USD";
  std::vector<RateService> services;
  std::vector<ServiceArea> area;  // empty: anywhere
  // Largest package: sides in millimetres, longest first (0: no limit), and
  // weight in grams (0: no limit).
  std::array<int64_t, 3> max_size_mm{0, 0, 0};
  int64_t max_weight_g = 0;
  bool cancel_after_dispatch = true;
  // Simulated progress in demo mode: minutes from pickup start to pickup
  // completed and from then to out for delivery.
  int64_t pickup_minutes = 10;
};

struct RateQuote {
  const RateService* service = nullptr;
  int64_t fee = 0;  // minor units of the table's currency
  int64_t pickup_at = 0;
  int64_t delivery_at = 0;
};

// Why a table gives no quote, for the log and the warnings.
struct RateRefusal {
  std::string reason;
};

// Quotes every service of `table` that can carry `order` at `now`, or says why
// none can: wrong currency, missing coordinates, outside the service area,
// too large or heavy, too far, or no service with the temperature control.
std::vector<RateQuote> QuoteRates(const RateTable& table, const ShippingOrder& order, int64_t now,
                                  RateRefusal* refusal);

// True when `address` lies in the table's service area.
bool InServiceArea(const RateTable& table, const PlaceAddress& address);

// The status a simulated booking has reached at `now`: dispatched until the
// estimated pickup, PICKUP_STARTED then, PICKUP_COMPLETED `pickup_minutes`
// later, OUT_FOR_DELIVERY halfway to the estimated delivery, ORDER_DELIVERED
// at the estimated delivery.
ShippingOrderStatus SimulatedStatus(const RateTable& table, int64_t pickup_at, int64_t delivery_at,
                                    int64_t now);

}  // namespace shipline::domain
