#include "app/secrets_at_rest.hpp"

#include <utility>

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

}  // namespace

Result<int64_t> AdoptMasterKeys(Store& store, std::shared_ptr<const MasterKeyRing> keys,
                                int64_t now) {
  const MasterKeyRing& ring = *keys;
  store.SealSecretsWith(std::move(keys));
  int64_t written = 0;
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
    auto current = CurrentKey(tx, ring);
    if (!current) return std::move(current).error();
    auto resealed = tx.Secrets().Reseal(ring, **current, now);
    if (!resealed) return std::move(resealed).error();
    written = *resealed;
    return Ok();
  }));
  return written;
}

Result<Rotation> RotateMasterKey(Store& store, const MasterKeyRing& keys, const SecretCipher& to,
                                 int64_t now, int64_t batch) {
  Rotation rotation;
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
    auto current = CurrentKey(tx, keys);
    if (!current) return std::move(current).error();
    auto resealed = tx.Secrets().Reseal(keys, to, now);
    if (!resealed) return std::move(resealed).error();
    rotation.secrets = *resealed;
    return Ok();
  }));
  AnswerPosition position;
  while (!position.done) {
    // A batch that must run again (a deadlock) starts where this one did.
    AnswerPosition start = position;
    int64_t written = 0;
    SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
      position = start;
      auto resealed = tx.Secrets().ResealAnswers(keys, to, position, batch);
      if (!resealed) return std::move(resealed).error();
      written = *resealed;
      return Ok();
    }));
    rotation.answers += written;
  }
  return rotation;
}

}  // namespace shipline::app
