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
  // `cipher` (nullptr for none) seals the secret columns; `args` make the Db.
  template <typename... Args>
  explicit TransactionOn(const app::SecretCipher* cipher, Args&&... args)
      : db_(std::forward<Args>(args)...), transaction_(db_, cipher) {}
  TransactionOn(const TransactionOn&) = delete;
  TransactionOn& operator=(const TransactionOn&) = delete;

  app::StoreWriter& writer() { return transaction_; }
  EngineDb& db() { return db_; }

 private:
  EngineDb db_;
  Transaction transaction_;
};

}  // namespace shipline::store
