#pragma once

// Puts a master key to work on a store (app/secret_cipher.hpp): adoption at
// every start, and rotation to a new key.

#include <cstdint>
#include <memory>

#include "app/secret_cipher.hpp"
#include "app/store.hpp"

namespace shipline::app {

// Makes `store` seal and open its secrets with `cipher`, then seals, in one
// transaction, whatever is still clear (every secret on the first start
// after migration 0010) and records the key's id. kFailedPrecondition when
// the database's secrets belong to another master key (nothing changes).
// Returns how many values it sealed.
Result<int64_t> AdoptMasterKey(Store& store, std::shared_ptr<const SecretCipher> cipher,
                               int64_t now);

// Re-seals every secret from `from` (the key in use) to `to` in one
// transaction and records `to`'s id; a server must then run with `to`.
// kFailedPrecondition when `from` is not the database's key. Returns how
// many values it wrote.
Result<int64_t> RotateMasterKey(Store& store, const SecretCipher& from, const SecretCipher& to,
                                int64_t now);

}  // namespace shipline::app
