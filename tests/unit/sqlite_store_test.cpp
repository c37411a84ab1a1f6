// The SQLite store's own guarantees: group commit isolates each caller,
// migrations are idempotent, and unique keys come back as kAlreadyExists.

#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "support/test_world.hpp"

namespace shipline {
namespace {

TEST(SqliteStore, AFailingWriteRollsBackOnlyItsOwnChanges) {
  test::World world;
  constexpr int kWriters = 64;
  std::vector<std::thread> threads;
  std::atomic<int> succeeded{0};
  for (int i = 0; i < kWriters; ++i) {
    threads.emplace_back([&, i] {
      Status status = world.store->Write([&](app::StoreWriter& tx) -> Status {
        auto tenant = tx.Tenants().Ensure("tenant-" + std::to_string(i), 1);
        if (!tenant) return std::move(tenant).error();
        if (i % 2 == 1) return Error::Invalid("odd writers fail after writing");
        return Ok();
      });
      if (status.ok()) ++succeeded;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), kWriters / 2);
  int64_t tenants = 0;
  ASSERT_TRUE(world.store
                  ->Read([&](app::StoreReader& reader) -> Status {
                    auto count = reader.Tenants().Count();
                    if (!count) return std::move(count).error();
                    tenants = *count;
                    return Ok();
                  })
                  .ok());
  EXPECT_EQ(tenants, kWriters / 2);
}

TEST(SqliteStore, ReopeningAppliesNoMigrationTwice) {
  test::TempDir dir;
  std::string path = (dir.path() / "shipline.db").string();
  { ASSERT_TRUE(store::sqlite::SqliteStore::Open(path).ok()); }
  auto again = store::sqlite::SqliteStore::Open(path);
  ASSERT_TRUE(again.ok()) << again.error().detail;
}

TEST(SqliteStore, DuplicateOrderAndShipmentNumbersAreAlreadyExists) {
  test::World world;
  app::Actor actor = world.Tenant();
  ASSERT_TRUE(world.orders.Create(actor, test::SampleOrder("7")).ok());
  auto duplicate = world.orders.Create(actor, test::SampleOrder("7"));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(duplicate.error().field, "orderNumber");

  domain::Order clash = test::SampleOrder("8");
  clash.shipments[0].shipment_number = "7-1";
  auto shipment_clash = world.orders.Create(actor, clash);
  ASSERT_FALSE(shipment_clash.ok());
  EXPECT_EQ(shipment_clash.error().code, ErrorCode::kAlreadyExists);
  // Nothing of the rejected order was kept.
  EXPECT_EQ(world.orders.Get(actor, "8").error().code, ErrorCode::kNotFound);

  // Another tenant may reuse the numbers.
  app::Actor other = world.Tenant("other");
  EXPECT_TRUE(world.orders.Create(other, test::SampleOrder("7")).ok());
}

}  // namespace
}  // namespace shipline
