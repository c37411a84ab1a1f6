#pragma once

// A thin RAII layer over the SQLite C API: one Connection owns a database
// handle and a cache of prepared statements; Statement binds and reads
// columns. Failures surface as Status values carrying SQLite's message.
// A Connection is used by one thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/result.hpp"

namespace shipline::store::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // Resetting on destruction ends the statement's read of the database, so a
  // half-read SELECT never holds the transaction open.
  ~Statement() {
    if (stmt_ != nullptr) sqlite3_reset(stmt_);
  }
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(other.stmt_), unique_violation_(other.unique_violation_) {
    other.stmt_ = nullptr;
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& BindNull(int index);
  // Binds NULL for an empty string.
  Statement& BindText(int index, std::string_view value);

  // Makes the statement ready to bind and run again (for loops).
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  // Advances to the next row: true for a row, false when done. Errors carry
  // the constraint kind so callers can tell duplicates from faults.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;

  // The last error was a UNIQUE or PRIMARY KEY violation.
  bool UniqueViolation() const { return unique_violation_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool unique_violation_ = false;
};

class Connection {
 public:
  // Opens (creating if needed) the database at `path` with WAL, synchronous
  // FULL, foreign keys on and a busy timeout, so that other processes on the
  // same file (the CLI) wait for locks instead of failing.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL text without results (one or more statements).
  Status Exec(std::string_view sql);

  // A reset statement for `sql`, prepared once per connection and cached.
  Result<Statement> Prepare(const char* sql);

  // A reset statement for `sql` in the store core's form ($N placeholders),
  // prepared once per connection and cached by its text.
  Result<sqlite3_stmt*> PrepareText(const std::string& sql);

  // Runs one statement without results through the cache: for BEGIN, COMMIT
  // and savepoints, which every request runs (Exec parses its text each time).
  Status Run(const char* sql);

  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> text_cache_;
};

// An error from a failed SQLite call on `db`, for the log.
Error SqliteError(sqlite3* db, std::string_view what);

}  // namespace shipline::store::sqlite
