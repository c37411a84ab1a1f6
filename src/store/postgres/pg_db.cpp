#include "store/postgres/pg_db.hpp"

namespace shipline::store::postgres {

namespace {

// A cursor over a result PostgreSQL has already sent whole.
class PgRows final : public sql::Rows {
 public:
  explicit PgRows(postgres::Rows rows) : rows_(std::move(rows)) {}

  Result<bool> Next() override { return ++row_ < rows_.size(); }
  bool IsNull(int column) const override { return rows_.IsNull(row_, column); }
  int64_t Int(int column) const override { return rows_.Int(row_, column); }
  double Double(int column) const override { return rows_.Double(row_, column); }
  bool Bool(int column) const override { return rows_.Bool(row_, column); }
  std::string Text(int column) const override { return rows_.Text(row_, column); }

 private:
  postgres::Rows rows_;
  int row_ = -1;
};

}  // namespace

Result<std::unique_ptr<sql::Rows>> PgDb::Query(const std::string& sql, const sql::Params& params) {
  auto rows = connection_.Query(sql, params);
  if (!rows) return std::move(rows).error();
  return std::unique_ptr<sql::Rows>(std::make_unique<PgRows>(std::move(*rows)));
}

Result<int64_t> PgDb::Execute(const std::string& sql, const sql::Params& params) {
  auto rows = connection_.Query(sql, params);
  if (!rows) return std::move(rows).error();
  return rows->Affected();
}

Status PgDb::Defer(const std::string& sql, const sql::Params& params) {
  connection_.Queue(sql, params);
  return Ok();
}

namespace {
const std::string kReturningId = " RETURNING id";
}  // namespace

Result<std::optional<int64_t>> PgDb::InsertId(const std::string& sql, const sql::Params& params) {
  auto rows = connection_.Query(sql + kReturningId, params);
  if (!rows) return std::move(rows).error();
  if (rows->empty()) return std::optional<int64_t>();
  return std::optional<int64_t>(rows->Int(0, 0));
}

Status PgDb::Prefetch(const std::string& sql, const sql::Params& params) {
  connection_.Prefetch(sql, params);
  return Ok();
}

Status PgDb::PrefetchInsert(const std::string& sql, const sql::Params& params) {
  connection_.Prefetch(sql + kReturningId, params);
  return Ok();
}

Result<std::optional<int64_t>> PgDb::Guard(const std::string& sql, const sql::Params& params) {
  // In a group the caller's own savepoint serves: another per caller would
  // take the group past the 64 subtransactions PostgreSQL caches per
  // transaction (a group holds up to 64 callers).
  if (!in_group_) connection_.Queue("SAVEPOINT guard");
  connection_.Prefetch(sql, params);
  guard_sql_ = sql;
  guard_params_ = params;
  guard_held_event_lock_ = holds_event_lock_;
  return std::optional<int64_t>();
}

Result<int64_t> PgDb::GuardCount() {
  if (guard_sql_.empty()) return Error::Internal("GuardCount without a guard");
  // The answer came with a later statement's round trip (even one that then
  // failed), or comes now.
  auto rows = connection_.Query(guard_sql_, guard_params_);
  if (!rows) return std::move(rows).error();
  return rows->Affected();
}

Status PgDb::UndoGuard() {
  if (guard_sql_.empty()) return Error::Internal("UndoGuard without a guard");
  guard_sql_.clear();
  // What is still queued was written after the guard.
  connection_.DropQueued();
  SHIPLINE_RETURN_IF_ERROR(
      connection_.Exec(in_group_ ? "ROLLBACK TO SAVEPOINT unit" : "ROLLBACK TO SAVEPOINT guard"));
  holds_event_lock_ = guard_held_event_lock_;
  return Ok();
}

std::string PgDb::RowLock(std::string_view table_alias) const {
  if (!writable_) return {};
  std::string clause = " FOR NO KEY UPDATE";
  if (!table_alias.empty()) clause += " OF " + std::string(table_alias);
  return clause;
}

std::string PgDb::SkipLocked(std::string_view table_alias) const {
  if (!writable_) return {};
  std::string clause = " FOR UPDATE";
  if (!table_alias.empty()) clause += " OF " + std::string(table_alias);
  return clause + " SKIP LOCKED";
}

Status PgDb::OrderEvents() {
  if (holds_event_lock_) return Ok();
  // Both go out with the event's INSERT.
  connection_.Queue("SELECT pg_advisory_xact_lock($1), pg_notify($2, '')",
                    sql::Params().Add(kEventOrderLock).Add(kEventsChannel));
  if (in_group_) {
    connection_.Queue("SET LOCAL lock_timeout = " + std::to_string(kRowWaitWithEventLockMillis));
  }
  holds_event_lock_ = true;
  return Ok();
}

Status PgDb::LockTenantCount() {
  if (!writable_) return Ok();
  auto locked =
      connection_.Query("SELECT pg_advisory_xact_lock($1)", sql::Params().Add(kTenantCountLock));
  if (!locked) return std::move(locked).error();
  return Ok();
}

}  // namespace shipline::store::postgres
