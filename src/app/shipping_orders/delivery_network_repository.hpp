#pragma once

// The delivery network of a tenant as the store keeps it: locations (where
// shipping orders are picked up), providers (who delivers them) and the
// orchestration rules that choose between providers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/orchestration.hpp"
#include "domain/result.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::app {

struct Location {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string external_id;  // locationExternalId, unique per tenant
  std::string name;
  domain::PlaceAddress address;
  domain::ContactInfo contact;
  std::vector<std::string> provider_ids;  // assigned providers, in order
  // The IANA time zone of the place ("America/Chicago"): the shipping order
  // contract shows status-history times in it. "" falls back on the
  // tenant's default zone, DeliveryNetworkRepository::TenantTimeZone).
  std::string time_zone;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

inline constexpr std::string_view kRateTableKind = "rate-table";
inline constexpr std::string_view kHttpKind = "http";

struct ProviderRecord {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string provider_id;  // the tenant's id for it, unique per tenant
  std::string name;
  std::string display_name;
  std::string kind;    // kRateTableKind or kHttpKind
  std::string config;  // JSON text, read by the provider factory
  bool enabled = true;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Reads and writes of the delivery network, scoped by tenant. Write methods
// may only be called inside Store::Write. Failures are kInternal with the
// database's message in the detail, unless stated.
class DeliveryNetworkRepository {
 public:
  virtual ~DeliveryNetworkRepository() = default;

  virtual Result<std::optional<Location>> FindLocation(int64_t tenant_id,
                                                       std::string_view external_id) = 0;
  // At most `limit` locations in external id order, after `after` (exclusive).
  virtual Result<std::vector<Location>> ListLocations(int64_t tenant_id, std::string_view after,
                                                      int limit) = 0;
  // Inserts or, when `replace` is set, replaces the location with the same
  // external id (with its provider list). kAlreadyExists when it exists and
  // `replace` is not set; fills in id and timestamps.
  virtual Status SaveLocation(Location& location, bool replace) = 0;
  // Returns false when there was no such location.
  virtual Result<bool> DeleteLocation(int64_t tenant_id, std::string_view external_id) = 0;

  virtual Result<std::optional<ProviderRecord>> FindProvider(int64_t tenant_id,
                                                             std::string_view provider_id) = 0;
  virtual Result<std::vector<ProviderRecord>> ListProviders(int64_t tenant_id) = 0;
  // Same contract as SaveLocation.
  virtual Status SaveProvider(ProviderRecord& provider, bool replace) = 0;
  // Also removes the provider from every location. False when there was none.
  virtual Result<bool> DeleteProvider(int64_t tenant_id, std::string_view provider_id) = 0;
  // Every rate-table provider of every tenant (for simulated progress).
  virtual Result<std::vector<ProviderRecord>> ListProvidersOfKind(std::string_view kind) = 0;

  // The tenant's default IANA time zone, for locations without their own;
  // "" is UTC.
  virtual Result<std::string> TenantTimeZone(int64_t tenant_id) = 0;
  virtual Status SetTenantTimeZone(int64_t tenant_id, std::string_view time_zone) = 0;

  virtual Result<std::vector<domain::OrchestrationRule>> ListRules(int64_t tenant_id) = 0;
  virtual Result<std::optional<domain::OrchestrationRule>> FindRule(int64_t tenant_id,
                                                                    int64_t rule_id) = 0;
  // Inserts (id 0) or replaces (id set; false when there is no such rule).
  virtual Result<bool> SaveRule(int64_t tenant_id, domain::OrchestrationRule& rule) = 0;
  virtual Result<bool> DeleteRule(int64_t tenant_id, int64_t rule_id) = 0;
};

}  // namespace shipline::app
