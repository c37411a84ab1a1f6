#pragma once

// A thin RAII layer over the SQLite C API: one Connection owns a database
// handle and a cache of prepared statements (SqliteDb binds and reads them).
// Failures surface as Status values carrying SQLite's message.
// A Connection is used by one thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "domain/result.hpp"

namespace shipline::store::sqlite {

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

  // A reset statement for `sql` in the store core's form ($N placeholders),
  // prepared once per connection and cached by its text.
  Result<sqlite3_stmt*> PrepareText(const std::string& sql);

  // Runs one statement without parameters or results through the cache: for
  // BEGIN, COMMIT and savepoints, which every request runs (Exec parses its
  // text each time).
  Status Run(const std::string& sql);

  int64_t LastInsertId() const;
  int Changes() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// An error from a failed SQLite call on `db`, for the log.
Error SqliteError(sqlite3* db, std::string_view what);

}  // namespace shipline::store::sqlite
