// The shared store suite, operator queries: the shipping state the store
// keeps in the order's row agrees with the domain's rule as shipments move,
// pages follow their keys, and the cursor secret is created once. Every case
// runs on SQLite and on PostgreSQL.

#include "app/query_repository.hpp"
#include "domain/order_rules.hpp"
#include "support/store_suite_fixture.hpp"

namespace shipline {
namespace {

using domain::ShipmentStatus;
using test::Backend;

class QueryStoreTest : public test::StoreSuiteTest {
 protected:
  // The numbers of the tenant's orders the store lists in `state`.
  std::vector<std::string> InState(int64_t tenant, const std::string& state) {
    app::OrderListQuery query;
    query.tenant_id = tenant;
    query.states = {state};
    query.limit = 100;
    std::vector<std::string> numbers;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto orders = reader.Queries().ListOrders(query);
      if (!orders) return std::move(orders).error();
      for (const auto& order : *orders) numbers.push_back(order.order_number);
      return Ok();
    }));
    return numbers;
  }

  // The state the domain derives from the order as the store reads it.
  std::string Derived(int64_t tenant, const std::string& number) {
    std::string state;
    EXPECT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto order = reader.Orders().Find(tenant, number);
      if (!order) return std::move(order).error();
      state = domain::ShippingStateName(domain::DeriveShippingState(**order));
      return Ok();
    }));
    return state;
  }

  void Move(const domain::Shipment& shipment, ShipmentStatus from, ShipmentStatus to, int64_t at) {
    EXPECT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
      auto moved = tx.Orders().TransitionShipment(
          shipment.id, from, to, {std::string(domain::ShipmentStatusName(to)), at, "test", ""});
      if (!moved) return std::move(moved).error();
      EXPECT_TRUE(*moved);
      return Ok();
    }));
  }

  void ExpectStoredStateIsDerived(int64_t tenant, const std::string& number,
                                  const std::string& expected) {
    EXPECT_EQ(Derived(tenant, number), expected);
    EXPECT_EQ(InState(tenant, expected), std::vector<std::string>{number});
  }
};

TEST_P(QueryStoreTest, TheStoredShippingStateFollowsTheShipments) {
  int64_t tenant = Tenant();
  // A plain line (2 x A) and a bundle (1 KIT of 2 K1 and 1 K2) in three shipments.
  domain::Order order = test::SampleOrder("100");
  order.line_items.push_back({0, "KIT", "Kit", 1, 500, {{"K1", 2}, {"K2", 1}}});
  order.shipments.push_back(order.shipments[0]);
  order.shipments[1].shipment_number = "100-2";
  order.shipments[1].items = {{0, "K1", 2, "KIT"}};
  order.shipments.push_back(order.shipments[0]);
  order.shipments[2].shipment_number = "100-3";
  order.shipments[2].items = {{0, "K2", 1, "KIT"}};
  ASSERT_STORE_OK(
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant, order); }));
  ExpectStoredStateIsDerived(tenant, "100", "unshipped");

  Move(order.shipments[0], ShipmentStatus::kReleased, ShipmentStatus::kShipped, 10);
  ExpectStoredStateIsDerived(tenant, "100", "partially_shipped");
  // Part of the bundle leaves: the bundle is not whole yet.
  Move(order.shipments[1], ShipmentStatus::kReleased, ShipmentStatus::kShipped, 11);
  ExpectStoredStateIsDerived(tenant, "100", "partially_shipped");
  Move(order.shipments[2], ShipmentStatus::kReleased, ShipmentStatus::kDelivered, 12);
  ExpectStoredStateIsDerived(tenant, "100", "shipped");

  // Every shipment cancelled before anything left: cancelled; a new one
  // makes it unshipped again.
  domain::Order cancelled = InsertOrder(tenant, "200");
  Move(cancelled.shipments[0], ShipmentStatus::kReleased, ShipmentStatus::kCancelled, 20);
  ExpectStoredStateIsDerived(tenant, "200", "cancelled");
  domain::Shipment again = cancelled.shipments[0];
  again.shipment_number = "200-2";
  again.history.clear();
  again.updated_at = 30;
  ASSERT_STORE_OK(store().Write(
      [&](app::StoreWriter& tx) { return tx.Orders().InsertShipment(tenant, again); }));
  ExpectStoredStateIsDerived(tenant, "200", "unshipped");
  EXPECT_TRUE(InState(Tenant("other"), "unshipped").empty());
}

TEST_P(QueryStoreTest, PagesFollowTheirKeysNewestFirst) {
  int64_t tenant = Tenant();
  for (int i = 0; i < 5; ++i) InsertOrder(tenant, "30" + std::to_string(i));
  app::OrderListQuery query;
  query.tenant_id = tenant;
  query.limit = 2;
  std::vector<std::string> seen;
  for (int page = 0; page < 3; ++page) {
    ASSERT_STORE_OK(store().Read([&](app::StoreReader& reader) -> Status {
      auto orders = reader.Queries().ListOrders(query);
      if (!orders) return std::move(orders).error();
      for (const auto& order : *orders) {
        seen.push_back(order.order_number);
        EXPECT_EQ(order.line_items.size(), 1u);
        EXPECT_EQ(order.shipments.size(), 1u);
        EXPECT_TRUE(order.shipments[0].history.empty());
        query.after = app::Keyset{order.created_at, order.id};
      }
      return Ok();
    }));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"304", "303", "302", "301", "300"}));
}

TEST_P(QueryStoreTest, AServerSecretIsCreatedOnce) {
  std::string first;
  std::string second;
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto secret = tx.Queries().ServerSecret("cursor", "one", 1);
    if (!secret) return std::move(secret).error();
    first = *secret;
    return Ok();
  }));
  ASSERT_STORE_OK(store().Write([&](app::StoreWriter& tx) -> Status {
    auto secret = tx.Queries().ServerSecret("cursor", "two", 2);
    if (!secret) return std::move(secret).error();
    second = *secret;
    return Ok();
  }));
  EXPECT_EQ(first, "one");
  EXPECT_EQ(second, "one");
}

INSTANTIATE_TEST_SUITE_P(Backends, QueryStoreTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         test::BackendParamName);

}  // namespace
}  // namespace shipline
