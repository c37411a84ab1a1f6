#pragma once

// What an API key may do. Scopes are ordered: `admin` includes `write`, which
// includes `read`. A route names the one scope it needs; a key is let through
// when any scope it holds includes that one.
//
//   read   GET only: look orders, shipments, events and settings up.
//   write  everything a merchant integration does: orders, completions,
//          shipments, shipping orders, 3PL notifications.
//   admin  also the tenant's administration: API keys, webhook
//          subscriptions, 3PL connections, locations, providers, rules and
//          storefront settings.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace shipline::app {

enum class Scope : uint8_t { kRead = 0, kWrite = 1, kAdmin = 2 };

// "read", "write" or "admin".
std::string_view ScopeName(Scope scope);
std::optional<Scope> ParseScope(std::string_view name);

// A set of scopes. Empty grants nothing.
class Scopes {
 public:
  Scopes() = default;
  static Scopes Of(std::initializer_list<Scope> scopes);
  // The stored form, "read,write": nullopt when a name is unknown or the
  // list is empty.
  static std::optional<Scopes> Parse(std::string_view comma_separated);

  void Add(Scope scope) { bits_ |= Bit(scope); }
  bool Has(Scope scope) const { return (bits_ & Bit(scope)) != 0; }
  bool empty() const { return bits_ == 0; }
  // True when a held scope includes `needed` (admin > write > read).
  bool Allow(Scope needed) const;

  // The names held, in the order read, write, admin.
  std::vector<std::string_view> Names() const;
  // The stored form: the names joined by commas.
  std::string Text() const;

  friend bool operator==(Scopes, Scopes) = default;

 private:
  static uint8_t Bit(Scope scope) { return static_cast<uint8_t>(1u << static_cast<int>(scope)); }
  uint8_t bits_ = 0;
};

}  // namespace shipline::app
