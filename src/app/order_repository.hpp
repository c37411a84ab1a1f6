#pragma once

// The store's part for orders and their shipments: the order aggregate (line
// items, payment, shipments with their items and status history), shipment
// changes, completion claims and the completion itself. Reached through
// StoreReader::Orders() inside Store::Read or Store::Write; the write methods
// (Insert*, Update*, Transition*, *Claim*, RecordCompletion) only inside
// Store::Write. Every method taking a tenant id sees only that tenant's rows.
// Failures are kInternal with the database's message in the detail, unless a
// method says otherwise. Lives as long as its transaction, on that
// transaction's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/event.hpp"
#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::app {

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
  domain::StatusChange change;      // status SHIPPED, time, actor
  domain::Event event;              // the order-shipment-shipped event; id is filled in
  bool ships_bundle_parts = false;  // whether any item is a component of a bundle
};

// One shipment with the part of its order that acting on the shipment alone
// needs (see OrderRepository::FindShipmentInOrder).
struct ShipmentInOrder {
  domain::Order order;
  domain::Shipment shipment;
};

class OrderRepository {
 public:
  virtual ~OrderRepository() = default;

  // The whole aggregate: line items, payment and every shipment with its
  // items and status history. Inside a write on a shared database the order's
  // row is locked until the transaction ends.
  virtual Result<std::optional<domain::Order>> Find(int64_t tenant_id,
                                                    std::string_view order_number) = 0;
  virtual Result<std::optional<domain::Order>> FindById(int64_t tenant_id, int64_t order_id) = 0;
  // The shipment with its items and status history, oldest change first
  // (its row locked as Find's).
  virtual Result<std::optional<domain::Shipment>> FindShipment(
      int64_t tenant_id, std::string_view shipment_number) = 0;
  // A shipment with what completing or releasing it needs, read in a few
  // statements whatever the size of its order: `shipment` with its items and
  // no status history; `order` with its header (ids, number, storefront,
  // currency, customer, address, payment) and only the line items that the
  // shipment's items name, each with its bundle components, in the order's
  // line order. `order.shipments` holds only what CaptureAmount needs to tell
  // which bundles the shipment makes whole: the order's other SHIPPED or
  // DELIVERED shipments that hold units of a bundle the shipment names, each
  // with its id, status and those items alone (no other field is read).
  // nullopt when the tenant has no such shipment. Inside a write the
  // shipment's row is locked as FindShipment's; the order's row is not.
  virtual Result<std::optional<ShipmentInOrder>> FindShipmentInOrder(
      int64_t tenant_id, std::string_view shipment_number) = 0;
  // The id of the order that holds the tenant's shipment `shipment_id`;
  // nullopt when the tenant has no such shipment.
  virtual Result<std::optional<int64_t>> FindOrderIdOfShipment(int64_t tenant_id,
                                                               int64_t shipment_id) = 0;

  // Inserts an order with its line items, payment and shipments (and their
  // first status change), filling in every id. kAlreadyExists when the order
  // number or a shipment number is taken for this tenant.
  virtual Status Insert(int64_t tenant_id, domain::Order& order) = 0;

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
  // the token is empty). The first write of its Store::Write function: when
  // it returns false, everything that function wrote is rolled back.
  virtual Result<bool> RecordCompletion(CompletionRecord& record) = 0;
};

}  // namespace shipline::app
