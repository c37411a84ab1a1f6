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
  Result<int64_t> Count() override;
  Result<int64_t> Ensure(std::string_view name, int64_t now) override;
  Status InsertApiKey(int64_t tenant_id, std::string_view name, std::string_view key_hash,
                      int64_t now) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
