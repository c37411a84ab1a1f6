// What only the PostgreSQL store has to show: several nodes on one database
// (deadlocks between them are retried, migrations run once), a bounded
// connection pool, and clear failures when the server is away. Skipped when
// SHIPLINE_TEST_DATABASE is not set.

#include "store/postgres/pg_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support/store_backends.hpp"

namespace shipline {
namespace {

using store::postgres::PgStore;

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!test::TestDatabaseUrl()) GTEST_SKIP() << "SHIPLINE_TEST_DATABASE is not set";
    PgStore::Options options;
    options.writers = 1;
    options.readers = 2;
    options.pool_wait = std::chrono::milliseconds(200);
    auto opened = test::BackendStore::Open(test::Backend::kPostgres, options);
    ASSERT_TRUE(opened.ok()) << opened.error().detail;
    backend_ = std::move(*opened);
  }

  app::Store& store() { return backend_->store(); }

  // Two orders of one tenant; returns their ids.
  std::pair<int64_t, int64_t> TwoOrders(int64_t& tenant) {
    std::pair<int64_t, int64_t> ids;
    Status done = store().Write([&](app::StoreWriter& tx) -> Status {
      auto created = tx.Tenants().Ensure("acme", 1);
      if (!created) return std::move(created).error();
      tenant = *created;
      domain::Order first = test::SampleOrder("1");
      domain::Order second = test::SampleOrder("2");
      SHIPLINE_RETURN_IF_ERROR(tx.Orders().Insert(tenant, first));
      SHIPLINE_RETURN_IF_ERROR(tx.Orders().Insert(tenant, second));
      ids = {first.id, second.id};
      return Ok();
    });
    EXPECT_TRUE(done.ok()) << done.error().detail;
    return ids;
  }

  std::unique_ptr<test::BackendStore> backend_;
};

TEST_F(PgStoreTest, ADeadlockBetweenTwoNodesIsRetriedAndBothWritesLand) {
  int64_t tenant = 0;
  auto [first, second] = TwoOrders(tenant);
  PgStore::Options options;
  options.writers = 1;
  auto other_node = backend_->OpenAnother(options);
  ASSERT_TRUE(other_node.ok()) << other_node.error().detail;

  // Each node locks the two orders (reads in a write lock their rows) in the
  // opposite order: PostgreSQL picks one as the deadlock's victim.
  std::atomic<int> runs{0};
  auto lock_both = [&](app::Store& node, int64_t a, int64_t b) {
    return node.Write([&, a, b](app::StoreWriter& tx) -> Status {
      ++runs;
      auto one = tx.Orders().FindById(tenant, a);
      if (!one) return std::move(one).error();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      auto two = tx.Orders().FindById(tenant, b);
      if (!two) return std::move(two).error();
      domain::Event event{0, tenant, "test", "t", std::to_string(a), "{}", 1, "", 0, 0, false};
      return tx.Events().Insert(event);
    });
  };
  Status on_this = Ok();
  Status on_other = Ok();
  std::thread racer([&] { on_other = lock_both(**other_node, second, first); });
  on_this = lock_both(store(), first, second);
  racer.join();
  EXPECT_TRUE(on_this.ok()) << on_this.error().detail;
  EXPECT_TRUE(on_other.ok()) << on_other.error().detail;
  EXPECT_GE(runs.load(), 3) << "one of the two should have been run again";
  Status read = store().Read([&](app::StoreReader& reader) -> Status {
    auto events = reader.Events().List(tenant, 0, 10);
    if (!events) return std::move(events).error();
    EXPECT_EQ(events->size(), 2u) << "each write committed exactly once";
    return Ok();
  });
  EXPECT_TRUE(read.ok());
}

TEST_F(PgStoreTest, NodesStartingTogetherMigrateOnce) {
  // The fixture's store migrated its schema; more nodes opening it at once
  // find nothing left to do and do not trip over each other.
  std::vector<std::thread> nodes;
  std::atomic<int> opened{0};
  for (int i = 0; i < 4; ++i) {
    nodes.emplace_back([&] {
      auto node = backend_->OpenAnother({});
      if (node.ok()) ++opened;
    });
  }
  for (auto& node : nodes) node.join();
  EXPECT_EQ(opened.load(), 4);
}

TEST_F(PgStoreTest, AReaderWaitsForAConnectionBoundedly) {
  // Two read connections at most: a third concurrent reader gives up after
  // the pool's wait instead of opening more.
  std::atomic<int> inside{0};
  std::atomic<bool> release{false};
  std::vector<std::thread> holders;
  for (int i = 0; i < 2; ++i) {
    holders.emplace_back([&] {
      Status held = store().Read([&](app::StoreReader&) -> Status {
        ++inside;
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return Ok();
      });
      EXPECT_TRUE(held.ok());
    });
  }
  while (inside < 2) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  Status third = store().Read([](app::StoreReader&) { return Ok(); });
  release = true;
  for (auto& holder : holders) holder.join();
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(store().Read([](app::StoreReader&) { return Ok(); }).ok());
}

TEST_F(PgStoreTest, AHiddenStatementFailureRollsTheWriteBack) {
  // PostgreSQL aborts a transaction at its first failed statement: a
  // function that swallows the error must not see its write reported as
  // committed.
  Status written = store().Write([](app::StoreWriter& tx) -> Status {
    auto tenant = tx.Tenants().Ensure("acme", 1);
    if (!tenant) return std::move(tenant).error();
    auto bad = tx.Tenants().InsertApiKey({*tenant + 1000, "orphan", "h", "", "admin", 1, {}});
    EXPECT_FALSE(bad.ok());  // no such tenant
    return Ok();
  });
  EXPECT_FALSE(written.ok());
  EXPECT_EQ(test::CountTenants(store()), 0);
}

TEST(PgStoreOpen, AnUnreachableServerIsUnavailable) {
  PgStore::Options options;
  options.connect.connect_timeout = std::chrono::seconds(2);
  auto store = PgStore::Open("postgres://nobody@127.0.0.1:1/none", options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().detail.find("password"), std::string::npos);
}

TEST(PgStoreOpen, PasswordsStayOutOfLogs) {
  EXPECT_EQ(store::postgres::RedactUrl("postgres://app:s3cret@db:5432/shipline"),
            "postgres://app:***@db:5432/shipline");
  EXPECT_EQ(store::postgres::RedactUrl("host=db password=s3cret dbname=x"),
            "host=db password=*** dbname=x");
  EXPECT_TRUE(store::postgres::IsPostgresUrl("postgresql://db/x"));
  EXPECT_FALSE(store::postgres::IsPostgresUrl("/var/lib/shipline"));
}

}  // namespace
}  // namespace shipline
