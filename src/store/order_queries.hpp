#pragma once

// The operator queries' repository (see app/query_repository.hpp), written
// once for both engines on the sql::Db of the transaction that owns it.
//
// A page is read in two steps. The first walks one index, chosen from the
// filters given, in page order (the sort time descending, then id) and
// returns the page's ids; the other filters are checked on the rows it
// walks. The second reads those rows and what belongs to them (line items,
// shipments, items) in one statement per kind, whatever the page's size.
// A list of several statuses walks one index range per status and merges
// them. SQLite, which plans without statistics, is told the index
// (Db::IndexHint); PostgreSQL's planner finds it.

#include "app/query_repository.hpp"
#include "store/secret_columns.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class QueryRepository final : public app::QueryRepository {
 public:
  QueryRepository(sql::Db& db, const SecretColumns& secrets) : db_(db), secrets_(secrets) {}

  Result<std::vector<domain::Order>> ListOrders(const app::OrderListQuery& query) override;
  Result<std::vector<domain::Shipment>> ListShipments(const app::ShipmentListQuery& query) override;
  Result<std::string> ServerSecret(std::string_view name, std::string_view candidate,
                                   int64_t now) override;

 private:
  // The keys of one index range's page: (sort time, id), newest first.
  Result<std::vector<app::Keyset>> OrderKeys(const app::OrderListQuery& query,
                                             const std::string* state);
  Result<std::vector<app::Keyset>> ShipmentKeys(const app::ShipmentListQuery& query,
                                                const std::string* status);
  Result<std::vector<domain::Order>> LoadOrders(const std::vector<app::Keyset>& keys);
  Status LoadOrderParts(std::vector<domain::Order>& orders);
  Result<std::vector<domain::Shipment>> LoadShipments(const std::vector<app::Keyset>& keys);
  // Adds to each shipment its items (shipments of a page or of its orders).
  Status LoadShipmentItems(std::vector<domain::Shipment*>& shipments);

  sql::Db& db_;
  const SecretColumns& secrets_;
};

}  // namespace shipline::store
