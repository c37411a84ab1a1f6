#pragma once

// The store port: the only way the app layer reads and writes state. It has
// an SQLite implementation (the embedded default, one node) and a PostgreSQL
// one (several nodes); both pass tests/unit/store_suite_test.cpp.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/event_signal.hpp"
#include "domain/event.hpp"
#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::app {

namespace webhooks {
class WebhookRepository;  // app/webhooks/webhook_repository.hpp
}
class ShippingOrderRepository;    // app/shipping_orders/shipping_order_repository.hpp
class DeliveryNetworkRepository;  // app/shipping_orders/delivery_network_repository.hpp
class StoreSettingsRepository;    // app/store_settings.hpp

struct ApiKeyRecord {
  int64_t id = 0;
  int64_t tenant_id = 0;
  std::string name;
};

// Everything one shipment completion writes, in one transaction.
struct CompletionRecord {
  int64_t tenant_id = 0;
  int64_t shipment_id = 0;
  int64_t order_id = 0;
  std::string tracking_number;  // empty: keep what the shipment had
  std::string carrier;          // empty: keep what the shipment had
  // Like the two above, each empty (or nullopt) keeps what the shipment had.
  std::string carrier_code{};
  std::string tracking_url{};
  std::string service{};
  std::optional<int64_t> package_count{};
  std::string return_tracking_number{};
  std::optional<int64_t> dispatched_at{};
  std::optional<std::string> internal_comment{};  // the whole new comment; nullopt keeps it

  std::string claim_token;      // the claim this completion holds, or empty for none
  int64_t captured_amount = 0;  // 0: nothing was captured
  std::string currency;
  std::string capture_reference;
  std::string idempotency_key;
  domain::StatusChange change;  // status SHIPPED, time, actor
  domain::Event event;          // the order-shipment-shipped event; id is filled in
};

struct EmailRecord {
  int64_t event_id = 0;
  int64_t tenant_id = 0;
  std::string recipient;
  std::string subject;
  std::string transport;  // "smtp" or "file"
  int64_t sent_at = 0;    // when sent, or when given up
  std::string failure;    // empty when sent; else why it was given up
};

// Feature repositories (webhooks, shipping orders, ...) extend the store
// without growing these two interfaces: each feature declares its own
// repository interface in app/ (e.g. app/webhooks/webhook_repository.hpp),
// StoreReader gains one accessor returning it (e.g. `virtual
// WebhookRepository& Webhooks() = 0;`), and the store implements it in
// files of its own (store/webhook_repository.hpp), once for both engines, on
// the transaction's sql::Db. A repository's write methods may only be called
// inside Store::Write.

// Reads. Every method scoped by tenant sees only that tenant's rows.
// Failures are kInternal with the database's message in the detail.
class StoreReader {
 public:
  virtual ~StoreReader() = default;

  virtual Result<std::optional<ApiKeyRecord>> FindApiKey(std::string_view key_hash) = 0;
  virtual Result<int64_t> TenantCount() = 0;

  // The whole aggregate: line items, payment and every shipment with its items
  // (but without status history).
  virtual Result<std::optional<domain::Order>> FindOrder(int64_t tenant_id,
                                                         std::string_view order_number) = 0;
  virtual Result<std::optional<domain::Order>> FindOrderById(int64_t tenant_id,
                                                             int64_t order_id) = 0;
  // The shipment with its items and status history, oldest change first.
  virtual Result<std::optional<domain::Shipment>> FindShipment(
      int64_t tenant_id, std::string_view shipment_number) = 0;

  // Events with id > after_id in id order, at most `limit`; every tenant's when
  // tenant_id is empty (for workers).
  virtual Result<std::vector<domain::Event>> ListEvents(std::optional<int64_t> tenant_id,
                                                        int64_t after_id, int limit) = 0;
  // The saved position of an event consumer; 0 before its first save.
  virtual Result<int64_t> ConsumerPosition(std::string_view consumer) = 0;
  virtual Result<bool> EmailSent(int64_t event_id) = 0;

  // Webhook subscriptions and deliveries, 3PL connections and notifications,
  // shipment packages.
  virtual webhooks::WebhookRepository& Webhooks() = 0;

  // Shipping orders with their status history; locations, providers and
  // orchestration rules.
  virtual ShippingOrderRepository& ShippingOrders() = 0;
  virtual DeliveryNetworkRepository& DeliveryNetwork() = 0;

  // The tenants' stores, their settings and carriers.
  virtual StoreSettingsRepository& Stores() = 0;
};

// Writes, all inside the transaction that Store::Write opened.
class StoreWriter : public StoreReader {
 public:
  // Returns the id of the tenant named `name`, creating it if needed.
  virtual Result<int64_t> EnsureTenant(std::string_view name, int64_t now) = 0;
  virtual Status InsertApiKey(int64_t tenant_id, std::string_view name, std::string_view key_hash,
                              int64_t now) = 0;

  // Inserts an order with its line items, payment and shipments (and their
  // first status change), filling in every id. kAlreadyExists when the order
  // number or a shipment number is taken for this tenant.
  virtual Status InsertOrder(int64_t tenant_id, domain::Order& order) = 0;

  // Inserts one more shipment of the order `shipment.order_id`, with its
  // (resolved) items and first status change, filling in its id.
  // kAlreadyExists when the shipment number is taken for this tenant.
  virtual Status InsertShipment(int64_t tenant_id, domain::Shipment& shipment) = 0;

  // Writes a shipment's tracking and details as they are in `shipment`:
  // carrier and code, tracking number and link, service, package count,
  // return-slip tracking, note, dispatch time and updated_at. The status,
  // items and internal comment are left alone. Returns false when there is
  // no such shipment for the tenant.
  virtual Result<bool> UpdateShipmentDetails(int64_t tenant_id,
                                             const domain::Shipment& shipment) = 0;

  // Moves a shipment from `from` to `change.status` and records the change.
  // Returns false, changing nothing, when the shipment is not in `from`.
  virtual Result<bool> TransitionShipment(int64_t shipment_id, domain::ShipmentStatus from,
                                          domain::ShipmentStatus to,
                                          const domain::StatusChange& change) = 0;

  // Takes the completion claim of a RELEASED shipment until `expires_at`.
  // Returns false when the shipment is not RELEASED or another live claim holds.
  virtual Result<bool> ClaimCompletion(int64_t shipment_id, std::string_view token,
                                       int64_t expires_at, int64_t now) = 0;
  virtual Status ReleaseClaim(int64_t shipment_id, std::string_view token) = 0;
  // Frees every completion claim; for a single node's start-up, when no
  // request can be in flight, so claims left by a crash do not wait to expire.
  virtual Status ReleaseAllClaims() = 0;

  // Moves a RELEASED shipment to SHIPPED with its tracking, capture, status
  // change and event. Returns false, changing nothing, when the shipment is no
  // longer RELEASED or its claim is not `record.claim_token` (nor free when
  // the token is empty).
  virtual Result<bool> RecordCompletion(CompletionRecord& record) = 0;

  virtual Status InsertEvent(domain::Event& event) = 0;
  virtual Status SetConsumerPosition(std::string_view consumer, int64_t position) = 0;
  // Takes or renews the lease that lets one process at a time advance the
  // position-based consumer `consumer`: true when `owner` holds it until
  // `expires_at` (its own lease renewed, or a free or expired one taken);
  // false, changing nothing, while another owner's lease runs past `now`.
  // An `expires_at` <= `now` gives the lease up. A single-node store (SQLite,
  // whose data folder one server owns) always returns true.
  virtual Result<bool> LeaseConsumer(std::string_view consumer, std::string_view owner,
                                     int64_t expires_at, int64_t now) = 0;
  virtual Status RecordEmail(const EmailRecord& email) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The consumers to wake after every commit that wrote an event or made a
  // webhook delivery due; use cases never wake them themselves. Set once,
  // before the first Write; none by default.
  void WakeOnCommit(EventSignal* signal) { wake_ = signal; }

  // Runs `fn` on a consistent snapshot. Thread-safe; blocks.
  virtual Status Read(const std::function<Status(StoreReader&)>& fn) = 0;

  // Runs `fn` inside a write transaction and returns once its effects are
  // durable (committed and synced), or rolled back when `fn` fails. `fn` must
  // not block on anything but the store: implementations may run several
  // callers' functions in one transaction (group commit), each isolated by a
  // savepoint. kResourceExhausted when too many writes wait. A store shared
  // by several nodes (PostgreSQL) runs `fn` again when its transaction
  // deadlocks with another, so `fn` must be safe to run more than once: only
  // the run that committed counts.
  virtual Status Write(const std::function<Status(StoreWriter&)>& fn) = 0;

 protected:
  // For implementations, after a commit whose transaction asked for it.
  void WakeConsumers() {
    if (wake_ != nullptr) wake_->Notify();
  }

 private:
  EventSignal* wake_ = nullptr;
};

}  // namespace shipline::app
