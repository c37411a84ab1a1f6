#pragma once

// The tenant repository (see app/tenant_repository.hpp for the contract),
// written once for both engines on the sql::Db of the transaction that owns
// it.

#include "app/tenant_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class TenantRepository final : public app::TenantRepository {
 public:
  explicit TenantRepository(sql::Db& db) : db_(db) {}

  Result<std::optional<app::ApiKeyRecord>> FindApiKey(std::string_view key_hash) override;
  Result<std::optional<app::ApiKeyRecord>> FindApiKeyById(int64_t key_id) override;
  Result<std::vector<app::ApiKeyRecord>> ListApiKeys(std::optional<int64_t> tenant_id) override;
  Result<int64_t> Count() override;
  Result<std::optional<int64_t>> FindTenant(std::string_view name) override;
  Result<int64_t> Ensure(std::string_view name, int64_t now) override;
  Status LockKeys(int64_t tenant_id) override;
  Result<int64_t> InsertApiKey(const app::NewApiKey& key) override;
  Result<bool> RevokeApiKey(int64_t tenant_id, int64_t key_id, int64_t now) override;
  Status RecordKeyUse(const std::vector<app::KeyUse>& uses) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
