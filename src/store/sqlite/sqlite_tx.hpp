#pragma once

// One transaction's view of the store on one SQLite connection: the store
// core's Transaction on a SqliteDb.

#include "store/sqlite/connection.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/transaction.hpp"

namespace shipline::store::sqlite {

class SqliteTx {
 public:
  SqliteTx(Connection& connection, bool writable) : db_(connection, writable), transaction_(db_) {}

  app::StoreWriter& writer() { return transaction_; }
  const SqliteDb& db() const { return db_; }

 private:
  SqliteDb db_;
  Transaction transaction_;
};

}  // namespace shipline::store::sqlite
