#include "store/secret_repository.hpp"

#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "store/column_codecs.hpp"
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

Result<std::optional<std::string>> SecretRepository::SealingKeyId() {
  return CurrentMasterKeyId(db_, db_.ShareLock());
}

Status SecretRepository::RecordMasterKey(const std::string& key_id, int64_t now) {
  SHIPLINE_SQL_EXECUTE(recorded, db_,
                       "INSERT INTO secret_keys (name, key_id, updated_at) VALUES ($1, $2, $3) "
                       "ON CONFLICT (name) DO UPDATE SET key_id = excluded.key_id, "
                       "updated_at = excluded.updated_at",
                       Params().Add(kMasterKeyName).Add(key_id).Add(now));
  return Ok();
}

namespace {

// A row key of `column` as a statement's parameter, in the key's own type.
Params& AddKey(Params& params, const SecretColumn& column, const std::string& key) {
  if (column.text_key) return params.Add(key);
  return params.Add(static_cast<int64_t>(std::stoll(key)));
}

}  // namespace

Result<int64_t> SecretRepository::ResealSecrets(const app::MasterKeyRing& keys,
                                                const app::SecretCipher& to,
                                                app::SecretPosition& position, int64_t limit) {
  if (position.column >= std::size(kSecretColumns)) {
    position.done = true;
    return int64_t{0};
  }
  const SecretColumn& column = kSecretColumns[position.column];
  // Only values not sealed with `to` yet (clear ones, or another key's), in
  // key order after the last one seen: the walk only moves on, and what a
  // seal writes behind it is sealed with `to` already.
  const std::string prefix = to.SealedPrefix();
  std::string sql = std::string("SELECT ") + column.key + ", " + column.column + " FROM " +
                    column.table + " WHERE " + column.column + " <> '' AND substr(" +
                    column.column + ", 1, " + std::to_string(prefix.size()) + ") <> $1";
  Params params;
  params.Add(prefix).Add(limit);
  if (position.after) {
    sql += std::string(" AND ") + column.key + " > $3";
    AddKey(params, column, *position.after);
  }
  sql += std::string(" ORDER BY ") + column.key + " LIMIT $2";
  // Every row is read before the first is written: no cursor stays open
  // over a table being updated.
  struct Row {
    std::string key;
    std::string value;
    std::string sealed;
  };
  std::vector<Row> rows_to_write;
  int64_t seen = 0;
  {
    SHIPLINE_SQL_QUERY(rows, db_, sql, params);
    for (;;) {
      SHIPLINE_SQL_NEXT(more, rows);
      if (!more) break;
      ++seen;
      Row row{rows.Text(0), rows.Text(1), {}};
      auto resealed = Resealed(column, row.value, keys, to);
      if (!resealed) return std::move(resealed).error();
      position.after = row.key;
      if (!*resealed) continue;
      row.sealed = std::move(**resealed);
      rows_to_write.push_back(std::move(row));
    }
  }
  if (seen < limit) {
    ++position.column;
    position.after.reset();
    position.done = position.column >= std::size(kSecretColumns);
  }
  int64_t written = 0;
  for (const Row& row : rows_to_write) {
    Params update;
    update.Add(row.sealed);
    AddKey(update, column, row.key).Add(row.value);
    SHIPLINE_SQL_EXECUTE(updated, db_,
                         std::string("UPDATE ") + column.table + " SET " + column.column +
                             " = $1 WHERE " + column.key + " = $2 AND " + column.column + " = $3",
                         update);
    written += updated;
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

Status SecretRepository::PublishNode(const app::NodeKeys& node) {
  SHIPLINE_SQL_EXECUTE(published, db_,
                       "INSERT INTO live_nodes (node_id, key_ids, started_at, seen_at) "
                       "VALUES ($1, $2, $3, $4) ON CONFLICT (node_id) DO UPDATE SET "
                       "key_ids = excluded.key_ids, started_at = excluded.started_at, "
                       "seen_at = excluded.seen_at",
                       Params()
                           .Add(node.node_id)
                           .Add(JoinList(node.key_ids, ','))
                           .Add(node.started_at)
                           .Add(node.seen_at));
  return Ok();
}

Status SecretRepository::RemoveNode(const std::string& node_id) {
  SHIPLINE_SQL_EXECUTE(removed, db_, "DELETE FROM live_nodes WHERE node_id = $1",
                       Params().Add(node_id));
  return Ok();
}

Result<int64_t> SecretRepository::PruneNodes(int64_t seen_before) {
  SHIPLINE_SQL_EXECUTE(pruned, db_, "DELETE FROM live_nodes WHERE seen_at < $1",
                       Params().Add(seen_before));
  return pruned;
}

Result<std::vector<app::NodeKeys>> SecretRepository::NodesSeenSince(int64_t since) {
  std::vector<app::NodeKeys> nodes;
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT node_id, key_ids, started_at, seen_at FROM live_nodes "
                     "WHERE seen_at >= $1 ORDER BY node_id",
                     Params().Add(since));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    nodes.push_back({rows.Text(0), SplitList(rows.Text(1), ',', false), rows.Int(2), rows.Int(3)});
  }
  return nodes;
}

}  // namespace shipline::store
