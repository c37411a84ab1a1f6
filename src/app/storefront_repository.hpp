#pragma once

// A tenant's stores (storefronts) and their settings: whether the customer
// gets a shipping confirmation email, the email's sender, and the store's own
// carriers on top of the built-in registry. A store is created on first use;
// a store that was never used has the default settings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/carrier.hpp"
#include "domain/result.hpp"
#include "domain/ship_from.hpp"

namespace shipline::app {

struct StorefrontSettings {
  std::string name;  // as orders name the store, e.g. "main"
  // Email the customer when a shipment ships or its tracking changes, unless
  // the request that ships it decides otherwise (the order API's sendEmail).
  bool send_shipping_confirmation = true;
  std::string sender;                     // From of customer email; empty: the server's
  std::vector<domain::Carrier> carriers;  // the store's own, in the order given
  domain::ShipFrom ship_from;             // where its shipments leave from; empty: not set
  int64_t created_at = 0;                 // 0 for a store that was never used
  int64_t updated_at = 0;
};

// The store's part for storefronts. Reached through StoreReader::Storefronts() inside
// Store::Read or Store::Write; Ensure and Save only inside Store::Write.
// Failures are kInternal with the database's message in the detail. Lives as
// long as its transaction, on that transaction's thread.
class StorefrontRepository {
 public:
  virtual ~StorefrontRepository() = default;

  // The store named `name` of the tenant with its carriers, or nullopt when
  // it was never used.
  virtual Result<std::optional<StorefrontSettings>> Find(int64_t tenant_id,
                                                         std::string_view name) = 0;

  // Creates the store with the default settings unless it exists.
  virtual Status Ensure(int64_t tenant_id, std::string_view name, int64_t now) = 0;

  // Writes every setting of `settings.name`, creating the store if needed,
  // and replaces its carriers with `settings.carriers`.
  virtual Status Save(int64_t tenant_id, const StorefrontSettings& settings, int64_t now) = 0;
};

}  // namespace shipline::app
