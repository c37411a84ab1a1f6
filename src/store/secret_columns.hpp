#pragma once

// The columns that hold secrets shipline must use again, sealed with the
// master key (app/secret_cipher.hpp) on their way into the database and
// opened on their way out. The repositories that own those columns seal and
// open through one SecretColumns; the adoption of a key and its rotation
// (secret_repository.cpp) walk the same list.
//
// Which key seals is the database's to say (secret_keys, migration 0010):
// each seal reads it, under a share lock that a rotation's change of it
// waits for (and that waits for a rotation in progress). So a value sealed
// under the old key either commits before the rotation re-seals (and is
// re-sealed) or is sealed under the new key; none is left behind.

#include <optional>
#include <string>
#include <string_view>

#include "app/master_key_ring.hpp"
#include "domain/result.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

// A column holding one secret per row: its table, the column that keys a
// row, and the secret's column. "table.column" is the associated data a
// value is sealed with.
struct SecretColumn {
  const char* table;
  const char* key;
  const char* column;
  const char* name;       // "table.column"
  bool text_key = false;  // `key` is text (an integer otherwise)
};

inline constexpr SecretColumn kWebhookSigningSecret{"webhook_secrets", "id", "secret",
                                                    "webhook_secrets.secret"};
inline constexpr SecretColumn kWebhookBasicPassword{"webhook_subscriptions", "id", "basic_password",
                                                    "webhook_subscriptions.basic_password"};
// A provider's whole configuration: it holds the provider's token.
inline constexpr SecretColumn kProviderConfig{"so_providers", "id", "config",
                                              "so_providers.config"};
inline constexpr SecretColumn kServerSecret{"server_secrets", "name", "secret",
                                            "server_secrets.secret", true};
// A stored answer to an Idempotency-Key (it may hold a new API key's secret
// or a webhook's signing secret). Keyed by tenant and key and there may be a
// day's worth of them, so not in the list below: a rotation re-seals them in
// batches of their own (secret_repository.cpp).
inline constexpr SecretColumn kIdempotentAnswer{"idempotency_keys", "idempotency_key", "body",
                                                "idempotency_keys.body"};
inline constexpr SecretColumn kSecretColumns[] = {kWebhookSigningSecret, kWebhookBasicPassword,
                                                  kProviderConfig, kServerSecret};

// The secret_keys row that names the current master key.
inline constexpr const char* kMasterKeyName = "master";

// The database's current master key id, read with `lock` (db.ShareLock()
// for a seal, db.RowLock() for a change of key) held to the end of the
// caller's transaction; nullopt before the first start with a key recorded
// one.
Result<std::optional<std::string>> CurrentMasterKeyId(sql::Db& db, const std::string& lock);

class SecretColumns {
 public:
  // Without keys (`nullptr`: store tests, commands that touch no secret)
  // values are written as they are and only clear ones can be read.
  SecretColumns(sql::Db& db, const app::MasterKeyRing* keys) : db_(db), keys_(keys) {}

  // `clear` sealed for `column` with the database's current key (the ring's
  // first while none is recorded); an empty value stays empty (nothing to
  // hide, and an empty password means none). Inside a write transaction.
  // kInternal when this server does not hold the current key, or the read of
  // it fails.
  Result<std::string> Seal(const SecretColumn& column, std::string_view clear) const;
  // Opens `value` in place with the key it names. A clear value (written
  // before migration 0010, until the next start seals it) stays as it is.
  // kInternal when it was sealed under a key not held or is damaged, or when
  // there are no keys.
  Status Open(const SecretColumn& column, std::string& value) const;

 private:
  sql::Db& db_;
  const app::MasterKeyRing* keys_;
};

}  // namespace shipline::store
