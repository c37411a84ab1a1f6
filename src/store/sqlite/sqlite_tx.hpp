#pragma once

// One transaction's view of the store on one SQLite connection: the store
// core's Transaction on a SqliteDb, with this engine's feature repositories.

#include "store/shipping_order_repository.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/sqlite/sqlite_delivery_network_repository.hpp"
#include "store/sqlite/sqlite_store_settings.hpp"
#include "store/transaction.hpp"
#include "store/webhook_repository.hpp"

namespace shipline::store::sqlite {

class SqliteTx {
 public:
  SqliteTx(Connection& connection, bool writable)
      : db_(connection, writable),
        webhooks_(db_),
        shipping_orders_(db_),
        delivery_network_(connection),
        stores_(connection),
        transaction_(db_, {webhooks_, shipping_orders_, delivery_network_, stores_}) {}

  app::StoreWriter& writer() { return transaction_; }
  const SqliteDb& db() const { return db_; }

 private:
  SqliteDb db_;
  WebhookRepository webhooks_;
  ShippingOrderRepository shipping_orders_;
  SqliteDeliveryNetworkRepository delivery_network_;
  SqliteStoreSettings stores_;
  Transaction transaction_;
};

}  // namespace shipline::store::sqlite
