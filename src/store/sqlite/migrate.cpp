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
  for (size_t i = 0; i < kMigrations.size(); ++i) {
    const auto& [name, sql] = kMigrations[i];
    int64_t version = static_cast<int64_t>(i) + 1;
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
