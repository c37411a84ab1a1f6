#pragma once

// The store's side of secrets at rest (app/secret_cipher.hpp): which master
// key the database names as current, sealing the stored secrets anew, and
// which keys the serving nodes hold.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/master_key_ring.hpp"
#include "domain/result.hpp"

namespace shipline::app {

// Where a walk over the stored answers to Idempotency-Keys stands: the last
// row it saw, in key order.
struct AnswerPosition {
  int64_t tenant_id = 0;
  std::string key;
  bool done = false;
};

// Where a walk over the secret columns (store/secret_columns.hpp) stands:
// the column, in the list's order, and the key of the last row it saw there.
struct SecretPosition {
  size_t column = 0;
  std::optional<std::string> after;  // nullopt: the column's first row
  bool done = false;
};

// A serving node and the ids of the master keys it holds (never the keys).
struct NodeKeys {
  std::string node_id;
  std::vector<std::string> key_ids;
  int64_t started_at = 0;
  int64_t seen_at = 0;
};

class SecretRepository {
 public:
  virtual ~SecretRepository() = default;

  // The id of the database's current master key, the one every node seals
  // with; nullopt before the first start with a key. In a write transaction
  // it locks the record until the transaction ends, so no seal runs
  // meanwhile (store/secret_columns.hpp).
  virtual Result<std::optional<std::string>> MasterKeyId() = 0;

  // The same record read as a seal reads it: held by a share lock to the
  // end of the transaction, which a change of key waits for (and which
  // waits for a change in progress).
  virtual Result<std::optional<std::string>> SealingKeyId() = 0;

  // Records `key_id` as the current master key. Call it after MasterKeyId
  // in the same transaction: from its commit on every seal uses that key.
  virtual Status RecordMasterKey(const std::string& key_id, int64_t now) = 0;

  // Seals with `to` at most `limit` values of the secret columns that are
  // not sealed with it yet, after `position` (which it moves on; done once
  // the last column was walked): a clear value is sealed, one sealed by
  // another key of `keys` is opened with it first. Each is written only if
  // it is still the value read (a seal meanwhile wrote a newer one). Returns
  // how many it wrote. kInternal for a value sealed under a key `keys` does
  // not hold (nothing then changes: the caller's transaction rolls back).
  // Stored answers to Idempotency-Keys are left to ResealAnswers.
  virtual Result<int64_t> ResealSecrets(const MasterKeyRing& keys, const SecretCipher& to,
                                        SecretPosition& position, int64_t limit) = 0;

  // The same for the stored answers to Idempotency-Keys, at most `limit` of
  // them after `position`, which it moves on (done once the last was seen).
  // Returns how many it wrote. An answer pruned meanwhile is skipped.
  virtual Result<int64_t> ResealAnswers(const MasterKeyRing& keys, const SecretCipher& to,
                                        AnswerPosition& position, int64_t limit) = 0;

  // Writes `node`'s row (node_id, key_ids, started_at, seen_at), replacing
  // the one it had.
  virtual Status PublishNode(const NodeKeys& node) = 0;
  // Removes the node's row; nothing when it has none.
  virtual Status RemoveNode(const std::string& node_id) = 0;
  // Removes the rows not seen since `seen_before`; returns how many.
  virtual Result<int64_t> PruneNodes(int64_t seen_before) = 0;
  // The nodes seen at `since` or later, by node id.
  virtual Result<std::vector<NodeKeys>> NodesSeenSince(int64_t since) = 0;
};

}  // namespace shipline::app
