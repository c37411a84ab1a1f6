#include "store/tenant_repository.hpp"

namespace shipline::store {

using sql::Params;

Result<std::optional<app::ApiKeyRecord>> TenantRepository::FindApiKey(std::string_view key_hash) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT id, tenant_id, name FROM api_keys "
                     "WHERE key_hash = $1 AND revoked_at IS NULL",
                     Params().Add(key_hash));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<app::ApiKeyRecord>();
  return std::optional<app::ApiKeyRecord>(
      app::ApiKeyRecord{rows.Int(0), rows.Int(1), rows.Text(2)});
}

Result<int64_t> TenantRepository::Count() {
  // Count-then-insert (the first start's bootstrap) must not race another
  // node's: the count runs after the lock, on a snapshot taken after it.
  SHIPLINE_RETURN_IF_ERROR(db_.LockTenantCount());
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT count(*) FROM tenants", Params());
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Int(0) : int64_t{0};
}

Result<int64_t> TenantRepository::Ensure(std::string_view name, int64_t now) {
  SHIPLINE_SQL_INSERT(inserted, db_,
                      "INSERT INTO tenants (name, created_at) VALUES ($1, $2) "
                      "ON CONFLICT (name) DO NOTHING",
                      Params().Add(name).Add(now));
  if (inserted) return *inserted;
  SHIPLINE_SQL_QUERY(found, db_, "SELECT id FROM tenants WHERE name = $1", Params().Add(name));
  SHIPLINE_SQL_NEXT(exists, found);
  if (!exists) return Error::Internal("tenant vanished after insert");
  return found.Int(0);
}

Status TenantRepository::InsertApiKey(int64_t tenant_id, std::string_view name,
                                      std::string_view key_hash, int64_t now) {
  SHIPLINE_SQL_EXECUTE(inserted, db_,
                       "INSERT INTO api_keys (tenant_id, name, key_hash, created_at) "
                       "VALUES ($1, $2, $3, $4)",
                       Params().Add(tenant_id).Add(name).Add(key_hash).Add(now));
  return Ok();
}

}  // namespace shipline::store
