#include "app/secrets_at_rest.hpp"

#include <utility>
#include <vector>

namespace shipline::app {

namespace {

// The key the database names as current, which `keys` must hold; the ring's
// first when the database names none. kFailedPrecondition when the ring does
// not hold it.
Result<const SecretCipher*> CurrentKey(StoreWriter& tx, const MasterKeyRing& keys) {
  auto recorded = tx.Secrets().MasterKeyId();
  if (!recorded) return std::move(recorded).error();
  if (!*recorded) return &keys.first();
  const SecretCipher* current = keys.Find(**recorded);
  if (current == nullptr) {
    return Error::Precondition("the database's secrets are sealed with master key " + **recorded +
                               ", which is not among the given keys " + keys.KeyIds());
  }
  return current;
}

// A re-seal with `to` is a seal like any other: it holds the key's record
// under the share lock, and writes only while `to` is the current key.
Status StillCurrent(StoreWriter& tx, const SecretCipher& to) {
  auto sealing = tx.Secrets().SealingKeyId();
  if (!sealing) return std::move(sealing).error();
  if (*sealing != to.key_id()) {
    return Error::Conflict("the database's master key changed from " + to.key_id() + " to " +
                           sealing->value_or("none") +
                           " while its secrets were re-sealed (another rotation?)");
  }
  return Ok();
}

// Runs `batch` (one transaction each, under StillCurrent) until it reports
// its position done; returns the values it wrote. A batch that must run
// again (a deadlock) starts where its first run did.
template <typename Position, typename Batch>
Result<int64_t> InBatches(Store& store, const SecretCipher& to, Batch batch) {
  Position position;
  int64_t total = 0;
  while (!position.done) {
    Position start = position;
    int64_t written = 0;
    SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
      SHIPLINE_RETURN_IF_ERROR(StillCurrent(tx, to));
      position = start;
      auto resealed = batch(tx, position);
      if (!resealed) return std::move(resealed).error();
      written = *resealed;
      return Ok();
    }));
    total += written;
  }
  return total;
}

Result<int64_t> ResealSecrets(Store& store, const MasterKeyRing& keys, const SecretCipher& to,
                              int64_t batch) {
  return InBatches<SecretPosition>(store, to, [&](StoreWriter& tx, SecretPosition& position) {
    return tx.Secrets().ResealSecrets(keys, to, position, batch);
  });
}

// kFailedPrecondition naming the nodes seen since `since` that do not hold
// `to`.
Status EveryNodeHolds(StoreWriter& tx, const SecretCipher& to, int64_t since) {
  auto nodes = tx.Secrets().NodesSeenSince(since);
  if (!nodes) return std::move(nodes).error();
  std::string lacking;
  for (const NodeKeys& node : *nodes) {
    bool holds = false;
    std::string held;
    for (const std::string& id : node.key_ids) {
      holds = holds || id == to.key_id();
      held += (held.empty() ? "" : ", ") + id;
    }
    if (holds) continue;
    lacking += (lacking.empty() ? "" : "; ") + node.node_id + " (holds " + held + ")";
  }
  if (lacking.empty()) return Ok();
  return Error::Precondition("serving nodes do not hold the new master key " + to.key_id() + ": " +
                             lacking + "; restart them holding it first");
}

}  // namespace

Result<int64_t> AdoptMasterKeys(Store& store, std::shared_ptr<const MasterKeyRing> keys,
                                int64_t now, int64_t batch) {
  const MasterKeyRing& ring = *keys;
  store.SealSecretsWith(std::move(keys));
  const SecretCipher* current = nullptr;
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
    auto recorded = tx.Secrets().MasterKeyId();
    if (!recorded) return std::move(recorded).error();
    auto found = CurrentKey(tx, ring);
    if (!found) return std::move(found).error();
    current = *found;
    if (*recorded) return Ok();
    return tx.Secrets().RecordMasterKey(current->key_id(), now);
  }));
  return ResealSecrets(store, ring, *current, batch);
}

Result<Rotation> RotateMasterKey(Store& store, const MasterKeyRing& keys, const SecretCipher& to,
                                 int64_t now, const RotationOptions& options) {
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
    // The record is locked first: a node that publishes its keys holds it
    // shared while it does, so the nodes read next are all there are.
    auto current = CurrentKey(tx, keys);
    if (!current) return std::move(current).error();
    if (options.nodes_seen_since) {
      SHIPLINE_RETURN_IF_ERROR(EveryNodeHolds(tx, to, *options.nodes_seen_since));
    }
    return tx.Secrets().RecordMasterKey(to.key_id(), now);
  }));
  Rotation rotation;
  auto secrets = ResealSecrets(store, keys, to, options.batch);
  if (!secrets) return std::move(secrets).error();
  rotation.secrets = *secrets;
  auto answers =
      InBatches<AnswerPosition>(store, to, [&](StoreWriter& tx, AnswerPosition& position) {
        return tx.Secrets().ResealAnswers(keys, to, position, options.batch);
      });
  if (!answers) return std::move(answers).error();
  rotation.answers = *answers;
  return rotation;
}

Status PublishNodeKeys(Store& store, const std::string& node_id, const MasterKeyRing& keys,
                       int64_t started_at, int64_t now) {
  NodeKeys node{node_id, {}, started_at, now};
  for (const SecretCipher& key : keys.keys()) node.key_ids.push_back(key.key_id());
  return store.Write([&](StoreWriter& tx) -> Status {
    auto current = tx.Secrets().SealingKeyId();
    if (!current) return std::move(current).error();
    if (*current && !keys.Holds(**current)) {
      return Error::Precondition("the database's secrets are sealed with master key " + **current +
                                 ", which this node does not hold (it holds " + keys.KeyIds() +
                                 ")");
    }
    auto pruned = tx.Secrets().PruneNodes(now - kNodeForgetMs);
    if (!pruned) return std::move(pruned).error();
    return tx.Secrets().PublishNode(node);
  });
}

Status WithdrawNodeKeys(Store& store, const std::string& node_id) {
  return store.Write([&](StoreWriter& tx) -> Status { return tx.Secrets().RemoveNode(node_id); });
}

}  // namespace shipline::app
