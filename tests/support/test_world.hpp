#pragma once

// A complete app layer on a fresh SQLite database in a temporary folder, with
// fakes for every outside system. One per test.

#include <filesystem>
#include <memory>
#include <string>

#include "adapters/providers/provider_factory.hpp"
#include "app/api_keys.hpp"
#include "app/complete_shipment.hpp"
#include "app/create_shipment.hpp"
#include "app/order_queries.hpp"
#include "app/orders.hpp"
#include "app/shipping_orders/delivery_network.hpp"
#include "app/shipping_orders/shipping_orders.hpp"
#include "app/storefronts.hpp"
#include "app/update_tracking.hpp"
#include "http/routes.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/fakes.hpp"

namespace shipline::test {

// A fresh folder under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct World {
  World();

  // Creates tenant `tenant` and returns an actor for it.
  app::Actor Tenant(const std::string& tenant = "acme");
  http::Services Services();

  TempDir dir;
  // Before the store, whose writer wakes consumers through it.
  app::EventSignal signal;
  std::unique_ptr<store::sqlite::SqliteStore> store;
  ManualClock clock;
  CountingIds ids;
  FakePayments payments;
  app::ApiKeys keys;
  app::Orders orders;
  app::OrderQueries queries;
  app::CompleteShipment complete;
  // Storefronts, shipments added to existing orders, tracking updates.
  app::Storefronts storefronts;
  app::CreateShipment create_shipment;
  app::UpdateTracking update_tracking;
  // Webhooks and the inbound 3PL integration (private receivers allowed).
  app::webhooks::WebhookSubscriptions webhook_subscriptions;
  app::webhooks::WebhookDeliveries webhook_deliveries;
  app::threepl::ThreePlConnections threepl_connections;
  app::threepl::ShipmentNotifications threepl_notifications;
  adapters::BuiltInProviderFactory provider_factory{false, false};
  app::NoGeocoder geocoder;
  app::ShippingOrders shipping_orders;
  app::DeliveryNetwork delivery_network;
};

// A valid order with one line item "A" (2 x 10.50 USD) and one shipment
// `number`-1 holding both, in `status`.
domain::Order SampleOrder(const std::string& number,
                          domain::ShipmentStatus status = domain::ShipmentStatus::kReleased);

}  // namespace shipline::test
