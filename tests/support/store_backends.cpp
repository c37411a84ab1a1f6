#include "support/store_backends.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <random>

#include "store/sqlite/sqlite_store.hpp"

namespace shipline::test {

namespace {

std::string NewSchemaName() {
  static std::atomic<int> counter{0};
  std::random_device random;
  return "t_" + std::to_string(getpid()) + "_" + std::to_string(++counter) + "_" +
         std::to_string(random() % 1000000);
}

}  // namespace

std::string BackendName(Backend backend) {
  return backend == Backend::kSqlite ? "Sqlite" : "Postgres";
}

std::optional<std::string> TestDatabaseUrl() {
  const char* url = std::getenv("SHIPLINE_TEST_DATABASE");
  if (url == nullptr || *url == '\0') return std::nullopt;
  return std::string(url);
}

Result<std::unique_ptr<BackendStore>> BackendStore::Open(
    Backend backend, store::postgres::PgStore::Options options) {
  std::unique_ptr<BackendStore> opened(new BackendStore(backend));
  if (backend == Backend::kSqlite) {
    opened->dir_.emplace();
    auto store = store::sqlite::SqliteStore::Open((opened->dir_->path() / "shipline.db").string());
    if (!store) return std::move(store).error();
    opened->store_ = std::move(*store);
    return opened;
  }
  auto base = TestDatabaseUrl();
  if (!base) return Error::Unavailable("no PostgreSQL", "SHIPLINE_TEST_DATABASE is not set");
  auto admin = store::postgres::Connection::Open(*base, {});
  if (!admin) return std::move(admin).error();
  opened->schema_ = NewSchemaName();
  SHIPLINE_RETURN_IF_ERROR((*admin)->Exec("CREATE SCHEMA " + opened->schema_));
  opened->url_ = *base + (base->find('?') == std::string::npos ? "?" : "&") +
                 "options=-csearch_path%3D" + opened->schema_;
  auto store = store::postgres::PgStore::Open(opened->url_, options);
  if (!store) return std::move(store).error();
  opened->store_ = std::move(*store);
  return opened;
}

std::string BackendStore::location() const {
  return backend_ == Backend::kSqlite ? (dir_->path() / "shipline.db").string() : url_;
}

BackendStore::~BackendStore() {
  store_.reset();
  if (schema_.empty()) return;
  if (auto admin = store::postgres::Connection::Open(*TestDatabaseUrl(), {})) {
    (void)(*admin)->Exec("DROP SCHEMA " + schema_ + " CASCADE");
  }
}

Result<std::unique_ptr<app::Store>> BackendStore::OpenAnother(
    store::postgres::PgStore::Options options) {
  if (url_.empty()) return Error::Unavailable("not shared", "only PostgreSQL is shared");
  auto store = store::postgres::PgStore::Open(url_, options);
  if (!store) return std::move(store).error();
  return std::unique_ptr<app::Store>(std::move(*store));
}

int64_t CountTenants(app::Store& store) {
  int64_t count = -1;
  Status read = store.Read([&](app::StoreReader& reader) -> Status {
    auto counted = reader.Tenants().Count();
    if (!counted) return std::move(counted).error();
    count = *counted;
    return Ok();
  });
  return read.ok() ? count : -1;
}

}  // namespace shipline::test
