#pragma once

// The seam between the store core and a database engine. The core (every
// repository, row mapping and transaction rule) is written once against Db;
// SQLite and PostgreSQL each implement it on their own connection, and differ
// only in what this file lets them differ in:
//
// - SQL text is written once, with PostgreSQL's numbered placeholders ($1,
//   $2, ...) and the SQL that both engines understand (CAST(x AS BIGINT), not
//   x::bigint; ON CONFLICT ... DO NOTHING/UPDATE; RETURNING). The SQLite side
//   rewrites the placeholders to its own ?NNN form when it prepares a
//   statement.
// - RowLock() gives the row-lock clause a read inside a write transaction
//   appends: " FOR NO KEY UPDATE" on PostgreSQL, where several nodes write
//   the same rows; nothing on SQLite, whose single writer already excludes
//   every other. ShareLock() is the same for a row many writers read and
//   only a rare one changes (" FOR SHARE"). SkipLocked() is the same for a
//   row that a node claims for itself and others skip.
// - IndexHint() names the index a query must walk where only SQLite, which
//   plans without statistics, needs telling.
// - OrderEvents() and LockTenantCount() take the locks that only a database
//   shared by several nodes needs.
//
// Statements are prepared once per connection and cached by their text. A Db
// is used by one thread at a time, inside the transaction its store opened.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "store/sql/params.hpp"

namespace shipline::store::sql {

// The rows of one statement, read forward once. Column getters are valid
// after Next() returned true. Destroying the cursor ends the statement.
class Rows {
 public:
  virtual ~Rows() = default;

  // Moves to the next row: true for a row, false past the last one.
  virtual Result<bool> Next() = 0;

  virtual bool IsNull(int column) const = 0;
  virtual int64_t Int(int column) const = 0;
  virtual double Double(int column) const = 0;
  virtual bool Bool(int column) const = 0;
  // NULL reads as "".
  virtual std::string Text(int column) const = 0;

  std::optional<int64_t> OptionalInt(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Int(column);
  }
  std::optional<double> OptionalDouble(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Double(column);
  }
  std::optional<std::string> OptionalText(int column) const {
    if (IsNull(column)) return std::nullopt;
    return Text(column);
  }
};

enum class Engine { kSqlite, kPostgres };

class Db {
 public:
  virtual ~Db() = default;

  virtual Engine engine() const = 0;
  // True inside Store::Write; reads in Store::Read take no locks.
  virtual bool writable() const = 0;

  // Runs `sql` with `params` and returns a cursor on its rows. Failures are
  // kInternal with the engine's message in the detail (a unique violation
  // included: write statements that expect one say ON CONFLICT DO NOTHING,
  // which keeps a shared transaction usable).
  virtual Result<std::unique_ptr<Rows>> Query(const std::string& sql, const Params& params) = 0;
  // Runs a statement for its effect and returns how many rows it changed.
  virtual Result<int64_t> Execute(const std::string& sql, const Params& params) = 0;
  // Runs a statement for its effect when nothing needs its answer before the
  // next statement that does: PostgreSQL sends it in one round trip with
  // that one (or at the transaction's end), SQLite runs it at once. Its
  // failure then fails that later call, or the caller's write.
  virtual Status Defer(const std::string& sql, const Params& params) = 0;
  // Starts a read whose rows a later Query with the same text and parameters
  // (in the same transaction, or the same caller's part of a group) takes:
  // PostgreSQL sends it with the next statement that needs an answer, so
  // that reads which do not depend on each other's answers share one round
  // trip; SQLite does nothing (the later Query runs it). Reads run in the
  // order they were started, each seeing what the ones before it locked.
  virtual Status Prefetch(const std::string& sql, const sql::Params& params) = 0;
  // Starts an InsertId of `sql` with `params` the same way: a later InsertId
  // with the same text and parameters takes its answer.
  virtual Status PrefetchInsert(const std::string& sql, const sql::Params& params) = 0;
  // A guard: a statement (an UPDATE ... WHERE <condition>) whose count of
  // changed rows decides whether what the caller writes after it stands,
  // sent without waiting for that count where the engine can. SQLite runs
  // it at once and returns its count; PostgreSQL marks a savepoint, queues
  // the statement (it goes with the next one that needs an answer) and
  // returns nullopt. The caller then writes as if the guard held, asks
  // GuardCount (after a statement that waited, or it waits itself) and, when
  // it is 0, calls UndoGuard, which drops what was queued and rolls back
  // everything the caller wrote (locks included): a guard is the first write
  // of the function passed to Store::Write, and there is one at a time.
  virtual Result<std::optional<int64_t>> Guard(const std::string& sql,
                                               const sql::Params& params) = 0;
  virtual Result<int64_t> GuardCount() = 0;
  virtual Status UndoGuard() = 0;
  // Runs an INSERT of one row (written without RETURNING) and returns the id
  // of the row it inserted, or nullopt when it inserted none (ON CONFLICT DO
  // NOTHING). PostgreSQL appends RETURNING id; SQLite reads the rowid it
  // assigned, because its RETURNING builds a temporary table per statement.
  virtual Result<std::optional<int64_t>> InsertId(const std::string& sql, const Params& params) = 0;

  // The clause that locks the rows a read inside a write transaction returns,
  // for `table_alias` (the whole FROM list when empty); "" where not needed.
  virtual std::string RowLock(std::string_view table_alias = {}) const = 0;
  // The clause that keeps the rows a read inside a write transaction returns
  // from changing until it ends, while other transactions may read them the
  // same way; "" where not needed.
  virtual std::string ShareLock() const = 0;
  // The clause that follows a table in FROM to make the query walk `index`
  // (" INDEXED BY index" on SQLite), where the engine would otherwise pick a
  // worse one; "" where the planner needs no telling.
  virtual std::string IndexHint(std::string_view index) const = 0;
  // The clause that locks the rows a read inside a write transaction
  // returns, leaving out rows that another transaction holds (a claim several
  // nodes race for: the losers skip the row instead of waiting for it); ""
  // where not needed.
  virtual std::string SkipLocked(std::string_view table_alias = {}) const = 0;
  // Called before an event is inserted: makes event ids increase in the order
  // their transactions commit, and wakes consumers once this one commits.
  virtual Status OrderEvents() = 0;
  // Called before the tenants are counted in a write (the first start's
  // bootstrap), so that nodes starting together create one first key.
  virtual Status LockTenantCount() = 0;
  // One process owns the database (SQLite's data folder lock): leases of
  // position-based consumers are always this process's.
  virtual bool single_process() const = 0;

  // Asks the store to wake the event consumers once this transaction has
  // committed: it wrote an event, or made a webhook delivery due. (A caller
  // rolled back to its savepoint may leave the mark: a wake too many costs a
  // poll, a wake too few a delay.)
  void WakeConsumersAfterCommit() { wake_consumers_ = true; }
  bool wakes_consumers() const { return wake_consumers_; }

 private:
  bool wake_consumers_ = false;
};

// Runs a query on `db` into `sql::Rows& name`, or returns its error from the
// enclosing function.
#define SHIPLINE_SQL_QUERY(name, db, ...)                      \
  auto name##_result = (db).Query(__VA_ARGS__);                \
  if (!name##_result) return std::move(name##_result).error(); \
  [[maybe_unused]] ::shipline::store::sql::Rows& name = **name##_result

// Runs a statement on `db` into `int64_t name` (rows changed), or returns its
// error from the enclosing function.
#define SHIPLINE_SQL_EXECUTE(name, db, ...)                    \
  auto name##_result = (db).Execute(__VA_ARGS__);              \
  if (!name##_result) return std::move(name##_result).error(); \
  [[maybe_unused]] const int64_t name = *name##_result

// Runs a statement on `db` for its effect (Db::Defer), or returns its error.
#define SHIPLINE_SQL_DEFER(db, ...) SHIPLINE_RETURN_IF_ERROR((db).Defer(__VA_ARGS__))

// Runs an INSERT on `db` into `std::optional<int64_t> name` (the new row's
// id; nullopt when none was inserted), or returns its error.
#define SHIPLINE_SQL_INSERT(name, db, ...)                     \
  auto name##_result = (db).InsertId(__VA_ARGS__);             \
  if (!name##_result) return std::move(name##_result).error(); \
  [[maybe_unused]] const std::optional<int64_t> name = *name##_result

// Moves `rows` to its next row into `bool name`, or returns the error.
#define SHIPLINE_SQL_NEXT(name, rows)                      \
  auto name##_next = (rows).Next();                        \
  if (!name##_next) return std::move(name##_next).error(); \
  const bool name = *name##_next

}  // namespace shipline::store::sql
