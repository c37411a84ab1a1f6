#pragma once

// Secrets at rest, written once for both engines: the current master key's
// id in secret_keys (migration 0010), the re-sealing of the secret columns
// (store/secret_columns.hpp) in batches, each in the caller's transaction,
// and the serving nodes' key ids in live_nodes (migration 0017).

#include "app/secret_repository.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class SecretRepository final : public app::SecretRepository {
 public:
  explicit SecretRepository(sql::Db& db) : db_(db) {}

  Result<std::optional<std::string>> MasterKeyId() override;
  Result<std::optional<std::string>> SealingKeyId() override;
  Status RecordMasterKey(const std::string& key_id, int64_t now) override;
  Result<int64_t> ResealSecrets(const app::MasterKeyRing& keys, const app::SecretCipher& to,
                                app::SecretPosition& position, int64_t limit) override;
  Result<int64_t> ResealAnswers(const app::MasterKeyRing& keys, const app::SecretCipher& to,
                                app::AnswerPosition& position, int64_t limit) override;
  Status PublishNode(const app::NodeKeys& node) override;
  Status RemoveNode(const std::string& node_id) override;
  Result<int64_t> PruneNodes(int64_t seen_before) override;
  Result<std::vector<app::NodeKeys>> NodesSeenSince(int64_t since) override;

 private:
  sql::Db& db_;
};

}  // namespace shipline::store
