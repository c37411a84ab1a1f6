#pragma once

// The columns that hold secrets shipline must use again, sealed with the
// master key (app/secret_cipher.hpp) on their way into the database and
// opened on their way out. The repositories that own those columns seal and
// open through one SecretColumns; the adoption of a key and its rotation
// (secret_repository.cpp) walk the same list.

#include <string>
#include <string_view>

#include "app/secret_cipher.hpp"
#include "domain/result.hpp"

namespace shipline::store {

// A column holding one secret per row: its table, the column that keys a
// row, and the secret's column. "table.column" is the associated data a
// value is sealed with.
struct SecretColumn {
  const char* table;
  const char* key;
  const char* column;
  const char* name;  // "table.column"
};

inline constexpr SecretColumn kWebhookSigningSecret{"webhook_secrets", "id", "secret",
                                                    "webhook_secrets.secret"};
inline constexpr SecretColumn kWebhookBasicPassword{"webhook_subscriptions", "id", "basic_password",
                                                    "webhook_subscriptions.basic_password"};
// A provider's whole configuration: it holds the provider's token.
inline constexpr SecretColumn kProviderConfig{"so_providers", "id", "config",
                                              "so_providers.config"};
inline constexpr SecretColumn kServerSecret{"server_secrets", "name", "secret",
                                            "server_secrets.secret"};
// A stored answer to an Idempotency-Key (it may hold a new API key's secret
// or a webhook's signing secret). Keyed by tenant and key, so not in the list
// below: a rotation forgets stored answers instead (secret_repository.cpp).
inline constexpr SecretColumn kIdempotentAnswer{"idempotency_keys", "idempotency_key", "body",
                                                "idempotency_keys.body"};
inline constexpr SecretColumn kSecretColumns[] = {kWebhookSigningSecret, kWebhookBasicPassword,
                                                  kProviderConfig, kServerSecret};

class SecretColumns {
 public:
  // Without a cipher (`nullptr`: store tests, commands that touch no secret)
  // values are written as they are and only clear ones can be read.
  explicit SecretColumns(const app::SecretCipher* cipher) : cipher_(cipher) {}

  // `clear` sealed for `column`; an empty value stays empty (nothing to hide,
  // and an empty password means none).
  std::string Seal(const SecretColumn& column, std::string_view clear) const;
  // Opens `value` in place. A clear value (written before migration 0010,
  // until the next start seals it) stays as it is. kInternal when it was
  // sealed under another key or is damaged, or when there is no cipher.
  Status Open(const SecretColumn& column, std::string& value) const;

 private:
  const app::SecretCipher* cipher_;
};

}  // namespace shipline::store
