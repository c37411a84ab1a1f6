#pragma once

// The store core's Db on one PostgreSQL connection. Several nodes write the
// same rows, so a read inside a write locks what it returns, and event ids
// are drawn under a transaction-level advisory lock that orders them by
// commit (see OrderEvents).

#include "store/postgres/pg_connection.hpp"
#include "store/sql/db.hpp"

namespace shipline::store::postgres {

// The transaction-level advisory lock that orders event ids by commit.
inline constexpr int64_t kEventOrderLock = 0x7368'6970'6c69'6e65;  // "shipline"
// The session-level advisory lock held while migrating.
inline constexpr int64_t kMigrationLock = kEventOrderLock + 1;
// The transaction-level advisory lock a write takes before counting tenants,
// so that nodes starting together on an empty database create one first key.
inline constexpr int64_t kTenantCountLock = kEventOrderLock + 2;
// The LISTEN/NOTIFY channel that wakes consumers when events commit.
inline constexpr const char* kEventsChannel = "shipline_events";
// How long a group transaction that holds the event lock waits for a row
// lock before giving up the caller that wanted it (see PgStore::TryGroup).
inline constexpr int kRowWaitWithEventLockMillis = 50;

class PgDb final : public sql::Db {
 public:
  PgDb(Connection& connection, bool writable) : connection_(connection), writable_(writable) {}

  sql::Engine engine() const override { return sql::Engine::kPostgres; }
  bool writable() const override { return writable_; }
  Result<std::unique_ptr<sql::Rows>> Query(const std::string& sql,
                                           const sql::Params& params) override;
  Result<int64_t> Execute(const std::string& sql, const sql::Params& params) override;
  Status Defer(const std::string& sql, const sql::Params& params) override;
  Result<std::optional<int64_t>> InsertId(const std::string& sql,
                                          const sql::Params& params) override;
  Status Prefetch(const std::string& sql, const sql::Params& params) override;
  Status PrefetchInsert(const std::string& sql, const sql::Params& params) override;
  // The statement, queued (after SAVEPOINT guard, unless in a group, whose
  // callers each have a savepoint already); the count is its prefetched
  // answer. UndoGuard rolls back to that savepoint and restores the
  // event-lock flag as it was at the guard (the lock and the lock_timeout
  // setting go with the savepoint).
  Result<std::optional<int64_t>> Guard(const std::string& sql, const sql::Params& params) override;
  Result<int64_t> GuardCount() override;
  Status UndoGuard() override;
  std::string RowLock(std::string_view table_alias) const override;
  std::string ShareLock() const override { return writable_ ? " FOR SHARE" : ""; }
  // PostgreSQL's planner keeps statistics and takes no index hints.
  std::string IndexHint(std::string_view) const override { return {}; }
  std::string SkipLocked(std::string_view table_alias) const override;
  // Takes the event-order lock once per transaction (held until it ends; an
  // id drawn after it is handed out in commit order) and asks for a
  // notification at commit. In a group transaction it also shortens the
  // lock_timeout: a group holding the event lock must not wait long for a
  // row, or it could deadlock with a transaction that holds the row and waits
  // for the event lock. The lock, the setting and the flag all go when the
  // caller's savepoint is rolled back (the store restores the flag).
  Status OrderEvents() override;
  Status LockTenantCount() override;
  bool single_process() const override { return false; }

  Connection& connection() { return connection_; }
  void set_in_group(bool in_group) { in_group_ = in_group; }
  bool holds_event_lock() const { return holds_event_lock_; }
  void set_holds_event_lock(bool held) { holds_event_lock_ = held; }

 private:
  Connection& connection_;
  const bool writable_;
  bool in_group_ = false;
  bool holds_event_lock_ = false;
  // The open guard: its statement (the key of its prefetched answer) and
  // whether the event lock was held before it.
  std::string guard_sql_;
  sql::Params guard_params_;
  bool guard_held_event_lock_ = false;
};

}  // namespace shipline::store::postgres
