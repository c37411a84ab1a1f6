#include "store/secret_repository.hpp"

#include <utility>
#include <vector>

#include "store/secret_columns.hpp"

namespace shipline::store {

using sql::Params;

namespace {

constexpr const char* kMasterKeyName = "master";

// `value` sealed with `to`: nullopt when it already is (nothing to write).
Result<std::optional<std::string>> Resealed(const SecretColumn& column, const std::string& value,
                                            const app::SecretCipher* from,
                                            const app::SecretCipher& to) {
  std::string_view key_id = app::SecretCipher::KeyIdOf(value);
  if (key_id == to.key_id()) return std::optional<std::string>();
  std::string clear = value;
  if (!key_id.empty()) {
    if (from == nullptr || key_id != from->key_id()) {
      return Error::Internal(std::string(column.name) + " holds a value sealed under master key " +
                             std::string(key_id) + ", which is neither the old nor the new key");
    }
    auto opened = from->Open(column.name, value);
    if (!opened) return std::move(opened).error();
    clear = std::move(*opened);
  }
  return std::optional<std::string>(to.Seal(column.name, clear));
}

}  // namespace

Result<std::optional<std::string>> SecretRepository::MasterKeyId() {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT key_id FROM secret_keys WHERE name = $1",
                     Params().Add(kMasterKeyName));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<std::string>();
  return std::optional<std::string>(rows.Text(0));
}

Result<int64_t> SecretRepository::Reseal(const app::SecretCipher* from, const app::SecretCipher& to,
                                         int64_t now) {
  int64_t written = 0;
  for (const SecretColumn& column : kSecretColumns) {
    // Every row is read before the first is written: no cursor stays open
    // over a table being updated.
    std::vector<std::pair<std::string, std::string>> rows_to_write;
    {
      SHIPLINE_SQL_QUERY(rows, db_,
                         std::string("SELECT CAST(") + column.key + " AS TEXT), " + column.column +
                             " FROM " + column.table + " WHERE " + column.column +
                             " IS NOT NULL AND " + column.column + " <> ''",
                         Params());
      for (;;) {
        SHIPLINE_SQL_NEXT(more, rows);
        if (!more) break;
        auto resealed = Resealed(column, rows.Text(1), from, to);
        if (!resealed) return std::move(resealed).error();
        if (*resealed) rows_to_write.emplace_back(rows.Text(0), std::move(**resealed));
      }
    }
    for (const auto& [key, sealed] : rows_to_write) {
      SHIPLINE_SQL_EXECUTE(updated, db_,
                           std::string("UPDATE ") + column.table + " SET " + column.column +
                               " = $1 WHERE CAST(" + column.key + " AS TEXT) = $2",
                           Params().Add(sealed).Add(key));
      written += updated;
    }
  }
  if (from != nullptr) {
    // Stored answers to idempotency keys are sealed too, but kept a day at
    // most: a rotation forgets them rather than re-sealing each. A repeat
    // then learns that the outcome is unknown (409), as after a crash, and
    // nothing runs twice.
    SHIPLINE_SQL_EXECUTE(forgotten, db_,
                         "UPDATE idempotency_keys SET status = NULL, content_type = NULL, "
                         "headers = NULL, body = NULL, applied = TRUE, lease_until = 0 "
                         "WHERE status IS NOT NULL",
                         Params());
  }
  SHIPLINE_SQL_EXECUTE(recorded, db_,
                       "INSERT INTO secret_keys (name, key_id, updated_at) VALUES ($1, $2, $3) "
                       "ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, "
                       "updated_at = excluded.updated_at",
                       Params().Add(kMasterKeyName).Add(to.key_id()).Add(now));
  return written;
}

}  // namespace shipline::store
