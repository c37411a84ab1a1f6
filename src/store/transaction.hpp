#pragma once

// The store's core reads and writes, written once for both engines on the
// sql::Db seam, inside the transaction that the engine's store opened
// (SqliteStore, PgStore). Reads of an order or a shipment inside a write lock
// its row where the engine needs it (Db::RowLock), so that a
// read-modify-write inside Store::Write cannot race another node's.
//
// The feature repositories (webhooks and 3PL, shipping orders, delivery
// network, storefronts) live on the same Db.

#include "app/store.hpp"
#include "store/delivery_network_repository.hpp"
#include "store/shipping_order_repository.hpp"
#include "store/sql/db.hpp"
#include "store/storefront_repository.hpp"
#include "store/webhook_repository.hpp"

namespace shipline::store {

class Transaction final : public app::StoreWriter {
 public:
  explicit Transaction(sql::Db& db)
      : db_(db), webhooks_(db), shipping_orders_(db), delivery_network_(db), storefronts_(db) {}

  Result<std::optional<app::ApiKeyRecord>> FindApiKey(std::string_view key_hash) override;
  Result<int64_t> TenantCount() override;
  Result<std::optional<domain::Order>> FindOrder(int64_t tenant_id,
                                                 std::string_view order_number) override;
  Result<std::optional<domain::Order>> FindOrderById(int64_t tenant_id, int64_t order_id) override;
  Result<std::optional<domain::Shipment>> FindShipment(int64_t tenant_id,
                                                       std::string_view shipment_number) override;
  Result<std::vector<domain::Event>> ListEvents(std::optional<int64_t> tenant_id, int64_t after_id,
                                                int limit) override;
  Result<int64_t> ConsumerPosition(std::string_view consumer) override;
  Result<bool> EmailSent(int64_t event_id) override;
  app::webhooks::WebhookRepository& Webhooks() override { return webhooks_; }
  app::ShippingOrderRepository& ShippingOrders() override { return shipping_orders_; }
  app::DeliveryNetworkRepository& DeliveryNetwork() override { return delivery_network_; }
  app::StoreSettingsRepository& Stores() override { return storefronts_; }

  Result<int64_t> EnsureTenant(std::string_view name, int64_t now) override;
  Status InsertApiKey(int64_t tenant_id, std::string_view name, std::string_view key_hash,
                      int64_t now) override;
  Status InsertOrder(int64_t tenant_id, domain::Order& order) override;
  Status InsertShipment(int64_t tenant_id, domain::Shipment& shipment) override;
  Result<bool> UpdateShipmentDetails(int64_t tenant_id, const domain::Shipment& shipment) override;
  Result<bool> TransitionShipment(int64_t shipment_id, domain::ShipmentStatus from,
                                  domain::ShipmentStatus to,
                                  const domain::StatusChange& change) override;
  Result<bool> ClaimCompletion(int64_t shipment_id, std::string_view token, int64_t expires_at,
                               int64_t now) override;
  Status ReleaseClaim(int64_t shipment_id, std::string_view token) override;
  Status ReleaseAllClaims() override;
  Result<bool> RecordCompletion(app::CompletionRecord& record) override;
  Status InsertEvent(domain::Event& event) override;
  Status SetConsumerPosition(std::string_view consumer, int64_t position) override;
  Result<bool> LeaseConsumer(std::string_view consumer, std::string_view owner, int64_t expires_at,
                             int64_t now) override;
  Status RecordEmail(const app::EmailRecord& email) override;

 private:
  Result<std::optional<domain::Order>> LoadOrder(sql::Rows& row);
  Status LoadShipmentItems(domain::Shipment& shipment);
  Status LoadLineComponents(domain::Order& order);
  Status LoadShipmentHistory(domain::Shipment& shipment);
  Status InsertStatusChange(int64_t shipment_id, const domain::StatusChange& change);

  sql::Db& db_;
  WebhookRepository webhooks_;
  ShippingOrderRepository shipping_orders_;
  DeliveryNetworkRepository delivery_network_;
  StorefrontRepository storefronts_;
};

}  // namespace shipline::store
