#pragma once

// Shipping orders as SQL on the connection of one SQLite transaction (see
// app/shipping_orders/shipping_order_repository.hpp for the contract). SqliteTx
// holds one and hands it out through ShippingOrders().

#include <memory>
#include <optional>
#include <string>

#include "app/shipping_orders/shipping_order_repository.hpp"
#include "store/sqlite/connection.hpp"

namespace shipline::store::sqlite {

class SqliteShippingOrderRepository final : public app::ShippingOrderRepository {
 public:
  explicit SqliteShippingOrderRepository(Connection& db) : db_(db) {}

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
};

// A statement prepared from SQL built at run time: finalized when destroyed
// rather than kept in the connection's cache (whose key is the SQL's address).
class OwnedStatement {
 public:
  static Result<OwnedStatement> Prepare(Connection& db, const std::string& sql);
  Statement& operator*() { return *statement_; }
  Statement* operator->() { return &*statement_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  std::unique_ptr<sqlite3_stmt, Finalize> handle_;
  std::optional<Statement> statement_;  // destroyed before handle_
};

}  // namespace shipline::store::sqlite
