#pragma once

// The store's side of secrets at rest (app/secret_cipher.hpp): which master
// key the database names as current, and sealing the stored secrets anew.

#include <cstdint>
#include <optional>
#include <string>

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

class SecretRepository {
 public:
  virtual ~SecretRepository() = default;

  // The id of the database's current master key, the one every node seals
  // with; nullopt before the first start with a key. In a write transaction
  // it locks the record until the transaction ends, so no seal runs
  // meanwhile (store/secret_columns.hpp).
  virtual Result<std::optional<std::string>> MasterKeyId() = 0;

  // Records `to` as the current master key and seals every secret of every
  // secret column with it: a clear value is sealed, one sealed by `to`
  // stays, one sealed by another key of `keys` is opened with it first.
  // Returns how many values it wrote. kInternal for a value sealed under a
  // key `keys` does not hold (nothing then changes: the caller's transaction
  // rolls back). Stored answers to Idempotency-Keys are left to
  // ResealAnswers.
  virtual Result<int64_t> Reseal(const MasterKeyRing& keys, const SecretCipher& to,
                                 int64_t now) = 0;

  // The same for the stored answers to Idempotency-Keys, at most `limit` of
  // them after `position`, which it moves on (done once the last was seen).
  // Returns how many it wrote. An answer pruned meanwhile is skipped.
  virtual Result<int64_t> ResealAnswers(const MasterKeyRing& keys, const SecretCipher& to,
                                        AnswerPosition& position, int64_t limit) = 0;
};

}  // namespace shipline::app
