#pragma once

// The pass-through repository (see app/pass_through_repository.hpp for the
// contract), written once for both engines on the sql::Db of the transaction
// that owns it.

#include "app/pass_through_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class PassThroughRepository final : public app::PassThroughRepository {
 public:
  explicit PassThroughRepository(sql::Db& db) : db_(db) {}

  Status Save(const domain::Order& order) override;
  Status Load(domain::Order& order) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
