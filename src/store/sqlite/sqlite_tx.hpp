#pragma once

// One transaction's view of the store on one SQLite connection: the store
// core's Transaction on a SqliteDb, with this engine's feature repositories.

#include "store/delivery_network_repository.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_shipping_order_repository.hpp"
#include "store/sqlite/sqlite_webhook_repository.hpp"
#include "store/storefront_repository.hpp"
#include "store/transaction.hpp"

namespace shipline::store::sqlite {

class SqliteTx {
 public:
  SqliteTx(Connection& connection, bool writable)
      : db_(connection, writable),
        webhooks_(connection),
        shipping_orders_(connection),
        delivery_network_(db_),
        stores_(db_),
        transaction_(db_, {webhooks_, shipping_orders_, delivery_network_, stores_}) {}

  app::StoreWriter& writer() { return transaction_; }

 private:
  SqliteDb db_;
  SqliteWebhookRepository webhooks_;
  SqliteShippingOrderRepository shipping_orders_;
  DeliveryNetworkRepository delivery_network_;
  StorefrontRepository stores_;
  Transaction transaction_;
};

}  // namespace shipline::store::sqlite
