#pragma once

// The stores table and each store's carriers, on the connection of the
// transaction that owns this object. Inside a write transaction, Find locks
// the store's row so that a read-modify-write of settings cannot race
// another node's.

#include "app/store_settings.hpp"
#include "store/postgres/pg_connection.hpp"

namespace shipline::store::postgres {

class PgStoreSettings final : public app::StoreSettingsRepository {
 public:
  PgStoreSettings(Connection& db, bool writable) : db_(db), writable_(writable) {}

  Result<std::optional<app::StoreSettings>> Find(int64_t tenant_id, std::string_view name) override;
  Status Ensure(int64_t tenant_id, std::string_view name, int64_t now) override;
  Status Save(int64_t tenant_id, const app::StoreSettings& settings, int64_t now) override;

 private:
  Connection& db_;
  const bool writable_;
};

}  // namespace shipline::store::postgres
