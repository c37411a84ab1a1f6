#include "support/store_suite_fixture.hpp"

#include <stdexcept>

namespace shipline::test {

void StoreSuiteTest::SetUp() {
  if (GetParam() == Backend::kPostgres && !TestDatabaseUrl()) {
    GTEST_SKIP() << "SHIPLINE_TEST_DATABASE is not set: no PostgreSQL to test";
  }
  auto opened = BackendStore::Open(GetParam());
  ASSERT_TRUE(opened.ok()) << opened.error().detail;
  backend_ = std::move(*opened);
}

int64_t StoreSuiteTest::Tenant(const std::string& name) {
  int64_t id = 0;
  Status done = store().Write([&](app::StoreWriter& tx) -> Status {
    auto tenant = tx.Tenants().Ensure(name, 1);
    if (!tenant) return std::move(tenant).error();
    id = *tenant;
    return Ok();
  });
  if (!done.ok()) throw std::runtime_error(done.error().detail);
  return id;
}

domain::Order StoreSuiteTest::InsertOrder(int64_t tenant_id, const std::string& number,
                                          domain::ShipmentStatus status) {
  domain::Order order = SampleOrder(number, status);
  order.created_at = 1000;
  for (auto& shipment : order.shipments) {
    shipment.created_at = shipment.updated_at = 1000;
    shipment.history = {{std::string(domain::ShipmentStatusName(status)), 1000, "tester", ""}};
  }
  Status done =
      store().Write([&](app::StoreWriter& tx) { return tx.Orders().Insert(tenant_id, order); });
  if (!done.ok()) throw std::runtime_error(done.error().detail);
  return order;
}

std::optional<domain::Shipment> StoreSuiteTest::FindShipment(int64_t tenant_id,
                                                             const std::string& number) {
  std::optional<domain::Shipment> found;
  Status done = store().Read([&](app::StoreReader& reader) -> Status {
    auto shipment = reader.Orders().FindShipment(tenant_id, number);
    if (!shipment) return std::move(shipment).error();
    found = std::move(*shipment);
    return Ok();
  });
  if (!done.ok()) throw std::runtime_error(done.error().detail);
  return found;
}

}  // namespace shipline::test
