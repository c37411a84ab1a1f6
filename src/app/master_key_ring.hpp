#pragma once

// The master keys one node holds (app/secret_cipher.hpp): usually one, and
// two while a rotation is under way, so that every node can open what any
// other seals, whichever key that is. A sealed value names the key that
// sealed it, so the ring opens it with that key; which key seals new values
// is not the ring's choice but the database's (secret_keys, migration 0010),
// read by the store in each transaction that seals
// (store/secret_columns.hpp). Thread-safe: a ring is immutable.

#include <string>
#include <string_view>
#include <vector>

#include "app/secret_cipher.hpp"
#include "domain/result.hpp"

namespace shipline::app {

class MasterKeyRing {
 public:
  // `keys` in order of preference: the first is the one a database that has
  // recorded no key yet adopts. A key given twice is kept once. At least one.
  explicit MasterKeyRing(std::vector<SecretCipher> keys);

  // The key whose id is `key_id`; nullptr when the ring does not hold it.
  const SecretCipher* Find(std::string_view key_id) const;
  bool Holds(std::string_view key_id) const { return Find(key_id) != nullptr; }
  const SecretCipher& first() const { return keys_.front(); }
  const std::vector<SecretCipher>& keys() const { return keys_; }
  // The ids of every key held, comma-separated, for messages and logs.
  std::string KeyIds() const;

  // Seals `clear` for `column` with the key `key_id`. kInternal when the
  // ring does not hold it: a node must never seal with a key it was not
  // given, nor fall back to another.
  Result<std::string> Seal(std::string_view key_id, std::string_view column,
                           std::string_view clear) const;
  // Opens a sealed value with the key it names. kInternal (detail for the
  // log, never the value) when the ring does not hold that key, or the value
  // is damaged or belongs to another column.
  Result<std::string> Open(std::string_view column, std::string_view sealed) const;

 private:
  std::vector<SecretCipher> keys_;
};

}  // namespace shipline::app
