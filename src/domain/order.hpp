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

struct LineItem {
  int64_t id = 0;  // assigned by the store
  std::string sku;
  std::string title;
  int64_t quantity = 0;
  int64_t unit_price = 0;  // minor units of the order's currency
};

struct Payment {
  std::string provider;   // e.g. "manual", "stripe"
  std::string reference;  // the provider's id of the authorization
  int64_t amount_authorized = 0;
  int64_t amount_captured = 0;
};

struct ShipmentItem {
  int64_t line_item_id = 0;
  std::string sku;
  int64_t quantity = 0;
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
  std::string carrier;
  std::string tracking_number;
  std::optional<int64_t> shipped_at;
  int64_t created_at = 0;
  int64_t updated_at = 0;
  std::vector<StatusChange> history;  // oldest first
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
};

}  // namespace shipline::domain
