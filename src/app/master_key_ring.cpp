#include "app/master_key_ring.hpp"

#include <utility>

namespace shipline::app {

MasterKeyRing::MasterKeyRing(std::vector<SecretCipher> keys) {
  for (SecretCipher& key : keys) {
    if (!Holds(key.key_id())) keys_.push_back(std::move(key));
  }
}

const SecretCipher* MasterKeyRing::Find(std::string_view key_id) const {
  for (const SecretCipher& key : keys_) {
    if (key.key_id() == key_id) return &key;
  }
  return nullptr;
}

std::string MasterKeyRing::KeyIds() const {
  std::string ids;
  for (const SecretCipher& key : keys_) {
    if (!ids.empty()) ids += ",";
    ids += key.key_id();
  }
  return ids;
}

Result<std::string> MasterKeyRing::Seal(std::string_view key_id, std::string_view column,
                                        std::string_view clear) const {
  const SecretCipher* key = Find(key_id);
  if (key == nullptr) {
    return Error::Internal("cannot seal " + std::string(column) + ": master key " +
                           std::string(key_id) + " is the database's, but this server holds only " +
                           KeyIds());
  }
  return key->Seal(column, clear);
}

Result<std::string> MasterKeyRing::Open(std::string_view column, std::string_view sealed) const {
  std::string_view key_id = SecretCipher::KeyIdOf(sealed);
  const SecretCipher* key = Find(key_id);
  if (key == nullptr) {
    return Error::Internal("cannot open the sealed value of " + std::string(column) +
                           ": sealed under master key " + std::string(key_id) +
                           ", but the server holds only " + KeyIds());
  }
  return key->Open(column, sealed);
}

}  // namespace shipline::app
