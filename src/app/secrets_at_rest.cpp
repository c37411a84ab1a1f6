#include "app/secrets_at_rest.hpp"

#include <utility>

namespace shipline::app {

namespace {

// kFailedPrecondition unless the database's secrets are `cipher`'s (or none
// has been recorded yet).
Status BelongsTo(StoreWriter& tx, const SecretCipher& cipher) {
  auto recorded = tx.Secrets().MasterKeyId();
  if (!recorded) return std::move(recorded).error();
  if (*recorded && **recorded != cipher.key_id()) {
    return Error::Precondition("the database's secrets are sealed with master key " + **recorded +
                               ", not with the given key " + cipher.key_id());
  }
  return Ok();
}

Result<int64_t> Reseal(Store& store, const SecretCipher& current, const SecretCipher* from,
                       const SecretCipher& to, int64_t now) {
  int64_t written = 0;
  SHIPLINE_RETURN_IF_ERROR(store.Write([&](StoreWriter& tx) -> Status {
    SHIPLINE_RETURN_IF_ERROR(BelongsTo(tx, current));
    auto resealed = tx.Secrets().Reseal(from, to, now);
    if (!resealed) return std::move(resealed).error();
    written = *resealed;
    return Ok();
  }));
  return written;
}

}  // namespace

Result<int64_t> AdoptMasterKey(Store& store, std::shared_ptr<const SecretCipher> cipher,
                               int64_t now) {
  const SecretCipher& key = *cipher;
  store.SealSecretsWith(std::move(cipher));
  return Reseal(store, key, nullptr, key, now);
}

Result<int64_t> RotateMasterKey(Store& store, const SecretCipher& from, const SecretCipher& to,
                                int64_t now) {
  return Reseal(store, from, &from, to, now);
}

}  // namespace shipline::app
