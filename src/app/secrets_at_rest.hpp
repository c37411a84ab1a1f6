#pragma once

// Puts master keys to work on a store (app/master_key_ring.hpp): adoption at
// every start, rotation to a new key while servers keep serving, and the
// record of which keys the serving nodes hold, which a rotation checks.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/master_key_ring.hpp"
#include "app/store.hpp"

namespace shipline::app {

// A serving node publishes its key ids every kNodeRefreshMs; a rotation
// counts the nodes seen within kNodeLiveMs; rows not seen for kNodeForgetMs
// are pruned (a node that died without a clean stop).
inline constexpr int64_t kNodeRefreshMs = 10'000;
inline constexpr int64_t kNodeLiveMs = 60'000;
inline constexpr int64_t kNodeForgetMs = 600'000;

// Makes `store` seal and open its secrets with `keys`, records the ring's
// first key as current when the database names none, then seals with the
// database's current key, `batch` values to a transaction, whatever is
// still clear (every secret on the first start after migration 0010) or
// sealed by another key of the ring (a rotation cut short).
// kFailedPrecondition when the ring does not hold the database's current
// key (nothing changes); kConflict when a rotation changes it meanwhile.
// Returns how many values it sealed.
Result<int64_t> AdoptMasterKeys(Store& store, std::shared_ptr<const MasterKeyRing> keys,
                                int64_t now, int64_t batch = 500);

struct Rotation {
  int64_t secrets = 0;  // values of the secret columns re-sealed
  int64_t answers = 0;  // stored answers to Idempotency-Keys re-sealed
};

struct RotationOptions {
  int64_t batch = 500;  // values re-sealed per transaction
  // Every node seen at this time or later (NodeKeys::seen_at) must hold the
  // new key; nullopt checks none (--force, or a data folder whose lock shows
  // that no server runs).
  std::optional<int64_t> nodes_seen_since;
};

// Rotates the database to `to`. First, in one short transaction, checks the
// nodes (options.nodes_seen_since) and records `to` as the current key: from
// its commit on, every server seals with `to`, and no seal with another key
// can commit (each seal holds the key's record under a share lock that this
// change waits for). Then re-seals the secret columns and the stored answers
// to Idempotency-Keys, `batch` to a transaction, so that no transaction
// holds many rows or the key's record for long. `keys` must hold the
// database's current key and every key a value is sealed under;
// kFailedPrecondition, with nothing changed, when it does not hold the
// current one or when a node does not hold `to` (the message names them).
// kConflict when another rotation changes the key while this one re-seals.
// `to` may be the current key already: that finishes a rotation that was cut
// short.
Result<Rotation> RotateMasterKey(Store& store, const MasterKeyRing& keys, const SecretCipher& to,
                                 int64_t now, const RotationOptions& options = {});

// Writes this node's row (`node_id`, the ids of `keys`) with seen_at `now`,
// after checking under the seal's share lock that `keys` holds the
// database's current key (kFailedPrecondition otherwise, nothing written):
// a rotation either sees the row or this node sees the new key. Prunes the
// rows of nodes not seen for kNodeForgetMs.
Status PublishNodeKeys(Store& store, const std::string& node_id, const MasterKeyRing& keys,
                       int64_t started_at, int64_t now);

// Removes this node's row (a clean stop).
Status WithdrawNodeKeys(Store& store, const std::string& node_id);

}  // namespace shipline::app
