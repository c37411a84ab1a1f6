#pragma once

// Base64url without padding (RFC 4648 section 5), for the opaque tokens and
// cursors that lists hand to clients.

#include <optional>
#include <string>
#include <string_view>

namespace shipline::app {

std::string Base64Url(std::string_view in);
// nullopt when `in` holds a character outside the alphabet.
std::optional<std::string> FromBase64Url(std::string_view in);

}  // namespace shipline::app
