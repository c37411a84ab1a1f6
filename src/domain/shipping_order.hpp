#pragma once

// The shipping-order aggregate: an order a tenant asks shipline to have
// delivered from one of its locations, the estimates the providers gave, the
// one that was booked, and every status change. Plain values; the rules that
// check them live in shipping_order_rules.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/shipping_order_status.hpp"

namespace shipline::domain {

struct PlaceAddress {
  std::string street1;
  std::string street2;
  std::string apartment_number;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country_code;  // ISO 3166-1 alpha-2
  std::optional<double> latitude;
  std::optional<double> longitude;

  bool HasCoordinates() const { return latitude.has_value() && longitude.has_value(); }
};

struct ContactInfo {
  std::string name;
  std::string phone;
  std::string email;
};

// Epoch milliseconds; either end may be open.
struct TimeWindow {
  std::optional<int64_t> starts_at;
  std::optional<int64_t> ends_at;
};

// Sizes and weights as the client gave them, with their units ("in", "cm",
// "mm"; "lb", "oz", "kg", "g"). shipping_order_rules.hpp converts them.
struct ParcelSize {
  double length = 0;
  double width = 0;
  double height = 0;
  std::string unit;
};

struct ParcelWeight {
  double value = 0;
  std::string unit;
};

struct Parcel {
  std::string name;
  std::optional<ParcelSize> size;
  std::optional<ParcelWeight> weight;
  int64_t item_quantity = 1;
  std::string description;
  std::string temperature_control = "none";  // "none", "refrigerated", "frozen", ...
  std::string barcode;
  std::vector<std::string> content;  // e.g. "alcohol"
};

struct ShippingItem {
  std::string sku;
  std::string title;
  int64_t quantity = 1;
  std::optional<ParcelSize> size;
  std::optional<ParcelWeight> weight;
  std::optional<int64_t> price;       // minor units of the order's currency
  std::optional<int64_t> sale_price;  // minor units
};

// One provider's offer for one of its services.
struct Estimate {
  std::string provider_id;
  std::string provider_name;
  std::string display_name;
  std::string service_id;
  std::string service_type;
  int64_t fee = 0;  // minor units of `currency`
  std::string currency;
  int64_t pickup_at = 0;    // estimated, epoch ms
  int64_t delivery_at = 0;  // estimated, epoch ms
  bool temperature_controlled = false;
  std::string quote_id;  // the provider's reference of the quote, if any
};

// A provider the client proposes for its order (proposedProviders): only
// estimates of proposed providers (by id or name) and, when services are
// named, of those services are booked.
struct ProposedProvider {
  std::string name;                      // a provider's id or name
  std::vector<std::string> service_ids;  // empty: any of its services
};

struct ReturnLocation {
  std::string external_id;
  std::string name;
  PlaceAddress address;
  ContactInfo contact;
};

// One recorded change of status.
struct ShippingStatusChange {
  ShippingOrderStatus status = ShippingOrderStatus::kRequestReceived;
  std::string sub_status;  // e.g. RETURN_AT_LOCATION
  int64_t at = 0;
  std::string by;  // API key name or provider name
  std::string note;
  std::string reason_code;  // e.g. CUSTOMER_REJECTED
  std::string reason_title;
  std::string reason_note;
};

struct ShippingOrder {
  int64_t id = 0;         // assigned by the store
  std::string public_id;  // the "id" clients see
  int64_t tenant_id = 0;
  std::string tenant_name;
  std::string external_id;  // orderExternalId, unique per tenant
  std::string location_external_id;
  std::string group_id;
  std::string brand_external_id;
  std::string currency = "USD";
  std::optional<int64_t> order_value;  // minor units

  ContactInfo delivery_contact;
  PlaceAddress delivery_address;
  ContactInfo pickup_contact;  // from the location, when the order was made
  PlaceAddress pickup_address;
  std::string pickup_name;
  Parcel package;
  std::vector<ShippingItem> items;
  TimeWindow pickup_time;    // requested
  TimeWindow delivery_time;  // requested
  std::string signature;
  std::string pickup_instructions;
  std::string delivery_instructions;
  std::string locale;
  // Custom attributes; each value is kept as the client's JSON text.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::optional<ReturnLocation> return_location;
  std::optional<int64_t> created_date;  // the client's own creation time (createdDate)
  std::vector<ProposedProvider> requested_providers;  // empty: any assigned provider

  ShippingOrderStatus status = ShippingOrderStatus::kRequestReceived;
  std::string sub_status;

  // Filled in when the order is booked.
  Estimate chosen;                // provider_id empty until booked
  std::string provider_order_id;  // the provider's id of the booking
  std::string tracking_id;
  std::string tracking_url;
  std::string label_url;
  std::optional<int64_t> fee;  // minor units
  TimeWindow estimated_pickup;
  TimeWindow estimated_delivery;
  std::optional<int64_t> actual_pickup_at;
  std::optional<int64_t> actual_delivery_at;
  std::vector<Estimate> proposed;  // every estimate considered at the last placement
  int64_t placement_attempts = 0;
  // While a placement runs (providers are being asked), no other placement of
  // the order may start; a crashed one frees the order at this time.
  int64_t placing_until = 0;

  int64_t created_at = 0;
  int64_t last_updated_at = 0;
  std::vector<ShippingStatusChange> history;  // oldest first; filled only on request

  bool Booked() const { return !chosen.provider_id.empty(); }
};

}  // namespace shipline::domain
