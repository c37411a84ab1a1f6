#include "store/sqlite/sqlite_db.hpp"

namespace shipline::store::sqlite {

namespace {

class SqliteRows final : public sql::Rows {
 public:
  SqliteRows(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  // Resetting ends the statement's read, so a half-read SELECT never holds
  // the transaction's snapshot open.
  ~SqliteRows() override { sqlite3_reset(stmt_); }
  SqliteRows(const SqliteRows&) = delete;
  SqliteRows& operator=(const SqliteRows&) = delete;

  Result<bool> Next() override {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, "step");
  }
  bool IsNull(int column) const override {
    return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
  }
  int64_t Int(int column) const override { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const override { return sqlite3_column_double(stmt_, column); }
  bool Bool(int column) const override { return sqlite3_column_int64(stmt_, column) != 0; }
  std::string Text(int column) const override {
    const unsigned char* text = sqlite3_column_text(stmt_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace

std::string SqliteText(const std::string& sql) {
  std::string out;
  out.reserve(sql.size());
  char quote = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '$' && i + 1 < sql.size() && sql[i + 1] >= '0' && sql[i + 1] <= '9') {
      c = '?';
    }
    out.push_back(c);
  }
  return out;
}

Result<sqlite3_stmt*> SqliteDb::Bound(const std::string& sql, const sql::Params& params,
                                      bool copy_text) {
  auto prepared = connection_.PrepareText(sql);
  if (!prepared) return std::move(prepared).error();
  sqlite3_stmt* stmt = *prepared;
  int index = 1;
  for (const auto& value : params.values()) {
    switch (value.kind) {
      case sql::Value::Kind::kNull:
        sqlite3_bind_null(stmt, index);
        break;
      case sql::Value::Kind::kInt:
        sqlite3_bind_int64(stmt, index, value.integer);
        break;
      case sql::Value::Kind::kDouble:
        sqlite3_bind_double(stmt, index, value.real);
        break;
      case sql::Value::Kind::kText:
        sqlite3_bind_text(stmt, index, value.text.data(), static_cast<int>(value.text.size()),
                          copy_text ? SQLITE_TRANSIENT : SQLITE_STATIC);
        break;
    }
    ++index;
  }
  return stmt;
}

Result<std::unique_ptr<sql::Rows>> SqliteDb::Query(const std::string& sql,
                                                   const sql::Params& params) {
  // The cursor outlives `params` (a temporary of the caller's statement).
  auto stmt = Bound(sql, params, true);
  if (!stmt) return std::move(stmt).error();
  return std::unique_ptr<sql::Rows>(std::make_unique<SqliteRows>(connection_.handle(), *stmt));
}

Result<int64_t> SqliteDb::Execute(const std::string& sql, const sql::Params& params) {
  auto stmt = Bound(sql, params, false);
  if (!stmt) return std::move(stmt).error();
  SqliteRows rows(connection_.handle(), *stmt);
  for (;;) {
    auto row = rows.Next();
    if (!row) return std::move(row).error();
    if (!*row) break;
  }
  return static_cast<int64_t>(connection_.Changes());
}

Status SqliteDb::Defer(const std::string& sql, const sql::Params& params) {
  auto changed = Execute(sql, params);
  if (!changed) return std::move(changed).error();
  return Ok();
}

Result<std::optional<int64_t>> SqliteDb::Guard(const std::string& sql, const sql::Params& params) {
  auto changed = Execute(sql, params);
  if (!changed) return std::move(changed).error();
  guard_count_ = *changed;
  return guard_count_;
}

Result<int64_t> SqliteDb::GuardCount() {
  if (!guard_count_) return Error::Internal("GuardCount without a guard");
  return *guard_count_;
}

Status SqliteDb::UndoGuard() {
  // Guard returned the count: a caller that saw 0 wrote nothing after it.
  return Error::Internal("UndoGuard on SQLite, whose guard answers at once");
}

Result<std::optional<int64_t>> SqliteDb::InsertId(const std::string& sql,
                                                  const sql::Params& params) {
  auto changed = Execute(sql, params);
  if (!changed) return std::move(changed).error();
  if (*changed == 0) return std::optional<int64_t>();
  return std::optional<int64_t>(connection_.LastInsertId());
}

}  // namespace shipline::store::sqlite
