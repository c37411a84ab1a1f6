#include "store/postgres/pg_connection.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "app/log.hpp"

namespace shipline::store::postgres {

namespace {

FailureKind KindOf(std::string_view sqlstate) {
  if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
    return FailureKind::kRetryable;
  }
  if (sqlstate == "23505") return FailureKind::kUniqueViolation;
  if (sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
      sqlstate == "57P03") {
    return FailureKind::kConnection;
  }
  return FailureKind::kOther;
}

int Rank(FailureKind kind) {
  switch (kind) {
    case FailureKind::kNone:
      return 0;
    case FailureKind::kUniqueViolation:
    case FailureKind::kOther:
      return 1;
    case FailureKind::kRetryable:
      return 2;
    case FailureKind::kConnection:
      return 3;
  }
  return 1;
}

std::string Trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

// libpq prints the server's notices (and a dying connection's FATAL) to
// standard error; they go to the JSON log instead, one line each.
void LogNotice(void*, const char* message) {
  app::LogWarn("postgres notice", app::LogFields().Add("detail", Trimmed(message)));
}

// A statement's parameters in libpq's text format; NULL stays a null pointer.
class TextParams {
 public:
  explicit TextParams(const sql::Params& params) {
    const auto& values = params.values();
    texts_.reserve(values.size());
    for (const auto& value : values) {
      switch (value.kind) {
        case sql::Value::Kind::kNull:
          texts_.emplace_back();
          break;
        case sql::Value::Kind::kInt:
          texts_.push_back(std::to_string(value.integer));
          break;
        case sql::Value::Kind::kDouble: {
          char buffer[32];
          auto end = std::to_chars(buffer, buffer + sizeof buffer, value.real).ptr;
          texts_.emplace_back(buffer, end);
          break;
        }
        case sql::Value::Kind::kText:
          texts_.push_back(value.text);
          break;
      }
    }
    pointers_.reserve(values.size());
    for (size_t i = 0; i < texts_.size(); ++i) {
      pointers_.push_back(values[i].kind == sql::Value::Kind::kNull ? nullptr : texts_[i].c_str());
    }
  }

  int size() const { return static_cast<int>(pointers_.size()); }
  const char* const* get() const { return pointers_.data(); }

 private:
  std::vector<std::string> texts_;
  std::vector<const char*> pointers_;
};

// What tells one prefetched statement from another: its text and its
// parameters, each with its kind and length (so no two lists read alike).
std::string PrefetchKey(const std::string& sql, const sql::Params& params) {
  std::string key = sql;
  for (const auto& value : params.values()) {
    std::string text;
    switch (value.kind) {
      case sql::Value::Kind::kNull:
        break;
      case sql::Value::Kind::kInt:
        text = std::to_string(value.integer);
        break;
      case sql::Value::Kind::kDouble: {
        char buffer[32];
        text.assign(buffer, std::to_chars(buffer, buffer + sizeof buffer, value.real).ptr);
        break;
      }
      case sql::Value::Kind::kText:
        text = value.text;
        break;
    }
    key += '\0';
    key += static_cast<char>('0' + static_cast<int>(value.kind));
    key += std::to_string(text.size());
    key += ':';
    key += text;
  }
  return key;
}

}  // namespace

Rows& Rows::operator=(Rows&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

int64_t Rows::Affected() const {
  const char* text = PQcmdTuples(result_);
  int64_t count = 0;
  if (text != nullptr) std::from_chars(text, text + std::char_traits<char>::length(text), count);
  return count;
}

int64_t Rows::Int(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_, row, column), value);
  return value;
}

std::optional<int64_t> Rows::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}

double Rows::Double(int row, int column) const {
  return std::strtod(PQgetvalue(result_, row, column), nullptr);
}

bool Rows::Bool(int row, int column) const {
  const char* text = PQgetvalue(result_, row, column);
  return text[0] == 't' || text[0] == '1';
}

std::string Rows::Text(int row, int column) const {
  return std::string(PQgetvalue(result_, row, column),
                     static_cast<size_t>(PQgetlength(result_, row, column)));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url,
                                                     const ConnectOptions& options) {
  // Earlier keywords are defaults: what the URL says wins.
  std::string connect_timeout =
      std::to_string(std::max<int64_t>(1, options.connect_timeout.count() / 1000));
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {connect_timeout.c_str(), "shipline", url.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, 1);
  if (conn == nullptr) return Error::Internal("postgres connect: out of memory");
  PQsetNoticeProcessor(conn, LogNotice, nullptr);
  std::unique_ptr<Connection> connection(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    return Error::Unavailable(
        "the database is unavailable",
        "postgres connect " + RedactUrl(url) + ": " + Trimmed(PQerrorMessage(conn)));
  }
  std::string settings =
      "SET statement_timeout = " + std::to_string(options.statement_timeout.count()) +
      "; SET lock_timeout = " + std::to_string(options.lock_timeout.count()) +
      "; SET idle_in_transaction_session_timeout = " +
      std::to_string(options.idle_in_transaction_timeout.count()) +
      "; SET client_min_messages = warning";
  SHIPLINE_RETURN_IF_ERROR(connection->Exec(settings));
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

Error Connection::Fail(const PGresult* result, std::string_view what) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  FailureKind kind = state != nullptr ? KindOf(state) : FailureKind::kConnection;
  if (kind != FailureKind::kConnection && Broken()) kind = FailureKind::kConnection;
  last_failure_ = kind;
  if (Rank(kind) > Rank(transaction_failure_)) transaction_failure_ = kind;
  std::string message = result != nullptr ? Trimmed(PQresultErrorMessage(result)) : "";
  if (message.empty()) message = Trimmed(PQerrorMessage(conn_));
  std::string detail = "postgres " + std::string(what) + ": " + message;
  if (state != nullptr) detail += " (SQLSTATE " + std::string(state) + ")";
  if (kind == FailureKind::kConnection) {
    return Error::Unavailable("the database is unavailable", std::move(detail));
  }
  // disk_full: like SQLite's SQLITE_FULL, a condition that passes.
  if (state != nullptr && std::string_view(state) == "53100") {
    return Error::Of(ErrorReason::kStorageFull, "storage is full, retry later", std::move(detail));
  }
  return Error::Internal(std::move(detail));
}

Result<Rows> Connection::Query(const std::string& sql, const sql::Params& params) {
  Settle();
  auto prefetched = Prefetched(sql, params);
  if (!prefetched) return std::move(prefetched).error();
  if (*prefetched) {
    last_failure_ = FailureKind::kNone;
    return std::move(**prefetched);
  }
  if (!queued_.empty()) return RunPipeline(&sql, &params);
  return Run(sql, params);
}

void Connection::Prefetch(std::string sql, sql::Params params) {
  std::string key = PrefetchKey(sql, params);
  queued_.push_back({std::move(sql), std::move(params), std::move(key)});
  ++prefetches_queued_;
}

Result<std::optional<Rows>> Connection::Prefetched(const std::string& sql,
                                                   const sql::Params& params) {
  if (prefetches_queued_ == 0 && prefetched_.empty()) return std::optional<Rows>();
  const std::string key = PrefetchKey(sql, params);
  const bool queued = std::any_of(queued_.begin(), queued_.end(), [&](const Statement& statement) {
    return statement.prefetch_key == key;
  });
  if (queued) SHIPLINE_RETURN_IF_ERROR(Flush());
  auto found = prefetched_.find(key);
  if (found == prefetched_.end()) return std::optional<Rows>();
  std::optional<Rows> rows(std::move(found->second));
  prefetched_.erase(found);
  return rows;
}

void Connection::DropQueued() {
  queued_.clear();
  prefetches_queued_ = 0;
  prefetched_.clear();
}

const std::string& Connection::NameOf(const std::string& sql, bool& fresh) {
  auto found = prepared_.find(sql);
  fresh = found == prepared_.end();
  if (fresh) found = prepared_.emplace(sql, "s" + std::to_string(++statements_named_)).first;
  return found->second;
}

Result<Rows> Connection::Counted(Rows rows) {
  last_failure_ = FailureKind::kNone;
  changes_ += rows.Affected();
  return rows;
}

Result<Rows> Connection::Run(const std::string& sql, const sql::Params& params) {
  bool fresh = false;
  const std::string& name = NameOf(sql, fresh);
  if (fresh) {
    Rows prepared(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      Error error = Fail(prepared.get(), "prepare");
      prepared_.erase(sql);
      return error;
    }
  }
  TextParams values(params);
  Rows rows(PQexecPrepared(conn_, name.c_str(), values.size(), values.get(), nullptr, nullptr, 0));
  ExecStatusType status = PQresultStatus(rows.get());
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) return Fail(rows.get(), "query");
  return Counted(std::move(rows));
}

void Connection::Queue(std::string sql, sql::Params params) {
  queued_.push_back({std::move(sql), std::move(params), {}});
}

Status Connection::Flush() {
  if (queued_.empty()) return Ok();
  auto flushed = RunPipeline(nullptr, nullptr);
  if (!flushed) return std::move(flushed).error();
  return Ok();
}

Result<Rows> Connection::RunPipeline(const std::string* last_sql, const sql::Params* last_params) {
  Settle();
  std::vector<Statement> batch = std::move(queued_);
  queued_.clear();
  prefetches_queued_ = 0;
  if (PQenterPipelineMode(conn_) != 1) return Fail(nullptr, "pipeline");

  // Every message sent, in order; each gets exactly one result back.
  struct Sent {
    const std::string* sql;
    bool prepare;
    bool last;
    const std::string* prefetch_key;  // kept for a later Query when not empty
  };
  static const std::string kNotKept;
  std::vector<Sent> sent;
  auto send = [&](const std::string& sql, const sql::Params& params, bool last,
                  const std::string& prefetch_key) -> bool {
    if (params.size() == 0) {
      // Transaction control mostly: sent as it is, not prepared.
      sent.push_back({&sql, false, last, &prefetch_key});
      return PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    }
    bool fresh = false;
    const std::string& name = NameOf(sql, fresh);
    if (fresh) {
      sent.push_back({&sql, true, false, &kNotKept});
      if (PQsendPrepare(conn_, name.c_str(), sql.c_str(), 0, nullptr) != 1) return false;
    }
    TextParams values(params);
    sent.push_back({&sql, false, last, &prefetch_key});
    return PQsendQueryPrepared(conn_, name.c_str(), values.size(), values.get(), nullptr, nullptr,
                               0) == 1;
  };
  bool all_sent = true;
  for (const Statement& statement : batch) {
    all_sent = all_sent && send(statement.sql, statement.params, false, statement.prefetch_key);
  }
  if (all_sent && last_sql != nullptr) all_sent = send(*last_sql, *last_params, true, kNotKept);
  if (!all_sent || PQpipelineSync(conn_) != 1) return Fail(nullptr, "pipeline send");

  std::optional<Error> failure;
  Rows last_rows(nullptr);
  size_t next = 0;
  int nulls = 0;  // one ends each statement's answer; two in a row, nothing is coming
  for (;;) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) {
      if (++nulls < 2 && !Broken()) continue;
      if (!failure) failure = Fail(nullptr, "pipeline");
      return std::move(*failure);  // the connection is unusable: the pool drops it
    }
    nulls = 0;
    Rows rows(result);
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) break;
    if (next >= sent.size()) continue;  // not ours: cannot happen, but never index past
    const Sent& answered = sent[next++];
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    if (answered.prepare && !ok) prepared_.erase(*answered.sql);
    if (status == PGRES_PIPELINE_ABORTED) continue;
    if (!ok) {
      if (!failure) failure = Fail(result, answered.prepare ? "prepare" : "query");
      continue;
    }
    if (answered.prepare) continue;
    changes_ += rows.Affected();
    if (answered.last) last_rows = std::move(rows);
    if (!answered.prefetch_key->empty()) {
      prefetched_.insert_or_assign(*answered.prefetch_key, std::move(rows));
    }
  }
  if (PQexitPipelineMode(conn_) != 1 && !failure) failure = Fail(nullptr, "pipeline end");
  if (failure) return std::move(*failure);
  last_failure_ = FailureKind::kNone;
  return last_rows;
}

Status Connection::SendWithoutWaiting(std::string sql) {
  Settle();
  Queue(std::move(sql));
  bool plain = std::all_of(queued_.begin(), queued_.end(), [](const Statement& statement) {
    return statement.params.size() == 0 && statement.prefetch_key.empty();
  });
  if (!plain) return Flush();
  std::vector<Statement> batch = std::move(queued_);
  queued_.clear();
  if (PQenterPipelineMode(conn_) != 1) return Fail(nullptr, "pipeline");
  for (const Statement& statement : batch) {
    if (PQsendQueryParams(conn_, statement.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) !=
        1) {
      return Fail(nullptr, "pipeline send");
    }
  }
  if (PQpipelineSync(conn_) != 1) return Fail(nullptr, "pipeline send");
  unread_answers_ = true;
  return Ok();
}

void Connection::Settle() {
  if (!unread_answers_) return;
  unread_answers_ = false;
  std::string failure;
  int nulls = 0;  // as in RunPipeline
  for (;;) {
    PGresult* result = PQgetResult(conn_);
    if (result == nullptr) {
      if (++nulls < 2 && !Broken()) continue;
      return;  // broken: the pool drops the connection
    }
    nulls = 0;
    Rows rows(result);
    ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_PIPELINE_SYNC) break;
    if (status == PGRES_FATAL_ERROR && failure.empty()) failure = PQresultErrorMessage(result);
  }
  (void)PQexitPipelineMode(conn_);
  if (failure.empty()) return;
  app::LogWarn("postgres: ending a read transaction failed",
               app::LogFields().Add("detail", Trimmed(failure.c_str())));
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)Exec("ROLLBACK");
}

bool Connection::Reusable() const {
  if (Broken()) return false;
  return unread_answers_ || PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

Status Connection::Exec(std::string_view sql) {
  Settle();
  SHIPLINE_RETURN_IF_ERROR(Flush());
  std::string text(sql);
  Rows result(PQexec(conn_, text.c_str()));
  ExecStatusType status = PQresultStatus(result.get());
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return Fail(result.get(), "exec");
  }
  last_failure_ = FailureKind::kNone;
  return Ok();
}

Status Connection::Commit() {
  Settle();
  static const std::string kCommit = "COMMIT";
  static const sql::Params kNone;
  auto result = queued_.empty() ? Result<Rows>(Rows(PQexec(conn_, kCommit.c_str())))
                                : RunPipeline(&kCommit, &kNone);
  if (!result) return std::move(result).error();
  if (PQresultStatus(result->get()) != PGRES_COMMAND_OK) return Fail(result->get(), "commit");
  last_failure_ = FailureKind::kNone;
  if (std::string_view(PQcmdStatus(const_cast<PGresult*>(result->get()))) != "COMMIT") {
    return Error::Internal("postgres commit: the transaction had failed and was rolled back");
  }
  return Ok();
}

std::string RedactUrl(std::string_view url) {
  std::string text(url);
  // postgres://user:password@host/... -> postgres://user:***@host/...
  auto scheme = text.find("://");
  if (scheme != std::string::npos) {
    auto at = text.find('@', scheme + 3);
    auto colon = text.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      text.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // password=... in a keyword string or a URL's query
  for (size_t pos = text.find("password="); pos != std::string::npos;
       pos = text.find("password=", pos + 1)) {
    size_t start = pos + 9;
    size_t end = text.find_first_of(" &", start);
    text.replace(start, (end == std::string::npos ? text.size() : end) - start, "***");
  }
  return text;
}

bool IsPostgresUrl(std::string_view url) {
  return url.starts_with("postgres://") || url.starts_with("postgresql://");
}

}  // namespace shipline::store::postgres
