#pragma once

// Secrets at rest, written once for both engines: the current master key's
// id in secret_keys (migration 0010) and the re-sealing of every secret
// column (store/secret_columns.hpp) in the caller's transaction.

#include "app/secret_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class SecretRepository final : public app::SecretRepository {
 public:
  explicit SecretRepository(sql::Db& db) : db_(db) {}

  Result<std::optional<std::string>> MasterKeyId() override;
  Result<int64_t> Reseal(const app::MasterKeyRing& keys, const app::SecretCipher& to,
                         int64_t now) override;
  Result<int64_t> ResealAnswers(const app::MasterKeyRing& keys, const app::SecretCipher& to,
                                app::AnswerPosition& position, int64_t limit) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
