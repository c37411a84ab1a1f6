#pragma once

// The secrets shipline must use again (webhook signing secrets and Basic-auth
// passwords, delivery providers' configurations with their tokens, the
// server's own signing secrets) are kept in the database sealed with
// AES-256-GCM under one 32-byte master key that never enters the database.
//
// A sealed value is text: "slenc:1:<key id>:<base64 of nonce, ciphertext and
// tag>". The key id (16 hex digits of the key's SHA-256) tells which key sealed
// it, so a server started with another key fails with a clear message instead
// of sending garbage, and a rotation can tell what it has re-sealed. Each value
// is bound to its column (the associated data), so a sealed value copied into
// another column does not open there. Thread-safe: a cipher is immutable.

#include <array>
#include <string>
#include <string_view>

#include "domain/result.hpp"

namespace shipline::app {

class SecretCipher {
 public:
  static constexpr size_t kKeyBytes = 32;

  // The key from its standard base64 text (surrounding whitespace ignored).
  // kInvalidArgument unless it decodes to exactly 32 bytes.
  static Result<SecretCipher> FromBase64(std::string_view text);
  // A new random key (OpenSSL's generator).
  static SecretCipher Generate();

  // The key as standard base64, to write to a key file.
  std::string KeyBase64() const;
  const std::string& key_id() const { return key_id_; }

  // Seals `clear` for `column` (e.g. "webhook_secrets.secret") with a fresh
  // random nonce.
  std::string Seal(std::string_view column, std::string_view clear) const;
  // Opens what Seal made for the same column. kInternal (detail for the log,
  // never the value) when it was sealed under another key, is damaged or
  // belongs to another column.
  Result<std::string> Open(std::string_view column, std::string_view sealed) const;

  // True when `value` has the sealed form (whichever key sealed it).
  static bool IsSealed(std::string_view value);
  // The key id a sealed value names; empty when it is not sealed.
  static std::string_view KeyIdOf(std::string_view sealed);
  // How every value this key seals begins ("slenc:1:<key id>:"), so that a
  // query can tell them from the rest without opening any.
  std::string SealedPrefix() const;

 private:
  explicit SecretCipher(const std::array<unsigned char, kKeyBytes>& key);

  std::array<unsigned char, kKeyBytes> key_;
  std::string key_id_;
};

}  // namespace shipline::app
