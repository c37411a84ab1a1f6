#include "app/secret_cipher.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <vector>

namespace shipline::app {

namespace {

constexpr std::string_view kPrefix = "slenc:1:";
constexpr size_t kKeyIdLength = 16;
constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

std::string StandardBase64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3), '\0');
  int written =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size));
  out.resize(static_cast<size_t>(written));
  return out;
}

// Decodes standard base64 with padding; nullopt for anything else.
std::optional<std::vector<unsigned char>> FromStandardBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> out(text.size() / 4 * 3);
  int written = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (written < 0) return std::nullopt;
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text.size() > 1 && text[text.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(written) - padding);
  return out;
}

std::string KeyId(const std::array<unsigned char, SecretCipher::kKeyBytes>& key) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(key.data(), key.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (size_t i = 0; i < kKeyIdLength / 2; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 15]);
  }
  return id;
}

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherContext NewContext() { return {EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free}; }

const unsigned char* Bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

Error Unopenable(std::string_view column, std::string_view why) {
  return Error::Internal("cannot open the sealed value of " + std::string(column) + ": " +
                         std::string(why));
}

}  // namespace

SecretCipher::SecretCipher(const std::array<unsigned char, kKeyBytes>& key)
    : key_(key), key_id_(KeyId(key)) {}

Result<SecretCipher> SecretCipher::FromBase64(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  auto bytes = FromStandardBase64(text);
  if (!bytes || bytes->size() != kKeyBytes) {
    return Error::Invalid("a master key is 32 bytes in standard base64 (openssl rand -base64 32)",
                          "master-key");
  }
  std::array<unsigned char, kKeyBytes> key{};
  std::copy(bytes->begin(), bytes->end(), key.begin());
  return SecretCipher(key);
}

SecretCipher SecretCipher::Generate() {
  std::array<unsigned char, kKeyBytes> key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) std::abort();
  return SecretCipher(key);
}

std::string SecretCipher::KeyBase64() const { return StandardBase64(key_.data(), key_.size()); }

std::string SecretCipher::Seal(std::string_view column, std::string_view clear) const {
  std::vector<unsigned char> out(kNonceBytes + clear.size() + kTagBytes);
  if (RAND_bytes(out.data(), kNonceBytes) != 1) std::abort();
  CipherContext ctx = NewContext();
  int length = 0;
  // A failure here is a broken OpenSSL, not bad input: nothing to recover.
  if (!ctx ||
      EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), out.data()) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &length, Bytes(column),
                        static_cast<int>(column.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), out.data() + kNonceBytes, &length, Bytes(clear),
                        static_cast<int>(clear.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), out.data() + kNonceBytes + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          out.data() + kNonceBytes + clear.size()) != 1) {
    std::abort();
  }
  return SealedPrefix() + StandardBase64(out.data(), out.size());
}

Result<std::string> SecretCipher::Open(std::string_view column, std::string_view sealed) const {
  std::string_view key_id = KeyIdOf(sealed);
  if (key_id.empty()) return Unopenable(column, "not a sealed value");
  if (key_id != key_id_) {
    return Unopenable(column, "sealed under master key " + std::string(key_id) +
                                  ", but the server has master key " + key_id_);
  }
  auto bytes = FromStandardBase64(sealed.substr(kPrefix.size() + kKeyIdLength + 1));
  if (!bytes || bytes->size() < kNonceBytes + kTagBytes) return Unopenable(column, "damaged");
  size_t clear_size = bytes->size() - kNonceBytes - kTagBytes;
  std::string clear(clear_size, '\0');
  CipherContext ctx = NewContext();
  int length = 0;
  unsigned char* tag = bytes->data() + kNonceBytes + clear_size;
  if (!ctx ||
      EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), bytes->data()) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &length, Bytes(column),
                        static_cast<int>(column.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(clear.data()), &length,
                        bytes->data() + kNonceBytes, static_cast<int>(clear_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(clear.data()) + length,
                          &length) != 1) {
    return Unopenable(column, "authentication failed (damaged, or sealed for another column)");
  }
  return clear;
}

std::string SecretCipher::SealedPrefix() const { return std::string(kPrefix) + key_id_ + ":"; }

bool SecretCipher::IsSealed(std::string_view value) { return !KeyIdOf(value).empty(); }

std::string_view SecretCipher::KeyIdOf(std::string_view sealed) {
  if (sealed.substr(0, kPrefix.size()) != kPrefix) return {};
  if (sealed.size() <= kPrefix.size() + kKeyIdLength ||
      sealed[kPrefix.size() + kKeyIdLength] != ':') {
    return {};
  }
  return sealed.substr(kPrefix.size(), kKeyIdLength);
}

}  // namespace shipline::app
