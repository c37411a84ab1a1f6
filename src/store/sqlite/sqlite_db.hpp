#pragma once

// The store core's Db on one SQLite connection. SQLite's single writer
// excludes every other, so it takes no row or event locks.

#include <sqlite3.h>

#include <optional>
#include <string>

#include "store/sql/db.hpp"
#include "store/sqlite/connection.hpp"

namespace shipline::store::sqlite {

class SqliteDb final : public sql::Db {
 public:
  SqliteDb(Connection& connection, bool writable) : connection_(connection), writable_(writable) {}

  sql::Engine engine() const override { return sql::Engine::kSqlite; }
  bool writable() const override { return writable_; }
  Result<std::unique_ptr<sql::Rows>> Query(const std::string& sql,
                                           const sql::Params& params) override;
  Result<int64_t> Execute(const std::string& sql, const sql::Params& params) override;
  Status Defer(const std::string& sql, const sql::Params& params) override;
  Result<std::optional<int64_t>> InsertId(const std::string& sql,
                                          const sql::Params& params) override;
  // A read costs no round trip here: the later Query runs it.
  Status Prefetch(const std::string&, const sql::Params&) override { return Ok(); }
  Status PrefetchInsert(const std::string&, const sql::Params&) override { return Ok(); }
  // Runs the guard at once: its count is known before anything follows it.
  Result<std::optional<int64_t>> Guard(const std::string& sql, const sql::Params& params) override;
  Result<int64_t> GuardCount() override;
  Status UndoGuard() override;
  std::string RowLock(std::string_view) const override { return {}; }
  std::string ShareLock() const override { return {}; }
  std::string IndexHint(std::string_view index) const override {
    return " INDEXED BY " + std::string(index);
  }
  std::string SkipLocked(std::string_view) const override { return {}; }
  Status OrderEvents() override { return Ok(); }
  Status LockTenantCount() override { return Ok(); }
  bool single_process() const override { return true; }

 private:
  // Binds SQLite's own copy of text values when `copy_text`.
  Result<sqlite3_stmt*> Bound(const std::string& sql, const sql::Params& params, bool copy_text);

  Connection& connection_;
  const bool writable_;
  std::optional<int64_t> guard_count_;
};

// `sql` with PostgreSQL's $N placeholders rewritten to SQLite's ?N (outside
// quoted strings and identifiers).
std::string SqliteText(const std::string& sql);

}  // namespace shipline::store::sqlite
