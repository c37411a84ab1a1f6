#pragma once

// Shipping orders and their status history, written once for both engines on
// the sql::Db of the transaction that owns this object (see
// app/shipping_orders/shipping_order_repository.hpp for the contract). The
// columns lists filter on are columns; the rest of an order is one document
// (store/shipping_order_document.hpp). Inside a write transaction, Find and
// FindByProviderOrder lock the order's row (Db::RowLock) so that a
// read-modify-write of an order cannot race another node's.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/shipping_orders/shipping_order_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class ShippingOrderRepository final : public app::ShippingOrderRepository {
 public:
  explicit ShippingOrderRepository(sql::Db& db) : db_(db) {}

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
  // The one order `sql` with `params` selects (kColumns), if any.
  Result<std::optional<domain::ShippingOrder>> FindOne(const std::string& sql,
                                                       const sql::Params& params);
  Status LoadHistory(domain::ShippingOrder& order);

  sql::Db& db_;
};

}  // namespace shipline::store
