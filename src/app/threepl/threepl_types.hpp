#pragma once

// Values of the inbound 3PL integration: a connection (the HTTP Basic
// credentials one warehouse uses to call shipline) and a received shipment
// notification as kept for operators.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/ship_from.hpp"

namespace shipline::app::threepl {

struct Connection {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;           // e.g. "ShipMonk FL1"
  std::string username;       // generated, unique over all tenants
  std::string password_hash;  // app/password_hash.hpp: salted scrypt (hex SHA-256 before 0010)
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
};

// What happened to a received notification.
enum class NotificationStatus {
  kApplied,   // it completed its shipment (or recorded more packages)
  kRejected,  // it could not be applied; the reason says why
};

struct InboundNotification {
  int64_t id = 0;
  int64_t tenant_id = 0;
  int64_t connection_id = 0;
  std::string order_number;     // as sent; empty when the body did not parse
  std::string shipment_number;  // the shipment it applied to, or as sent
  NotificationStatus status = NotificationStatus::kRejected;
  std::string error_code;  // why it was rejected, as ErrorCodeName; empty when applied
  std::string reason;      // the message the 3PL was answered; empty when applied
  std::string body;        // as received
  std::string body_hash;   // hex SHA-256 of the body: repeats of a rejected body share a row
  int64_t times_received = 1;
  int64_t received_at = 0;  // first reception
  int64_t updated_at = 0;   // last reception, replay or application
};

// What a 3PL reported of a shipment beyond its packages, kept to be passed
// on in the notifications shipline sends about it.
struct ShipmentReport {
  domain::ShipFrom ship_from;  // where it left from; empty: not told
  std::string pallets;         // a JSON array of objects as sent; "" for none
  // Per sku: the serial numbers of its units, a JSON array of objects as sent.
  std::vector<std::pair<std::string, std::string>> serial_numbers;

  bool Empty() const { return ship_from.Empty() && pallets.empty() && serial_numbers.empty(); }
};

}  // namespace shipline::app::threepl
