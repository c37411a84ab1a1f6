#pragma once

// The stores table and each store's carriers, on the connection of the
// transaction that owns this object.

#include "app/store_settings.hpp"
#include "store/sqlite/connection.hpp"

namespace shipline::store::sqlite {

class SqliteStoreSettings final : public app::StoreSettingsRepository {
 public:
  explicit SqliteStoreSettings(Connection& db) : db_(db) {}

  Result<std::optional<app::StoreSettings>> Find(int64_t tenant_id, std::string_view name) override;
  Status Ensure(int64_t tenant_id, std::string_view name, int64_t now) override;
  Status Save(int64_t tenant_id, const app::StoreSettings& settings, int64_t now) override;

 private:
  Connection& db_;
};

}  // namespace shipline::store::sqlite
