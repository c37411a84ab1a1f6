#pragma once

// The store's core reads and writes as SQL on one PostgreSQL connection,
// inside the transaction that PgStore opened. With `writable`, reads of an
// order or a shipment lock its row (FOR NO KEY UPDATE) until the transaction
// ends, so that a read-modify-write inside Store::Write cannot race another
// node's; reads in Store::Read take no locks.

#include "app/store.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_delivery_network_repository.hpp"
#include "store/postgres/pg_shipping_order_repository.hpp"
#include "store/postgres/pg_store_settings.hpp"
#include "store/postgres/pg_webhook_repository.hpp"

namespace shipline::store::postgres {

// The transaction-level advisory lock that orders event ids by commit.
inline constexpr int64_t kEventOrderLock = 0x7368'6970'6c69'6e65;  // "shipline"
// The session-level advisory lock held while migrating.
inline constexpr int64_t kMigrationLock = kEventOrderLock + 1;
// The transaction-level advisory lock a write takes before counting tenants,
// so that nodes starting together on an empty database create one first key.
inline constexpr int64_t kTenantCountLock = kEventOrderLock + 2;
// The LISTEN/NOTIFY channel that wakes consumers when events commit.
inline constexpr const char* kEventsChannel = "shipline_events";
// How long a group transaction that holds the event lock waits for a row
// lock before giving up the caller that wanted it (see PgStore::TryGroup).
inline constexpr int kRowWaitWithEventLockMillis = 50;

class PgTx final : public app::StoreWriter {
 public:
  PgTx(Connection& db, bool writable)
      : db_(db),
        writable_(writable),
        webhooks_(db, writable),
        shipping_orders_(db, writable),
        delivery_network_(db, writable),
        stores_(db, writable) {}

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
  app::StoreSettingsRepository& Stores() override { return stores_; }

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

  // In a group transaction, the first event insert also shortens the
  // transaction's lock_timeout: a group that holds the event lock must not
  // wait long for a row, or it could deadlock with a transaction that holds
  // the row and waits for the event lock. Both the lock and the setting go
  // when the caller's savepoint is rolled back; so does this flag (the store
  // restores it).
  void set_in_group(bool in_group) { in_group_ = in_group; }
  bool holds_event_lock() const { return holds_event_lock_; }
  void set_holds_event_lock(bool held) { holds_event_lock_ = held; }

 private:
  Result<std::optional<domain::Order>> LoadOrder(const Rows& rows);
  Status LoadShipmentItems(domain::Shipment& shipment);
  Status LoadLineComponents(domain::Order& order);
  Status LoadShipmentHistory(domain::Shipment& shipment);
  Status InsertStatusChange(int64_t shipment_id, const domain::StatusChange& change);

  Connection& db_;
  const bool writable_;
  bool in_group_ = false;
  bool holds_event_lock_ = false;
  PgWebhookRepository webhooks_;
  PgShippingOrderRepository shipping_orders_;
  PgDeliveryNetworkRepository delivery_network_;
  PgStoreSettings stores_;
};

}  // namespace shipline::store::postgres
