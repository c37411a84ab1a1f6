#include "app/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdlib>
#include <optional>
#include <vector>

#include "app/api_keys.hpp"
#include "app/base64url.hpp"
#include "app/fiber.hpp"

namespace shipline::app {

namespace {

// scrypt with N = 2^14, r = 8, p = 1 uses 16 MiB and some tens of
// milliseconds per check: the cost of one 3PL request, paid by a guesser for
// every candidate.
constexpr uint64_t kN = 1 << 14;
constexpr uint64_t kR = 8;
constexpr uint64_t kP = 1;
constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;
constexpr uint64_t kMaxMemory = 64ull << 20;
constexpr std::string_view kScheme = "scrypt$";

std::optional<std::string> Scrypt(std::string_view password, std::string_view salt, uint64_t n,
                                  uint64_t r, uint64_t p) {
  std::string out(kHashBytes, '\0');
  // Tens of milliseconds of CPU: off a request's I/O thread.
  int derived = app::Blocking([&] {
    return EVP_PBE_scrypt(password.data(), password.size(),
                          reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), n, r, p,
                          kMaxMemory, reinterpret_cast<unsigned char*>(out.data()), out.size());
  });
  if (derived != 1) return std::nullopt;
  return out;
}

bool EqualInConstantTime(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::vector<std::string_view> Fields(std::string_view text) {
  std::vector<std::string_view> fields;
  for (size_t start = 0;;) {
    size_t end = text.find('$', start);
    fields.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return fields;
    start = end + 1;
  }
}

std::optional<uint64_t> Number(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  std::string salt(kSaltBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), kSaltBytes) != 1) std::abort();
  auto hash = Scrypt(password, salt, kN, kR, kP);
  if (!hash) std::abort();  // fixed parameters within the memory bound: cannot fail
  return std::string(kScheme) + std::to_string(kN) + "$" + std::to_string(kR) + "$" +
         std::to_string(kP) + "$" + Base64Url(salt) + "$" + Base64Url(*hash);
}

PasswordCheck CheckPassword(std::string_view stored, std::string_view password) {
  if (stored.substr(0, kScheme.size()) != kScheme) {
    // The form before scrypt: hex SHA-256 without salt.
    bool matches = stored.size() == 64 && EqualInConstantTime(stored, HashApiKey(password));
    return {matches, matches};
  }
  std::vector<std::string_view> fields = Fields(stored.substr(kScheme.size()));
  if (fields.size() != 5) return {};
  auto n = Number(fields[0]);
  auto r = Number(fields[1]);
  auto p = Number(fields[2]);
  auto salt = FromBase64Url(fields[3]);
  auto expected = FromBase64Url(fields[4]);
  if (!n || !r || !p || !salt || !expected || expected->size() != kHashBytes) return {};
  auto hash = Scrypt(password, *salt, *n, *r, *p);
  if (!hash || !EqualInConstantTime(*hash, *expected)) return {};
  return {true, *n < kN || *r < kR || *p < kP};
}

}  // namespace shipline::app
