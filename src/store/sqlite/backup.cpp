#include "store/sqlite/backup.hpp"

#include <sqlite3.h>

#include <filesystem>
#include <memory>

#include "store/sqlite/connection.hpp"

namespace shipline::store::sqlite {

namespace {

struct CloseHandle {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, CloseHandle>;

Result<Handle> OpenHandle(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  Handle handle(db);
  if (rc != SQLITE_OK) return SqliteError(db, "cannot open " + path);
  sqlite3_busy_timeout(db, 10'000);
  return handle;
}

}  // namespace

Status BackUpDatabase(const std::string& source, const std::string& target) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(source, ec)) {
    return Error::NotFound("no database at " + source);
  }
  if (std::filesystem::exists(target, ec)) return Error::Exists(target + " exists");
  auto from = OpenHandle(source, SQLITE_OPEN_READONLY);
  if (!from) return from.error();
  auto to = OpenHandle(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  if (!to) return to.error();
  sqlite3_backup* backup = sqlite3_backup_init(to->get(), "main", from->get(), "main");
  if (backup == nullptr) return SqliteError(to->get(), "cannot start the backup");
  // -1: every page in one step, under one read transaction of the source.
  int rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return SqliteError(to->get(), "backup failed");
  // The copy is a plain database file: no write-ahead log beside it.
  char* message = nullptr;
  if (sqlite3_exec(to->get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, &message) !=
      SQLITE_OK) {
    std::string detail = message != nullptr ? message : "";
    sqlite3_free(message);
    return Error::Internal("backup journal mode: " + detail);
  }
  return Status();
}

}  // namespace shipline::store::sqlite
