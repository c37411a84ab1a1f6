#pragma once

// Shipping orders and their status history on PostgreSQL, on the connection
// of the transaction that owns this object. The columns lists filter on are
// columns; the rest of an order is one JSON document in the same storage
// format as on SQLite. Inside a write transaction, Find and
// FindByProviderOrder lock the order's row (FOR NO KEY UPDATE) so that a
// read-modify-write of an order cannot race another node's.

#include <optional>
#include <string>

#include "app/shipping_orders/shipping_order_repository.hpp"
#include "store/postgres/pg_connection.hpp"

namespace shipline::store::postgres {

class PgShippingOrderRepository final : public app::ShippingOrderRepository {
 public:
  PgShippingOrderRepository(Connection& db, bool writable) : db_(db), writable_(writable) {}

  Result<std::string> TenantName(int64_t tenant_id) override;
  Status Insert(domain::ShippingOrder& order) override;
  Status Update(const domain::ShippingOrder& order) override;
  Status AppendHistory(int64_t order_id, const domain::ShippingStatusChange& change) override;
  Result<std::optional<domain::ShippingOrder>> Find(int64_t tenant_id, std::string_view external_id,
                                                    bool with_history) override;
  Result<std::optional<domain::ShippingOrder>> FindByProviderOrder(
      int64_t tenant_id, std::string_view provider_id, std::string_view provider_order_id) override;
  Result<std::vector<domain::ShippingOrder>> List(const app::ShippingOrderQuery& query) override;
  Result<std::vector<domain::ShippingOrder>> ListInFlight(
      int64_t tenant_id, const std::vector<std::string>& provider_ids, int64_t after_id,
      int limit) override;

 private:
  Status LoadHistory(domain::ShippingOrder& order);

  Connection& db_;
  const bool writable_;
};

}  // namespace shipline::store::postgres
