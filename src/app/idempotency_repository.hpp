#pragma once

// Idempotency keys (migration 0014): one row per tenant and key, holding the
// request it was first used with, the claim of the request working on it and,
// once answered, the answer to replay. The decisions (replay, mismatch, in
// flight, take over) are app::IdempotencyKeys'; this port stores and fetches.

#include <cstdint>
#include <optional>
#include <string>

#include "domain/result.hpp"

namespace shipline::app {

// A stored answer, replayed byte for byte.
struct StoredAnswer {
  int status = 0;
  std::string content_type;
  std::string headers;  // "Name: value" lines, each ending in '\n'
  std::string body;
};

struct IdempotencyRecord {
  int64_t tenant_id = 0;
  std::string key;
  std::string method;
  std::string target;       // path and query, as the client sent them
  std::string fingerprint;  // SHA-256 of the body, hex
  std::string owner;        // the token of the request holding the claim
  int64_t lease_until = 0;  // epoch ms; another request may take over after it
  bool applied = false;     // a change made on the key's behalf has committed
  std::optional<StoredAnswer> answer;
  int64_t created_at = 0;
};

class IdempotencyRepository {
 public:
  virtual ~IdempotencyRepository() = default;

  // Inserts `record` (without its answer): false when the tenant has the key
  // already (nothing written).
  virtual Result<bool> Insert(const IdempotencyRecord& record) = 0;
  // The tenant's key, locked inside a write transaction; nullopt if none.
  virtual Result<std::optional<IdempotencyRecord>> Find(int64_t tenant_id,
                                                        const std::string& key) = 0;
  // Gives the claim to `new_owner` until `lease_until` if `old_owner` still
  // holds it: false when it does not (nothing written).
  virtual Result<bool> TakeOver(int64_t tenant_id, const std::string& key,
                                const std::string& old_owner, const std::string& new_owner,
                                int64_t lease_until) = 0;
  // Marks the claim applied if `owner` holds it: false when it does not.
  virtual Result<bool> MarkApplied(int64_t tenant_id, const std::string& key,
                                   const std::string& owner) = 0;
  // Stores the answer if `owner` holds the claim: false when it does not.
  virtual Result<bool> SaveAnswer(int64_t tenant_id, const std::string& key,
                                  const std::string& owner, const StoredAnswer& answer) = 0;
  // Gives up `owner`'s claim without an answer: deletes the key, so that a
  // retry starts afresh. Nothing if `owner` no longer holds it.
  virtual Status Release(int64_t tenant_id, const std::string& key, const std::string& owner) = 0;
  // Ends the lease of every claim without an answer: for a store one process
  // owns (SQLite), whose claims at start can only be left over from a crash.
  virtual Status EndAllLeases() = 0;
  // Deletes up to `limit` keys created before `before` (epoch ms), oldest
  // first; returns how many.
  virtual Result<int64_t> Prune(int64_t before, int64_t limit) = 0;
};

}  // namespace shipline::app
