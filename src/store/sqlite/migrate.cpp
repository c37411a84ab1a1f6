#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
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
    SqliteDb migrator(db, true);
    auto applied = migrator.Query("SELECT 1 FROM schema_migrations WHERE version = $1",
                                  sql::Params().Add(version));
    Status status = applied ? Ok() : Status(std::move(applied).error());
    bool done = false;
    if (status.ok()) {
      auto row = (*applied)->Next();
      applied->reset();  // ends the read before the migration's DDL
      if (row) {
        done = *row;
      } else {
        status = std::move(row).error();
      }
    }
    if (status.ok() && !done) {
      status = db.Exec(sql);
      if (status.ok()) {
        auto recorded =
            migrator.Execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                             sql::Params().Add(version).Add(name));
        if (!recorded) status = std::move(recorded).error();
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
