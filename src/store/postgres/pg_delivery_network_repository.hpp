#pragma once

// Locations, providers and orchestration rules on PostgreSQL, on the
// connection of the transaction that owns this object.

#include "app/shipping_orders/delivery_network_repository.hpp"
#include "store/postgres/pg_connection.hpp"

namespace shipline::store::postgres {

class PgDeliveryNetworkRepository final : public app::DeliveryNetworkRepository {
 public:
  PgDeliveryNetworkRepository(Connection& db, bool writable) : db_(db), writable_(writable) {}

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

  Result<std::vector<domain::OrchestrationRule>> ListRules(int64_t tenant_id) override;
  Result<std::optional<domain::OrchestrationRule>> FindRule(int64_t tenant_id,
                                                            int64_t rule_id) override;
  Result<bool> SaveRule(int64_t tenant_id, domain::OrchestrationRule& rule) override;
  Result<bool> DeleteRule(int64_t tenant_id, int64_t rule_id) override;

 private:
  Result<std::vector<app::Location>> ReadLocations(const Rows& rows);
  Result<std::vector<app::ProviderRecord>> ReadProviders(const Rows& rows);
  Result<std::vector<domain::OrchestrationRule>> ReadRules(const Rows& rows);

  Connection& db_;
  const bool writable_;
};

}  // namespace shipline::store::postgres
