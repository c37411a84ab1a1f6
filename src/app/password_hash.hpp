#pragma once

// Passwords shipline only verifies (3PL connection passwords) are kept as
// salted scrypt hashes: "scrypt$N$r$p$<salt>$<hash>" (base64url), so a stolen
// database gives an attacker a slow guess per candidate and per row.
//
// API keys are not hashed this way on purpose: they are 32 random bytes that
// shipline generated, and no guessing recovers one from its SHA-256, while a
// slow hash would cost every request of every integration tens of
// milliseconds of CPU (app/api_keys.cpp).

#include <string>
#include <string_view>

namespace shipline::app {

// A new salted scrypt hash of `password`.
std::string HashPassword(std::string_view password);

struct PasswordCheck {
  bool matches = false;
  // The stored hash is of an older form (unsalted hex SHA-256, or weaker
  // scrypt parameters): store HashPassword(password) now that it matched.
  bool needs_upgrade = false;
};

// Compares in constant time for a given stored form. An unrecognised stored
// value never matches.
PasswordCheck CheckPassword(std::string_view stored, std::string_view password);

}  // namespace shipline::app
