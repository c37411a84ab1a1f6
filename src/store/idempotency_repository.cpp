#include "store/idempotency_repository.hpp"

#include <utility>

namespace shipline::store {

using sql::Params;

Result<bool> IdempotencyRepository::Insert(const app::IdempotencyRecord& record) {
  SHIPLINE_SQL_EXECUTE(
      inserted, db_,
      "INSERT INTO idempotency_keys (tenant_id, idempotency_key, method, target, fingerprint, "
      "owner, lease_until, applied, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8) "
      "ON CONFLICT (tenant_id, idempotency_key) DO NOTHING",
      Params()
          .Add(record.tenant_id)
          .Add(record.key)
          .Add(record.method)
          .Add(record.target)
          .Add(record.fingerprint)
          .Add(record.owner)
          .Add(record.lease_until)
          .Add(record.created_at));
  return inserted == 1;
}

Result<std::optional<app::IdempotencyRecord>> IdempotencyRepository::Find(int64_t tenant_id,
                                                                          const std::string& key) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT method, target, fingerprint, owner, lease_until, applied, status, "
                     "content_type, headers, body, created_at FROM idempotency_keys "
                     "WHERE tenant_id = $1 AND idempotency_key = $2" +
                         db_.RowLock(),
                     Params().Add(tenant_id).Add(key));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<app::IdempotencyRecord>();
  app::IdempotencyRecord record;
  record.tenant_id = tenant_id;
  record.key = key;
  record.method = rows.Text(0);
  record.target = rows.Text(1);
  record.fingerprint = rows.Text(2);
  record.owner = rows.Text(3);
  record.lease_until = rows.Int(4);
  record.applied = rows.Bool(5);
  if (!rows.IsNull(6)) {
    record.answer =
        app::StoredAnswer{static_cast<int>(rows.Int(6)), rows.Text(7), rows.Text(8), rows.Text(9)};
    SHIPLINE_RETURN_IF_ERROR(secrets_.Open(kIdempotentAnswer, record.answer->body));
  }
  record.created_at = rows.Int(10);
  return std::optional<app::IdempotencyRecord>(std::move(record));
}

Result<bool> IdempotencyRepository::TakeOver(int64_t tenant_id, const std::string& key,
                                             const std::string& old_owner,
                                             const std::string& new_owner, int64_t lease_until) {
  SHIPLINE_SQL_EXECUTE(
      changed, db_,
      "UPDATE idempotency_keys SET owner = $4, lease_until = $5 "
      "WHERE tenant_id = $1 AND idempotency_key = $2 AND owner = $3 "
      "AND status IS NULL",
      Params().Add(tenant_id).Add(key).Add(old_owner).Add(new_owner).Add(lease_until));
  return changed == 1;
}

Result<bool> IdempotencyRepository::MarkApplied(int64_t tenant_id, const std::string& key,
                                                const std::string& owner) {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE idempotency_keys SET applied = TRUE "
                       "WHERE tenant_id = $1 AND idempotency_key = $2 AND owner = $3 "
                       "AND status IS NULL",
                       Params().Add(tenant_id).Add(key).Add(owner));
  return changed == 1;
}

Result<bool> IdempotencyRepository::SaveAnswer(int64_t tenant_id, const std::string& key,
                                               const std::string& owner,
                                               const app::StoredAnswer& answer) {
  auto body = secrets_.Seal(kIdempotentAnswer, answer.body);
  if (!body) return std::move(body).error();
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE idempotency_keys SET status = $4, content_type = $5, "
                       "headers = $6, body = $7, lease_until = 0 "
                       "WHERE tenant_id = $1 AND idempotency_key = $2 AND owner = $3 "
                       "AND status IS NULL",
                       Params()
                           .Add(tenant_id)
                           .Add(key)
                           .Add(owner)
                           .Add(answer.status)
                           .Add(answer.content_type)
                           .Add(answer.headers)
                           .Add(*body));
  return changed == 1;
}

Status IdempotencyRepository::Release(int64_t tenant_id, const std::string& key,
                                      const std::string& owner) {
  SHIPLINE_SQL_EXECUTE(deleted, db_,
                       "DELETE FROM idempotency_keys WHERE tenant_id = $1 AND "
                       "idempotency_key = $2 AND owner = $3 AND status IS NULL",
                       Params().Add(tenant_id).Add(key).Add(owner));
  return {};
}

Status IdempotencyRepository::EndAllLeases() {
  SHIPLINE_SQL_EXECUTE(ended, db_,
                       "UPDATE idempotency_keys SET lease_until = 0 "
                       "WHERE status IS NULL AND lease_until <> 0",
                       Params());
  return {};
}

Result<int64_t> IdempotencyRepository::Prune(int64_t before, int64_t limit) {
  SHIPLINE_SQL_EXECUTE(deleted, db_,
                       "DELETE FROM idempotency_keys WHERE (tenant_id, idempotency_key) IN ("
                       "SELECT tenant_id, idempotency_key FROM idempotency_keys "
                       "WHERE created_at < $1 ORDER BY created_at LIMIT $2)",
                       Params().Add(before).Add(limit));
  return deleted;
}

}  // namespace shipline::store
