#include "adapters/webhooks/signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "app/webhooks/signing_secret.hpp"

namespace shipline::adapters::webhooks {

Result<std::string> Sign(std::string_view secret, std::string_view message_id, int64_t timestamp,
                         std::string_view body) {
  auto key = app::webhooks::SecretKey(secret);
  if (!key) return Error::Invalid("the signing secret is not a valid whsec_ secret");
  std::string message;
  message.reserve(message_id.size() + body.size() + 24);
  message.append(message_id).append(".").append(std::to_string(timestamp)).append(".");
  message.append(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), digest,
           &length) == nullptr) {
    return Error::Internal("HMAC-SHA256 failed");
  }
  return "v1," + app::webhooks::Base64Encode(
                     std::string_view(reinterpret_cast<const char*>(digest), length));
}

Result<std::string> SignatureHeader(const std::vector<std::string>& secrets,
                                    std::string_view message_id, int64_t timestamp,
                                    std::string_view body) {
  std::string header;
  for (const auto& secret : secrets) {
    auto signature = Sign(secret, message_id, timestamp, body);
    if (!signature) return std::move(signature).error();
    if (!header.empty()) header.push_back(' ');
    header += *signature;
  }
  return header;
}

}  // namespace shipline::adapters::webhooks
