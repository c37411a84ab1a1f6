#pragma once

// The store implementations the shared store suite runs against: SQLite in a
// temporary folder, and PostgreSQL in a fresh schema of the database named by
// SHIPLINE_TEST_DATABASE (a postgres:// URL; `make test` starts a throwaway
// cluster and sets it). Without that variable the PostgreSQL cases skip.

#include <memory>
#include <optional>
#include <string>

#include "app/store.hpp"
#include "store/postgres/pg_store.hpp"
#include "support/test_world.hpp"

namespace shipline::test {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(Backend backend);

// The PostgreSQL URL of the test server, or nullopt when none is configured.
std::optional<std::string> TestDatabaseUrl();

// One fresh, empty database of a backend and a store open on it. The
// PostgreSQL schema is dropped when this object goes.
class BackendStore {
 public:
  // kUnavailable when the backend is PostgreSQL and no server is configured.
  static Result<std::unique_ptr<BackendStore>> Open(Backend backend,
                                                    store::postgres::PgStore::Options options = {});
  ~BackendStore();
  BackendStore(const BackendStore&) = delete;
  BackendStore& operator=(const BackendStore&) = delete;

  app::Store& store() { return *store_; }
  Backend backend() const { return backend_; }
  // Where the database is: the SQLite file, or the PostgreSQL URL that
  // selects this store's schema.
  std::string location() const;

  // Several nodes may share this store (PostgreSQL).
  bool shared() const { return backend_ == Backend::kPostgres; }

  // A second store on the same database, as another node would open it
  // (PostgreSQL only).
  Result<std::unique_ptr<app::Store>> OpenAnother(store::postgres::PgStore::Options options);

 private:
  BackendStore(Backend backend) : backend_(backend) {}

  const Backend backend_;
  std::optional<TempDir> dir_;
  std::string url_;     // PostgreSQL: the URL that selects the schema
  std::string schema_;  // PostgreSQL: the schema, dropped at the end
  std::unique_ptr<app::Store> store_;
};

// How many tenants `store` holds, read in a read of its own; -1 when the
// read fails.
int64_t CountTenants(app::Store& store);

}  // namespace shipline::test
