#include "store/sqlite/connection.hpp"

#include <cerrno>

#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/wal_coalescing_vfs.hpp"

namespace shipline::store::sqlite {

namespace {

constexpr int kStatementJournalInMemory = 4 << 20;  // bytes

// A full disk (or quota) is a condition that passes: the request may be
// retried once space is freed, so it is kStorageFull (kUnavailable; 503 with
// Retry-After in every contract), not a fault. SQLite reports it as SQLITE_FULL, or as an I/O error
// whose system error is ENOSPC or EDQUOT (a write or sync of the WAL).
bool StorageFull(sqlite3* db) {
  int code = sqlite3_extended_errcode(db);
  if ((code & 0xff) == SQLITE_FULL) return true;
  int system = sqlite3_system_errno(db);
  return (code & 0xff) == SQLITE_IOERR && (system == ENOSPC || system == EDQUOT);
}

Error Classified(sqlite3* db, std::string detail) {
  if (StorageFull(db)) {
    return Error::Of(ErrorReason::kStorageFull, "storage is full, retry later", std::move(detail));
  }
  return Error::Internal(std::move(detail));
}

}  // namespace

Error SqliteError(sqlite3* db, std::string_view what) {
  return Classified(db, "sqlite " + std::string(what) + ": " + sqlite3_errmsg(db));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only) {
  // Process-wide settings, before SQLite initializes (the first open).
  static const bool with_wal_coalescing = [] {
    // Every connection is used by one thread at a time: SQLite's global
    // allocation statistics would only add a mutex every allocation takes.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    // The writer runs each caller of a group in a savepoint, whose journal
    // (the original of every page the caller changes) SQLite keeps in memory
    // only up to 64 KiB by default, then moves to a temporary file for the
    // rest of the transaction: a file created, written a page per call and
    // deleted for every group (about 60 pwrite calls per completion in the
    // completion benchmark, most of its system calls). A group's savepoint
    // journal stays well under this bound in memory; a larger one (a bulk
    // change) still spills to a file.
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, kStatementJournalInMemory);
    // Every connection goes through the VFS that writes a commit's WAL
    // frames in few system calls (wal_coalescing_vfs.hpp); the platform's
    // own VFS if it cannot be registered.
    return RegisterWalCoalescingVfs();
  }();
  sqlite3* db = nullptr;
  int flags = (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
              SQLITE_OPEN_NOMUTEX;
  const char* vfs = with_wal_coalescing ? kWalCoalescingVfs : nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, flags, vfs) != SQLITE_OK) {
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
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message ? message : "unknown error";
    sqlite3_free(message);
    return Classified(db_, "sqlite exec: " + detail);
  }
  return Ok();
}

Result<sqlite3_stmt*> Connection::PrepareText(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found != cache_.end()) {
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
  cache_.emplace(sql, stmt);
  return stmt;
}

Status Connection::Run(const std::string& sql) {
  auto stmt = PrepareText(sql);
  if (!stmt) return std::move(stmt).error();
  int rc = sqlite3_step(*stmt);
  sqlite3_reset(*stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return SqliteError(db_, "step");
  return Ok();
}

int64_t Connection::LastInsertId() const { return sqlite3_last_insert_rowid(db_); }

int Connection::Changes() const { return sqlite3_changes(db_); }

}  // namespace shipline::store::sqlite
