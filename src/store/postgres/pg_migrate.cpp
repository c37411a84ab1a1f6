#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/postgres/pg_db.hpp"
#include "store/postgres/pg_store.hpp"

namespace shipline::store::postgres {

// Embedded from migrations/*.sql by the build, sorted by file name.
extern const std::vector<std::pair<std::string_view, std::string_view>> kPostgresMigrations;

namespace {

Status ApplyOne(Connection& db, int64_t version, std::string_view name, std::string_view sql) {
  SHIPLINE_RETURN_IF_ERROR(db.Exec("BEGIN"));
  auto applied =
      db.Query("SELECT 1 FROM schema_migrations WHERE version = $1", sql::Params().Add(version));
  Status status = applied ? Ok() : Status(std::move(applied).error());
  if (status.ok() && applied->empty()) {
    status = db.Exec(sql);
    if (status.ok()) {
      auto recorded = db.Query(
          "INSERT INTO schema_migrations (version, name, applied_at) "
          "VALUES ($1, $2, (extract(epoch from now()) * 1000)::bigint)",
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
  return db.Exec("COMMIT");
}

}  // namespace

Status Migrate(Connection& db) {
  // Nodes that start together wait here for the first one to finish.
  auto locked = db.Query("SELECT pg_advisory_lock($1)", sql::Params().Add(kMigrationLock));
  if (!locked) return std::move(locked).error();
  Status status = db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, "
      "name text NOT NULL, applied_at bigint NOT NULL)");
  for (const auto& [name, sql] : kPostgresMigrations) {
    if (!status.ok()) break;
    // The version is the file name's number prefix: "0002_webhooks.sql" is 2.
    int64_t version = std::atoll(std::string(name).c_str());
    if (version <= 0) {
      status = Error::Internal("migration without a number: " + std::string(name));
      break;
    }
    status = ApplyOne(db, version, name, sql);
  }
  auto unlocked = db.Query("SELECT pg_advisory_unlock($1)", sql::Params().Add(kMigrationLock));
  if (status.ok() && !unlocked) return std::move(unlocked).error();
  return status;
}

}  // namespace shipline::store::postgres
