#pragma once

// The fixture of the shared store suite (tests/unit/store_suite_*_test.cpp):
// every case runs once per backend on a fresh, empty database, through the
// store port only.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/store_backends.hpp"

namespace shipline::test {

class StoreSuiteTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;

  app::Store& store() { return backend_->store(); }
  bool shared() const { return backend_->shared(); }
  BackendStore& backend() { return *backend_; }

  // The id of tenant `name`, created if needed.
  int64_t Tenant(const std::string& name = "acme");
  // Inserts SampleOrder(number, status) for the tenant and returns it with
  // its ids filled in.
  domain::Order InsertOrder(int64_t tenant_id, const std::string& number,
                            domain::ShipmentStatus status = domain::ShipmentStatus::kReleased);
  std::optional<domain::Shipment> FindShipment(int64_t tenant_id, const std::string& number);

 private:
  std::unique_ptr<BackendStore> backend_;
};

// Names the instantiated cases ".../Sqlite" and ".../Postgres".
inline std::string BackendParamName(const ::testing::TestParamInfo<Backend>& info) {
  return BackendName(info.param);
}

}  // namespace shipline::test

// Expects a Status or Result to be ok, printing its detail otherwise.
#define EXPECT_STORE_OK(expr)                                            \
  do {                                                                   \
    auto shipline_status = (expr);                                       \
    EXPECT_TRUE(shipline_status.ok()) << shipline_status.error().detail; \
  } while (false)
#define ASSERT_STORE_OK(expr)                                            \
  do {                                                                   \
    auto shipline_status = (expr);                                       \
    ASSERT_TRUE(shipline_status.ok()) << shipline_status.error().detail; \
  } while (false)
