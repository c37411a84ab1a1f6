#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace shipline::store::sqlite {

// Embedded from migrations/*.sql by the build, sorted by file name.
extern const std::vector<std::pair<std::string_view, std::string_view>> kMigrations;

Status Migrate(Connection& db) {
  SHIPLINE_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
      "NULL)"));
  for (const auto& [name, sql] : kMigrations) {
    // The version is the file name's number prefix: "0002_webhooks.sql" is 2.
    int64_t version = std::atoll(std::string(name).c_str());
    if (version <= 0) return Error::Internal("migration without a number: " + std::string(name));
    SHIPLINE_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
    auto check = db.Prepare("SELECT 1 FROM schema_migrations WHERE version = ?");
    if (!check) {
      (void)db.Exec("ROLLBACK");
      return std::move(check).error();
    }
    check->Bind(1, version);
    auto applied = check->Step();
    check->Reset();
    Status status = applied ? Ok() : Status(std::move(applied).error());
    if (status.ok() && !*applied) {
      status = db.Exec(sql);
      if (status.ok()) {
        auto record = db.Prepare("INSERT INTO schema_migrations (version, name) VALUES (?, ?)");
        status = record ? record->Bind(1, version).Bind(2, name).Run()
                        : Status(std::move(record).error());
      }
    }
    if (!status.ok()) {
      (void)db.Exec("ROLLBACK");
      Error error = std::move(status).error();
      error.detail = "migration " + std::string(name) + ": " + error.detail;
      return error;
    }
    SHIPLINE_RETURN_IF_ERROR(db.Exec("COMMIT"));
  }
  return Ok();
}

}  // namespace shipline::store::sqlite
