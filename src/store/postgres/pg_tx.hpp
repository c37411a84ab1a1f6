#pragma once

// One transaction's view of the store on one PostgreSQL connection: the
// store core's Transaction on a PgDb, with this engine's feature
// repositories. With `writable`, reads of an order or a shipment lock its row
// (FOR NO KEY UPDATE) until the transaction ends, so that a read-modify-write
// inside Store::Write cannot race another node's; reads in Store::Read take
// no locks.

#include "store/delivery_network_repository.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_db.hpp"
#include "store/postgres/pg_shipping_order_repository.hpp"
#include "store/postgres/pg_webhook_repository.hpp"
#include "store/storefront_repository.hpp"
#include "store/transaction.hpp"

namespace shipline::store::postgres {

class PgTx {
 public:
  PgTx(Connection& connection, bool writable)
      : db_(connection, writable),
        webhooks_(connection, writable),
        shipping_orders_(connection, writable),
        delivery_network_(db_),
        stores_(db_),
        transaction_(db_, {webhooks_, shipping_orders_, delivery_network_, stores_}) {}

  app::StoreWriter& writer() { return transaction_; }
  PgDb& db() { return db_; }

 private:
  PgDb db_;
  PgWebhookRepository webhooks_;
  PgShippingOrderRepository shipping_orders_;
  DeliveryNetworkRepository delivery_network_;
  StorefrontRepository stores_;
  Transaction transaction_;
};

}  // namespace shipline::store::postgres
