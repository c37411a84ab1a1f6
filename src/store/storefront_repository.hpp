#pragma once

// A tenant's storefronts (the stores table) and each one's carriers, written
// once for both engines on the sql::Db of the transaction that owns this
// object. Inside a write transaction, Find locks the storefront's row where
// the engine needs it (Db::RowLock), so that a read-modify-write of settings
// cannot race another node's.

#include "app/storefront_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class StorefrontRepository final : public app::StorefrontRepository {
 public:
  explicit StorefrontRepository(sql::Db& db) : db_(db) {}

  Result<std::optional<app::StorefrontSettings>> Find(int64_t tenant_id,
                                                      std::string_view name) override;
  Status Ensure(int64_t tenant_id, std::string_view name, int64_t now) override;
  Status Save(int64_t tenant_id, const app::StorefrontSettings& settings, int64_t now) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
