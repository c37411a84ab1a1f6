#pragma once

// Idempotency keys (migration 0014), written once for both engines. Stored
// answers are sealed with the master key (store/secret_columns.hpp).

#include "app/idempotency_repository.hpp"
#include "store/secret_columns.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class IdempotencyRepository final : public app::IdempotencyRepository {
 public:
  IdempotencyRepository(sql::Db& db, const SecretColumns& secrets) : db_(db), secrets_(secrets) {}

  Result<bool> Insert(const app::IdempotencyRecord& record) override;
  Result<std::optional<app::IdempotencyRecord>> Find(int64_t tenant_id,
                                                     const std::string& key) override;
  Result<bool> TakeOver(int64_t tenant_id, const std::string& key, const std::string& old_owner,
                        const std::string& new_owner, int64_t lease_until) override;
  Result<bool> MarkApplied(int64_t tenant_id, const std::string& key,
                           const std::string& owner) override;
  Result<bool> SaveAnswer(int64_t tenant_id, const std::string& key, const std::string& owner,
                          const app::StoredAnswer& answer) override;
  Status Release(int64_t tenant_id, const std::string& key, const std::string& owner) override;
  Status EndAllLeases() override;
  Result<int64_t> Prune(int64_t before, int64_t limit) override;

 private:
  sql::Db& db_;
  const SecretColumns& secrets_;
};

}  // namespace shipline::store
