#pragma once

// The store's side of secrets at rest (app/secret_cipher.hpp): which master
// key the database's sealed secrets belong to, and sealing them all anew.

#include <cstdint>
#include <optional>
#include <string>

#include "app/secret_cipher.hpp"
#include "domain/result.hpp"

namespace shipline::app {

class SecretRepository {
 public:
  virtual ~SecretRepository() = default;

  // The id of the master key the secrets are sealed with; nullopt before the
  // first start with a key.
  virtual Result<std::optional<std::string>> MasterKeyId() = 0;

  // Seals every secret of every secret column with `to` and records `to`'s
  // key id: a clear value is sealed, one sealed by `to` stays, one sealed by
  // `from` (when given) is opened with it first. Returns how many values it
  // wrote. kInternal for a value sealed under any other key (nothing then
  // changes: the caller's transaction rolls back).
  virtual Result<int64_t> Reseal(const SecretCipher* from, const SecretCipher& to, int64_t now) = 0;
};

}  // namespace shipline::app
