#pragma once

// Locations, providers (with their assignment to locations) and orchestration
// rules, written once for both engines on the sql::Db of the transaction that
// owns this object (see app/shipping_orders/delivery_network_repository.hpp
// for the contract). Inside a write transaction, FindLocation, FindProvider
// and FindRule lock the row they return where the engine needs it
// (Db::RowLock), so that a read-modify-write cannot race another node's.

#include "app/shipping_orders/delivery_network_repository.hpp"
#include "store/secret_columns.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class DeliveryNetworkRepository final : public app::DeliveryNetworkRepository {
 public:
  DeliveryNetworkRepository(sql::Db& db, const SecretColumns& secrets)
      : db_(db), secrets_(secrets) {}

  Result<std::optional<app::Location>> FindLocation(int64_t tenant_id,
                                                    std::string_view external_id) override;
  Result<std::vector<app::Location>> ListLocations(int64_t tenant_id, std::string_view after,
                                                   int limit) override;
  Status SaveLocation(app::Location& location, bool replace) override;
  Result<bool> DeleteLocation(int64_t tenant_id, std::string_view external_id) override;

  Result<std::optional<app::ProviderRecord>> FindProvider(int64_t tenant_id,
                                                          std::string_view provider_id) override;
  Result<std::vector<app::ProviderRecord>> ListProviders(int64_t tenant_id) override;
  Status SaveProvider(app::ProviderRecord& provider, bool replace) override;
  Result<bool> DeleteProvider(int64_t tenant_id, std::string_view provider_id) override;
  Result<std::vector<app::ProviderRecord>> ListProvidersOfKind(std::string_view kind) override;

  Result<std::string> TenantTimeZone(int64_t tenant_id) override;
  Status SetTenantTimeZone(int64_t tenant_id, std::string_view time_zone) override;

  Result<std::vector<domain::OrchestrationRule>> ListRules(int64_t tenant_id) override;
  Result<std::optional<domain::OrchestrationRule>> FindRule(int64_t tenant_id,
                                                            int64_t rule_id) override;
  Result<bool> SaveRule(int64_t tenant_id, domain::OrchestrationRule& rule) override;
  Result<bool> DeleteRule(int64_t tenant_id, int64_t rule_id) override;

 private:
  // Every row of `rows`, each location with its assigned providers.
  Result<std::vector<app::Location>> ReadLocations(sql::Rows& rows);
  Status LinkProviders(const app::Location& location);

  // Every row of `rows`, each provider's configuration opened.
  Result<std::vector<app::ProviderRecord>> ReadProviders(sql::Rows& rows) const;

  sql::Db& db_;
  const SecretColumns& secrets_;
};

}  // namespace shipline::store
