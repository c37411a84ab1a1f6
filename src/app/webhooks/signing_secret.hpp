#pragma once

// Standard Webhooks signing secrets: "whsec_" followed by the base64 of the
// key bytes. shipline makes 32-byte keys; a tenant may bring its own key of
// 24 to 64 bytes.

#include <optional>
#include <string>
#include <string_view>

#include "app/clock.hpp"

namespace shipline::app::webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";

// A fresh secret from `ids` (32 random bytes).
std::string NewSigningSecret(IdSource& ids);

// The key bytes of a secret: the base64 after the "whsec_" prefix (a secret
// without the prefix is read as bare base64). nullopt when it is not base64
// or the key is shorter than 24 or longer than 64 bytes.
std::optional<std::string> SecretKey(std::string_view secret);

// Standard base64 with padding (RFC 4648 section 4).
std::string Base64Encode(std::string_view bytes);
// Decodes standard base64; padding is optional. nullopt on any other character.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace shipline::app::webhooks
