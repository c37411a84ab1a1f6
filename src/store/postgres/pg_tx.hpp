#pragma once

// One transaction's view of the store on one PostgreSQL connection: the
// store core's Transaction on a PgDb. With `writable`, reads of an order, a
// shipment and the other aggregates lock their row (FOR NO KEY UPDATE) until
// the transaction ends, so that a read-modify-write inside Store::Write
// cannot race another node's; reads in Store::Read take no locks.

#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_db.hpp"
#include "store/transaction.hpp"

namespace shipline::store::postgres {

class PgTx {
 public:
  PgTx(Connection& connection, bool writable) : db_(connection, writable), transaction_(db_) {}

  app::StoreWriter& writer() { return transaction_; }
  PgDb& db() { return db_; }

 private:
  PgDb db_;
  Transaction transaction_;
};

}  // namespace shipline::store::postgres
