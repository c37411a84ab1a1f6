#pragma once

// Puts master keys to work on a store (app/master_key_ring.hpp): adoption at
// every start, and rotation to a new key while servers keep serving.

#include <cstdint>
#include <memory>

#include "app/master_key_ring.hpp"
#include "app/store.hpp"

namespace shipline::app {

// Makes `store` seal and open its secrets with `keys`, then, in one
// transaction, seals with the database's current key whatever is still
// clear (every secret on the first start after migration 0010) or sealed by
// another key of the ring. A database that names no key yet adopts the
// ring's first. kFailedPrecondition when the ring does not hold the
// database's current key (nothing changes). Returns how many values it
// sealed.
Result<int64_t> AdoptMasterKeys(Store& store, std::shared_ptr<const MasterKeyRing> keys,
                                int64_t now);

struct Rotation {
  int64_t secrets = 0;  // values of the secret columns re-sealed
  int64_t answers = 0;  // stored answers to Idempotency-Keys re-sealed
};

// Rotates the database to `to`. First, in one transaction, records `to` as
// the current key and re-seals every secret column: from its commit on,
// every server seals with `to`. Then re-seals the stored answers to
// Idempotency-Keys, `batch` to a transaction, so that none holds a day's
// answers locked at once. `keys` must hold the database's current key
// (kFailedPrecondition otherwise, nothing changes) and every key a value is
// sealed under; `to` may be the current key already, to finish a rotation
// that was cut short.
Result<Rotation> RotateMasterKey(Store& store, const MasterKeyRing& keys, const SecretCipher& to,
                                 int64_t now, int64_t batch = 500);

}  // namespace shipline::app
