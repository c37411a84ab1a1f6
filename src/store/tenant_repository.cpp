#include "store/tenant_repository.hpp"

namespace shipline::store {

using sql::Params;

namespace {

constexpr const char* kKeyColumns =
    "SELECT id, tenant_id, name, scopes, prefix, created_at, expires_at, last_used_at, "
    "revoked_at FROM api_keys ";

app::ApiKeyRecord KeyFromRow(const sql::Rows& rows) {
  return app::ApiKeyRecord{rows.Int(0),         rows.Int(1),         rows.Text(2),
                           rows.Text(3),        rows.Text(4),        rows.Int(5),
                           rows.OptionalInt(6), rows.OptionalInt(7), rows.OptionalInt(8)};
}

Result<std::optional<app::ApiKeyRecord>> OneKey(sql::Db& db, const std::string& sql,
                                                Params params) {
  SHIPLINE_SQL_QUERY(rows, db, sql, std::move(params));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<app::ApiKeyRecord>();
  return std::optional<app::ApiKeyRecord>(KeyFromRow(rows));
}

}  // namespace

Result<std::optional<app::ApiKeyRecord>> TenantRepository::FindApiKey(std::string_view key_hash) {
  return OneKey(db_, std::string(kKeyColumns) + "WHERE key_hash = $1 AND revoked_at IS NULL",
                Params().Add(key_hash));
}

Result<std::optional<app::ApiKeyRecord>> TenantRepository::FindApiKeyById(int64_t key_id) {
  return OneKey(db_, std::string(kKeyColumns) + "WHERE id = $1", Params().Add(key_id));
}

Result<std::vector<app::ApiKeyRecord>> TenantRepository::ListApiKeys(
    std::optional<int64_t> tenant_id) {
  std::string sql =
      std::string(kKeyColumns) +
      (tenant_id ? "WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2" : "ORDER BY id DESC LIMIT $1");
  Params params;
  if (tenant_id) params.Add(*tenant_id);
  params.Add(app::TenantRepository::kKeyListLimit);
  SHIPLINE_SQL_QUERY(rows, db_, sql, std::move(params));
  std::vector<app::ApiKeyRecord> out;
  while (true) {
    SHIPLINE_SQL_NEXT(found, rows);
    if (!found) break;
    out.push_back(KeyFromRow(rows));
  }
  return out;
}

Result<int64_t> TenantRepository::Count() {
  // Count-then-insert (the first start's bootstrap) must not race another
  // node's: the count runs after the lock, on a snapshot taken after it.
  SHIPLINE_RETURN_IF_ERROR(db_.LockTenantCount());
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT count(*) FROM tenants", Params());
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Int(0) : int64_t{0};
}

Result<std::optional<int64_t>> TenantRepository::FindTenant(std::string_view name) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT id FROM tenants WHERE name = $1", Params().Add(name));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<int64_t>();
  return std::optional<int64_t>(rows.Int(0));
}

Result<int64_t> TenantRepository::Ensure(std::string_view name, int64_t now) {
  SHIPLINE_SQL_INSERT(inserted, db_,
                      "INSERT INTO tenants (name, created_at) VALUES ($1, $2) "
                      "ON CONFLICT (name) DO NOTHING",
                      Params().Add(name).Add(now));
  if (inserted) return *inserted;
  auto found = FindTenant(name);
  if (!found) return std::move(found).error();
  if (!*found) return Error::Internal("tenant vanished after insert");
  return **found;
}

Status TenantRepository::LockKeys(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT id FROM tenants WHERE id = $1" + db_.RowLock(),
                     Params().Add(tenant_id));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return Error::Internal("no tenant " + std::to_string(tenant_id));
  return Ok();
}

Result<int64_t> TenantRepository::InsertApiKey(const app::NewApiKey& key) {
  SHIPLINE_SQL_INSERT(inserted, db_,
                      "INSERT INTO api_keys (tenant_id, name, key_hash, prefix, scopes, "
                      "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                      Params()
                          .Add(key.tenant_id)
                          .Add(key.name)
                          .Add(key.key_hash)
                          .Add(key.prefix)
                          .Add(key.scopes)
                          .Add(key.created_at)
                          .Add(key.expires_at));
  if (!inserted) return Error::Internal("API key not inserted");
  return *inserted;
}

Result<bool> TenantRepository::RevokeApiKey(int64_t tenant_id, int64_t key_id, int64_t now) {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE api_keys SET revoked_at = $3 "
                       "WHERE tenant_id = $1 AND id = $2 AND revoked_at IS NULL",
                       Params().Add(tenant_id).Add(key_id).Add(now));
  return changed > 0;
}

Status TenantRepository::RecordKeyUse(const std::vector<app::KeyUse>& uses) {
  for (const auto& use : uses) {
    SHIPLINE_SQL_EXECUTE(changed, db_,
                         "UPDATE api_keys SET last_used_at = $2 "
                         "WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2)",
                         Params().Add(use.key_id).Add(use.used_at));
  }
  return Ok();
}

}  // namespace shipline::store
