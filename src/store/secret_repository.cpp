#include "store/secret_repository.hpp"

#include <utility>
#include <vector>

#include "store/secret_columns.hpp"

namespace shipline::store {

using sql::Params;

namespace {

// `value` sealed with `to`: nullopt when it already is, or is empty
// (nothing to write).
Result<std::optional<std::string>> Resealed(const SecretColumn& column, const std::string& value,
                                            const app::MasterKeyRing& keys,
                                            const app::SecretCipher& to) {
  std::string_view key_id = app::SecretCipher::KeyIdOf(value);
  if (key_id == to.key_id() || value.empty()) return std::optional<std::string>();
  std::string clear = value;
  if (!key_id.empty()) {
    auto opened = keys.Open(column.name, value);
    if (!opened) return std::move(opened).error();
    clear = std::move(*opened);
  }
  return std::optional<std::string>(to.Seal(column.name, clear));
}

}  // namespace

Result<std::optional<std::string>> SecretRepository::MasterKeyId() {
  return CurrentMasterKeyId(db_, db_.RowLock());
}

Result<int64_t> SecretRepository::Reseal(const app::MasterKeyRing& keys,
                                         const app::SecretCipher& to, int64_t now) {
  // Recorded first: from here on, every transaction that seals waits for
  // this one and then seals with `to`, so what is read below is all there is
  // to re-seal.
  SHIPLINE_SQL_EXECUTE(recorded, db_,
                       "INSERT INTO secret_keys (name, key_id, updated_at) VALUES ($1, $2, $3) "
                       "ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, "
                       "updated_at = excluded.updated_at",
                       Params().Add(kMasterKeyName).Add(to.key_id()).Add(now));
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
        auto resealed = Resealed(column, rows.Text(1), keys, to);
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
  return written;
}

Result<int64_t> SecretRepository::ResealAnswers(const app::MasterKeyRing& keys,
                                                const app::SecretCipher& to,
                                                app::AnswerPosition& position, int64_t limit) {
  struct Answer {
    int64_t tenant_id;
    std::string key;
    std::string body;
    std::string sealed;
  };
  std::vector<Answer> answers;
  int64_t seen = 0;
  {
    // A stored answer changes only by pruning (its row goes) or by this
    // walk: every row read is written back unless it is gone meanwhile.
    SHIPLINE_SQL_QUERY(rows, db_,
                       "SELECT tenant_id, idempotency_key, body FROM idempotency_keys "
                       "WHERE (tenant_id, idempotency_key) > ($1, $2) AND body IS NOT NULL "
                       "ORDER BY tenant_id, idempotency_key LIMIT $3",
                       Params().Add(position.tenant_id).Add(position.key).Add(limit));
    for (;;) {
      SHIPLINE_SQL_NEXT(more, rows);
      if (!more) break;
      ++seen;
      position.tenant_id = rows.Int(0);
      position.key = rows.Text(1);
      std::string body = rows.Text(2);
      auto resealed = Resealed(kIdempotentAnswer, body, keys, to);
      if (!resealed) return std::move(resealed).error();
      if (*resealed) {
        answers.push_back(
            {position.tenant_id, position.key, std::move(body), std::move(**resealed)});
      }
    }
  }
  position.done = seen < limit;
  int64_t written = 0;
  for (const Answer& answer : answers) {
    SHIPLINE_SQL_EXECUTE(
        updated, db_,
        "UPDATE idempotency_keys SET body = $1 WHERE tenant_id = $2 AND "
        "idempotency_key = $3 AND body = $4",
        Params().Add(answer.sealed).Add(answer.tenant_id).Add(answer.key).Add(answer.body));
    written += updated;
  }
  return written;
}

}  // namespace shipline::store
