#include "support/test_world.hpp"

#include <random>
#include <stdexcept>

namespace shipline::test {

TempDir::TempDir() {
  std::random_device random;
  path_ = std::filesystem::temp_directory_path() /
          ("shipline-test-" + std::to_string(random()) + std::to_string(random()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

namespace {

std::unique_ptr<store::sqlite::SqliteStore> OpenOrDie(const std::filesystem::path& dir) {
  auto store = store::sqlite::SqliteStore::Open((dir / "shipline.db").string());
  if (!store) throw std::runtime_error(store.error().detail);
  return std::move(*store);
}

}  // namespace

World::World()
    : store(OpenOrDie(dir.path())),
      keys(*store, clock, ids),
      orders(*store, clock),
      queries(*store, clock, ids),
      complete(*store, payments, clock, ids),
      storefronts(*store, clock),
      create_shipment(*store, clock, complete),
      update_tracking(*store, clock),
      webhook_subscriptions(*store, clock, ids, {.allow_private = true}),
      webhook_deliveries(*store, clock, ids),
      threepl_connections(*store, clock, ids),
      threepl_notifications(*store, complete, clock),
      shipping_orders(*store, provider_factory, geocoder, clock, ids),
      delivery_network(*store, provider_factory, clock) {
  store->WakeOnCommit(&signal);
}

app::Actor World::Tenant(const std::string& tenant) {
  auto key = keys.Create(tenant, {"tester", app::Scopes::Of({app::Scope::kAdmin}), {}});
  if (!key) throw std::runtime_error(key.error().detail);
  auto actor = keys.Authenticate(key->secret);
  if (!actor) throw std::runtime_error(actor.error().message);
  return *actor;
}

http::Services World::Services() {
  http::Services services;
  services.store = store.get();
  services.api_keys = &keys;
  services.complete = &complete;
  services.orders = &orders;
  services.queries = &queries;
  services.storefronts = &storefronts;
  services.create_shipment = &create_shipment;
  services.update_tracking = &update_tracking;
  services.webhook_subscriptions = &webhook_subscriptions;
  services.webhook_deliveries = &webhook_deliveries;
  services.threepl_connections = &threepl_connections;
  services.threepl_notifications = &threepl_notifications;
  services.shipping_orders = &shipping_orders;
  services.delivery_network = &delivery_network;
  return services;
}

domain::Order SampleOrder(const std::string& number, domain::ShipmentStatus status) {
  domain::Order order;
  order.order_number = number;
  order.store = "main";
  order.currency = "USD";
  order.customer = {"Ada Lovelace", "ada@example.com"};
  order.shipping_address = {"Ada", "1 Main St", "", "London", "", "N1", "GB", ""};
  order.line_items = {{0, "A", "Widget", 2, 1050}};
  order.payment = {"stripe", "pi_123", 2100, 0};
  domain::Shipment shipment;
  shipment.shipment_number = number + "-1";
  shipment.status = status;
  shipment.items = {{0, "A", 2}};
  order.shipments = {shipment};
  return order;
}

}  // namespace shipline::test
