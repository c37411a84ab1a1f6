#pragma once

// The order aggregate: an order, its line items, its payment and its
// shipments. Plain values; the rules that check them live in order_rules.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/shipment_status.hpp"

namespace shipline::domain {

struct Customer {
  std::string name;
  std::string email;
};

struct Address {
  std::string name;
  std::string line1;
  std::string line2;
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country;  // ISO 3166-1 alpha-2
  std::string phone;
};

// One part of a bundle: each bundle holds `quantity` units of `sku`.
struct BundleComponent {
  std::string sku;
  int64_t quantity = 0;
};

struct LineItem {
  int64_t id = 0;  // assigned by the store
  std::string sku;
  std::string title;
  int64_t quantity = 0;
  int64_t unit_price = 0;  // minor units of the order's currency
  // Empty for a plain item. A bundle leaves the warehouse as its components:
  // shipments hold component units, and the line's fulfilled quantity is the
  // number of whole bundles shipped (see order_rules.hpp).
  std::vector<BundleComponent> components{};
  // The client's own data about the line, passed on without being read (a
  // 3PL notification's custom_data): a JSON array of objects, "" for none.
  // Loaded only where it is shown (see app/pass_through_repository.hpp).
  std::string custom_data{};
};

struct Payment {
  std::string provider;   // e.g. "manual", "stripe"
  std::string reference;  // the provider's id of the authorization
  int64_t amount_authorized = 0;
  int64_t amount_captured = 0;
};

// A quantity of one line item in a shipment. For a plain line item `sku` is
// the line item's sku; for a bundle it is the sku of one of its components,
// `quantity` counts that component's units and `bundle_sku` is the line
// item's own sku.
struct ShipmentItem {
  int64_t line_item_id = 0;
  std::string sku;
  int64_t quantity = 0;
  std::string bundle_sku{};  // empty for a plain line item
};

// One recorded status change of a shipment.
struct StatusChange {
  std::string status;
  int64_t at = 0;  // epoch milliseconds
  std::string by;  // API key name, provider or "system"
  std::string note;
};

struct Shipment {
  int64_t id = 0;
  int64_t order_id = 0;
  std::string shipment_number;
  std::string order_number;
  ShipmentStatus status = ShipmentStatus::kPending;
  std::vector<ShipmentItem> items;
  std::string carrier;  // display name: the registry's when it knows the carrier
  std::string tracking_number;
  std::optional<int64_t> shipped_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<StatusChange> history;       // oldest first
  std::string carrier_code{};              // CarrierRegistry code; empty for an unknown carrier
  std::string service{};                   // service level, e.g. "Express"
  int64_t package_count{};                 // number of packages; 0 when not told
  std::string tracking_url{};              // the client's link, or one made from the carrier
  std::string return_tracking_number{};    // tracking of the return slip in the parcel
  std::string internal_comment{};          // for staff only; text is appended, never replaced
  std::string note{};                      // shown to the customer, e.g. "Handle with care"
  std::optional<int64_t> dispatched_at{};  // when it left, as the client says; epoch ms
  // How the client wrote dispatched_at, so that a contract can answer in that
  // form: its UTC offset in minutes east, and whether it was a bare date.
  int dispatched_offset_minutes{};
  bool dispatched_date_only{};
};

struct Order {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string order_number;
  std::string store;
  std::string currency;
  Customer customer;
  Address shipping_address;
  std::vector<LineItem> line_items;
  Payment payment;
  std::vector<Shipment> shipments;
  int64_t created_at = 0;
  // The last change to the order or one of its shipments (set by the store).
  int64_t updated_at = 0;
  // The client's own data about the order, passed on without being read (a
  // 3PL notification's extra_data): a JSON array of objects, "" for none.
  // Loaded only where it is shown, as LineItem::custom_data.
  std::string extra_data{};
};

}  // namespace shipline::domain
