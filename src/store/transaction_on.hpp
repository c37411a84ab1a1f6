#pragma once

// One transaction's view of the store on one connection of an engine: the
// engine's sql::Db (SqliteDb, PgDb) and the store core's Transaction on it.
// The engine's store makes one for each group transaction or read.

#include <utility>

#include "store/transaction.hpp"

namespace shipline::store {

template <typename EngineDb>
class TransactionOn {
 public:
  // `keys` (nullptr for none) seal the secret columns; `args` make the Db.
  template <typename... Args>
  explicit TransactionOn(const app::MasterKeyRing* keys, Args&&... args)
      : db_(std::forward<Args>(args)...), transaction_(db_, keys) {}
  TransactionOn(const TransactionOn&) = delete;
  TransactionOn& operator=(const TransactionOn&) = delete;

  app::StoreWriter& writer() { return transaction_; }
  EngineDb& db() { return db_; }

 private:
  EngineDb db_;
  Transaction transaction_;
};

}  // namespace shipline::store
