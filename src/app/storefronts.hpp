#pragma once

// Use cases on a tenant's stores: read and change a store's settings and
// carriers; and the helpers other use cases call inside their transactions
// to learn a store's settings and carrier registry.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"
#include "app/storefront_repository.hpp"
#include "domain/carrier.hpp"
#include "domain/shipment_tracking.hpp"

namespace shipline::app {

// A change to a store's settings: each field left nullopt keeps its value.
struct StorefrontUpdate {
  std::optional<bool> send_shipping_confirmation;
  std::optional<std::string> sender;
  std::optional<std::vector<domain::Carrier>> carriers;  // replaces the store's own carriers
  std::optional<domain::ShipFrom> ship_from;             // an empty one clears it
};

class Storefronts {
 public:
  Storefronts(Store& store, Clock& clock) : store_(store), clock_(clock) {}

  // The store's settings; the defaults (send shipping confirmation, the
  // server's sender, no carriers of its own) for a store never used.
  // kInvalidArgument for a blank or overlong name.
  Result<StorefrontSettings> Get(const Actor& actor, std::string_view name);

  // Applies `update`, creating the store if needed, and returns the result.
  // kInvalidArgument naming the field: "sender" (not an email address),
  // "carriers[i].code" (1 to 64 of a-z, 0-9, _), "carriers[i].name",
  // "carriers[i].trackingUrlTemplate" (an http(s) URL with at most one %s),
  // "carriers[i].aliases", "carriers" (more than 100, or a code twice),
  // "shipFrom.<field>" (a field longer than its kind in domain/text_limits.hpp).
  Result<StorefrontSettings> Update(const Actor& actor, std::string_view name,
                                    const StorefrontUpdate& update);

  static constexpr size_t kMaxCarriers = 100;

 private:
  Store& store_;
  Clock& clock_;
};

// The settings of `tenant_id`'s store `name`, defaults when never used.
Result<StorefrontSettings> LoadStorefront(StoreReader& reader, int64_t tenant_id,
                                          std::string_view name);

// The built-in carriers with the store's own added over them.
// LoadStorefront through `cache`, for paths that only read the settings.
// `generation` is the cache's, taken before the transaction of `reader`
// began.
Result<StorefrontSettings> LoadStorefrontCached(StorefrontCache& cache, uint64_t generation,
                                                StoreReader& reader, int64_t tenant_id,
                                                std::string_view name);

domain::CarrierRegistry CarriersOf(const StorefrontSettings& settings);

// domain::ResolveTracking against the store's carriers; a store without
// carriers of its own shares one built-in registry instead of a copy.
domain::TrackingDetails ResolveTrackingFor(const StorefrontSettings& settings,
                                           std::string_view carrier_name,
                                           std::string_view tracking_number,
                                           std::string_view supplied_url);

}  // namespace shipline::app
