#pragma once

// The order repository (see app/order_repository.hpp for the contract),
// written once for both engines on the sql::Db of the transaction that owns
// it. Reads of an order or a shipment inside a write lock its row where the
// engine needs it (Db::RowLock), so that a read-modify-write inside
// Store::Write cannot race another node's. The status (and claim) in each
// conditional UPDATE is the once-only guard of a transition: of two
// concurrent ones, the second finds the status changed and changes nothing.

#include "app/order_repository.hpp"
#include "store/event_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class OrderRepository final : public app::OrderRepository {
 public:
  // A completion writes its event through `events`.
  OrderRepository(sql::Db& db, EventRepository& events) : db_(db), events_(events) {}

  Result<std::optional<domain::Order>> Find(int64_t tenant_id,
                                            std::string_view order_number) override;
  Result<std::optional<domain::Order>> FindById(int64_t tenant_id, int64_t order_id) override;
  Result<std::optional<domain::Shipment>> FindShipment(int64_t tenant_id,
                                                       std::string_view shipment_number) override;
  Result<std::optional<app::ShipmentInOrder>> FindShipmentInOrder(
      int64_t tenant_id, std::string_view shipment_number) override;
  Result<std::optional<int64_t>> FindOrderIdOfShipment(int64_t tenant_id,
                                                       int64_t shipment_id) override;
  Status Insert(int64_t tenant_id, domain::Order& order) override;
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

 private:
  Result<std::optional<domain::Order>> LoadOrder(sql::Rows& row);
  Status LoadShipmentItems(domain::Shipment& shipment);
  // Adds to `order`'s line items their components, as `query` lists them.
  Status LoadLineComponents(domain::Order& order, const std::string& query,
                            const sql::Params& params);
  // FindShipmentInOrder's reads, of the shipment `named` (tenant, number).
  Status LoadCompletionLines(app::ShipmentInOrder& found, const sql::Params& named);
  Status LoadShippedBundleItems(app::ShipmentInOrder& found, const sql::Params& named);
  Status LoadShipmentHistory(domain::Shipment& shipment);
  Status InsertStatusChange(int64_t shipment_id, const domain::StatusChange& change);
  // A shipment's rows: itself (inserted with `insert`, its INSERT's
  // parameters), its items and its first status changes.
  Status InsertShipmentRows(const sql::Params& insert, domain::Shipment& shipment);
  // What changed of an order through one of its shipments: details only,
  // its shipments (one added, or a status that ships nothing), or one of them
  // shipped (its units are added to the order's total).
  enum class OrderChange { kDetails, kShipments, kShipped };
  // Moves the order of `shipment_id`'s last change to `at` (when later) and,
  // unless only details changed, derives its shipping state again.
  Status TouchOrder(int64_t shipment_id, int64_t at, OrderChange change);
  // Adds the units of `shipment_id`, which just moved to SHIPPED, to its
  // lines' shipped counts; `bundle_parts`: whether it holds bundle components.
  Status CountShipped(int64_t shipment_id, bool bundle_parts);
  Status WriteCompletion(app::CompletionRecord& record);

  sql::Db& db_;
  EventRepository& events_;
};

}  // namespace shipline::store
