#pragma once

// A thin RAII layer over libpq: one Connection owns a PGconn and the
// statements it prepared, and sends a statement's parameters (sql::Params)
// in libpq's text format; Rows owns a result. Failures surface as Status values with
// PostgreSQL's message and SQLSTATE in the detail, and the Connection
// remembers what kind of failure happened in the current transaction (so the
// store can retry a deadlock even when a caller swallowed the error).
//
// Statements whose answer nobody waits for (BEGIN, SAVEPOINT, RELEASE, a
// write whose count of changed rows does not matter) can be queued: they go
// out in one pipeline with the next statement that needs its answer, or with
// Flush, so that a transaction costs one round trip per answer it needs
// rather than one per statement. A queued statement's failure fails the call
// that sends it. A Connection is used by one thread at a time.

#include <libpq-fe.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/result.hpp"
#include "store/sql/params.hpp"

namespace shipline::store::postgres {

// The rows (or the command result) of one statement.
class Rows {
 public:
  explicit Rows(PGresult* result) : result_(result) {}
  Rows(Rows&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Rows& operator=(Rows&& other) noexcept;
  Rows(const Rows&) = delete;
  Rows& operator=(const Rows&) = delete;
  ~Rows() { PQclear(result_); }

  int size() const { return PQntuples(result_); }
  bool empty() const { return size() == 0; }
  // Rows an INSERT, UPDATE or DELETE changed.
  int64_t Affected() const;

  bool IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  int64_t Int(int row, int column) const;
  std::optional<int64_t> OptionalInt(int row, int column) const;
  double Double(int row, int column) const;
  bool Bool(int row, int column) const;
  std::string Text(int row, int column) const;

  const PGresult* get() const { return result_; }

 private:
  PGresult* result_;
};

// What a failed statement means to the store.
enum class FailureKind {
  kNone,
  kRetryable,        // serialization failure, deadlock, lock timeout: run it again
  kUniqueViolation,  // a unique key is taken
  kConnection,       // the connection is gone: the transaction's outcome may be unknown
  kOther,
};

struct ConnectOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds statement_timeout{30'000};
  std::chrono::milliseconds lock_timeout{10'000};
  // A node that dies mid-transaction must not hold row locks for long.
  std::chrono::milliseconds idle_in_transaction_timeout{60'000};
};

class Connection {
 public:
  // Connects to `url` (a postgres:// URL or a libpq keyword string) and sets
  // the session's timeouts. kUnavailable when the server cannot be reached.
  static Result<std::unique_ptr<Connection>> Open(const std::string& url,
                                                  const ConnectOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs `sql` with `params`, preparing it once per connection (statements
  // are cached by their text). kAlreadyExists never comes from here: callers
  // that expect a unique violation ask LastFailure().
  Result<Rows> Query(const std::string& sql, const sql::Params& params = {});
  // Runs SQL text without parameters (one or more statements), after the
  // queued ones.
  Status Exec(std::string_view sql);
  // Commits the open transaction, in one round trip with the queued
  // statements. Fails when the server rolled it back instead (it had
  // failed), as well as on any error.
  Status Commit();

  // Queues one statement (one only: a pipeline takes no lists) to be sent
  // with the next one that needs an answer.
  void Queue(std::string sql, sql::Params params = {});
  // Queues a statement whose answer a later Query with the same text and
  // parameters takes (without sending anything when it has come already).
  void Prefetch(std::string sql, sql::Params params);
  // Sends the queued statements now and waits for their answers.
  Status Flush();
  // Forgets the queued statements unsent, and prefetched answers untaken:
  // for a transaction (or the part of one) being rolled back, where they
  // would change nothing.
  void DropQueued();
  // Sends the queued statements and `sql` (COMMIT of a read-only
  // transaction, whose answer changes nothing for its caller) without
  // waiting: the answers are read, and a failure logged, when the
  // connection is next used.
  Status SendWithoutWaiting(std::string sql);

  // Usable by another transaction: connected, and outside a transaction (or
  // only waiting for the answer to one's end).
  bool Reusable() const;

  // Forgets failures (and untaken prefetched answers) of the previous
  // transaction, or of the previous caller of a group; called at BEGIN and
  // at each caller's SAVEPOINT.
  void StartTransaction() {
    transaction_failure_ = FailureKind::kNone;
    prefetched_.clear();
  }
  // The kind of the last failed statement, and the most serious since
  // StartTransaction (kRetryable and kConnection win over the rest).
  FailureKind LastFailure() const { return last_failure_; }
  FailureKind TransactionFailure() const { return transaction_failure_; }
  // Rows changed by INSERT, UPDATE and DELETE since the connection opened.
  int64_t Changes() const { return changes_; }

  bool Broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  PGconn* handle() { return conn_; }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  struct Statement {
    std::string sql;
    sql::Params params;
    std::string prefetch_key;  // "" unless Prefetch queued it
  };

  Error Fail(const PGresult* result, std::string_view what);
  // The statement's prepared name; `fresh` when it still has to be prepared.
  const std::string& NameOf(const std::string& sql, bool& fresh);
  Result<Rows> Run(const std::string& sql, const sql::Params& params);
  // Sends the queued statements, then the last one (when given), in one
  // pipeline; returns the last one's result (an empty one without).
  Result<Rows> RunPipeline(const std::string* last_sql, const sql::Params* last_params);
  Result<Rows> Counted(Rows rows);
  // The answer Prefetch asked for `sql` with `params` (sent now when still
  // queued), or nullopt when none was asked for (or it failed).
  Result<std::optional<Rows>> Prefetched(const std::string& sql, const sql::Params& params);
  // Reads the answers SendWithoutWaiting left unread.
  void Settle();

  PGconn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // sql -> statement name
  int64_t statements_named_ = 0;
  std::vector<Statement> queued_;
  size_t prefetches_queued_ = 0;
  std::unordered_map<std::string, Rows> prefetched_;  // prefetch key -> answer
  bool unread_answers_ = false;  // SendWithoutWaiting's, still in pipeline mode
  FailureKind last_failure_ = FailureKind::kNone;
  FailureKind transaction_failure_ = FailureKind::kNone;
  int64_t changes_ = 0;
};

// Removes the password from a connection URL or keyword string, for logs.
std::string RedactUrl(std::string_view url);

// True when `url` names a PostgreSQL database (postgres:// or postgresql://).
bool IsPostgresUrl(std::string_view url);

}  // namespace shipline::store::postgres
