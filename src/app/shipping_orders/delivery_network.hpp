#pragma once

// The native admin use cases of the delivery network: locations with their
// providers, providers with their configuration, orchestration rules.

#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/shipping_orders/delivery_network_repository.hpp"
#include "app/shipping_orders/delivery_provider.hpp"
#include "app/store.hpp"

namespace shipline::app {

// Tenant-wide settings of shipping orders.
struct DeliverySettings {
  // The default IANA time zone of status-history times, for locations
  // without their own; "" is UTC.
  std::string time_zone;
};

class DeliveryNetwork {
 public:
  DeliveryNetwork(Store& store, ProviderFactory& factory, Clock& clock)
      : store_(store), factory_(factory), clock_(clock) {}

  // Create fails with kAlreadyExists for a taken id; Put creates or replaces.
  // Both: kInvalidArgument naming the field (including an unknown provider).
  Result<Location> CreateLocation(const Actor& actor, Location location);
  Result<Location> PutLocation(const Actor& actor, Location location);
  Result<Location> GetLocation(const Actor& actor, std::string_view external_id);  // kNotFound
  Result<std::vector<Location>> ListLocations(const Actor& actor, std::string_view after,
                                              int limit);
  Status DeleteLocation(const Actor& actor, std::string_view external_id);  // kNotFound

  // The configuration is checked by the provider factory.
  Result<ProviderRecord> CreateProvider(const Actor& actor, ProviderRecord provider);
  Result<ProviderRecord> PutProvider(const Actor& actor, ProviderRecord provider);
  Result<ProviderRecord> GetProvider(const Actor& actor, std::string_view provider_id);
  Result<std::vector<ProviderRecord>> ListProviders(const Actor& actor);
  Status DeleteProvider(const Actor& actor, std::string_view provider_id);

  Result<DeliverySettings> GetSettings(const Actor& actor);
  // kInvalidArgument naming timeZone for a zone the tz database does not know.
  Result<DeliverySettings> PutSettings(const Actor& actor, DeliverySettings settings);

  Result<domain::OrchestrationRule> CreateRule(const Actor& actor, domain::OrchestrationRule rule);
  // kNotFound when there is no rule `rule.id`.
  Result<domain::OrchestrationRule> PutRule(const Actor& actor, domain::OrchestrationRule rule);
  Result<domain::OrchestrationRule> GetRule(const Actor& actor, int64_t rule_id);
  Result<std::vector<domain::OrchestrationRule>> ListRules(const Actor& actor);
  Status DeleteRule(const Actor& actor, int64_t rule_id);

 private:
  Result<Location> SaveLocation(const Actor& actor, Location location, bool replace);
  Result<ProviderRecord> SaveProvider(const Actor& actor, ProviderRecord provider, bool replace);
  Result<domain::OrchestrationRule> SaveRule(const Actor& actor, domain::OrchestrationRule rule);

  Store& store_;
  ProviderFactory& factory_;
  Clock& clock_;
};

}  // namespace shipline::app
