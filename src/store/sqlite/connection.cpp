#include "store/sqlite/connection.hpp"

#include "store/sqlite/sqlite_db.hpp"

namespace shipline::store::sqlite {

Error SqliteError(sqlite3* db, std::string_view what) {
  return Error::Internal("sqlite " + std::string(what) + ": " + sqlite3_errmsg(db));
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  return value.empty() ? BindNull(index) : Bind(index, value);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  int extended = sqlite3_extended_errcode(db_);
  unique_violation_ =
      extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY;
  return SqliteError(db_, "step");
}

Status Statement::Run() {
  auto row = Step();
  if (!row) return std::move(row).error();
  return Ok();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only) {
  // Every connection is used by one thread at a time: SQLite's global
  // allocation statistics would only add a mutex every allocation takes.
  static const int configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)configured;
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    Error error =
        Error::Internal("sqlite open " + path + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_busy_timeout(db, 10'000);
  sqlite3_extended_result_codes(db, 1);
  // No memory-mapped reads: in WAL mode a reader that finds the database
  // changed since its last transaction unmaps the whole file, and every page
  // it then touches faults in again; with writes going on (completions) that
  // cost more than the pread calls it saves.
  const char* pragmas = read_only ? "PRAGMA foreign_keys=ON; PRAGMA mmap_size=0;"
                                  : "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                                    "PRAGMA foreign_keys=ON; PRAGMA mmap_size=0;";
  SHIPLINE_RETURN_IF_ERROR(connection->Exec(pragmas));
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : text_cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : "unknown error";
    sqlite3_free(message);
    return Error::Internal("sqlite exec: " + detail);
  }
  return Ok();
}

Result<Statement> Connection::Prepare(const char* sql) {
  auto found = cache_.find(sql);
  if (found != cache_.end()) {
    sqlite3_reset(found->second);
    sqlite3_clear_bindings(found->second);
    return Statement(db_, found->second);
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return SqliteError(db_, "prepare");
  }
  cache_.emplace(sql, stmt);
  return Statement(db_, stmt);
}

Result<sqlite3_stmt*> Connection::PrepareText(const std::string& sql) {
  auto found = text_cache_.find(sql);
  if (found != text_cache_.end()) {
    sqlite3_reset(found->second);
    sqlite3_clear_bindings(found->second);
    return found->second;
  }
  std::string text = SqliteText(sql);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, text.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    return SqliteError(db_, "prepare");
  }
  text_cache_.emplace(sql, stmt);
  return stmt;
}

Status Connection::Run(const char* sql) {
  auto statement = Prepare(sql);
  if (!statement) return std::move(statement).error();
  return statement->Run();
}

int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

int Connection::Changes() const { return sqlite3_changes(db_); }

}  // namespace shipline::store::sqlite
