#include "store/postgres/pg_store.hpp"

#include <random>

#include "app/log.hpp"
#include "app/named_thread.hpp"
#include "store/guarded_call.hpp"
#include "store/postgres/pg_db.hpp"
#include "store/transaction_on.hpp"

namespace shipline::store::postgres {

namespace {

// Ends a transaction that will not commit; a failure here leaves the
// connection in a state the next BEGIN or the pool notices.
void Rollback(Connection& db) {
  db.DropQueued();
  if (PQtransactionStatus(db.handle()) != PQTRANS_IDLE) (void)db.Exec("ROLLBACK");
}

// Undoes one caller of a group transaction. What is still queued goes out
// first: it may hold the savepoint itself, and the previous caller's
// release (without which the rollback would undo that caller too).
Status RollbackToSavepoint(Connection& db) {
  (void)db.Flush();
  return db.Exec("ROLLBACK TO SAVEPOINT unit; RELEASE SAVEPOINT unit");
}

bool InFailedTransaction(Connection& db) {
  return PQtransactionStatus(db.handle()) == PQTRANS_INERROR;
}

Error HiddenFailure() {
  return Error::Internal(
      "a statement failed inside a write whose function reported success; rolled back");
}

Error OutcomeUnknown(const Error& cause) {
  return Error::Unavailable("the database connection was lost while committing",
                            "commit outcome unknown: " + cause.detail);
}

// A short random pause before running a transaction again, so that two
// transactions that deadlocked do not collide again at once.
void Backoff(int attempt) {
  thread_local std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> millis(1, 5 * attempt);
  std::this_thread::sleep_for(std::chrono::milliseconds(millis(random)));
}

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, Options options) {
  auto db = Connection::Open(url, options.connect);
  if (!db) return std::move(db).error();
  SHIPLINE_RETURN_IF_ERROR(Migrate(**db));
  options.writers = std::max<size_t>(1, options.writers);
  options.max_batch = std::max<size_t>(1, options.max_batch);
  options.max_attempts = std::max(1, options.max_attempts);
  return std::unique_ptr<PgStore>(new PgStore(url, options));
}

PgStore::PgStore(std::string url, Options options)
    : url_(std::move(url)),
      options_(options),
      readers_({url_, options_.connect, std::max<size_t>(1, options_.readers), options_.pool_wait}),
      queue_(options_.max_pending_writes, options_.max_batch) {
  for (size_t i = 0; i < options_.writers; ++i) {
    writer_threads_.push_back(app::NamedThread("pg-writer", [this] { WriterLoop(); }));
  }
}

PgStore::~PgStore() {
  queue_.Stop();
  for (auto& thread : writer_threads_) thread.join();
}

Status PgStore::Read(const std::function<Status(app::StoreReader&)>& fn) {
  // A connection that broke while idle in the pool fails at BEGIN: that
  // read runs once more on a fresh connection.
  for (int attempt = 0;; ++attempt) {
    auto lease = readers_.Acquire();
    if (!lease) return std::move(lease).error();
    Connection& db = **lease;
    db.StartTransaction();
    db.DropQueued();  // nothing of an earlier transaction
    // Sent with the first query (a connection that broke while idle fails
    // there, with kConnection).
    db.Queue("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    TransactionOn<PgDb> tx(secret_cipher(), db, false);
    Status status = GuardedCall<app::StoreReader>(fn, tx.writer());
    if (db.TransactionFailure() == FailureKind::kConnection) {
      if (attempt == 0) continue;
      return status.ok() ? Status(Error::Unavailable("the database is unavailable",
                                                     "connection lost during a read"))
                         : status;
    }
    // What was read stays read whatever the end's answer: the read does
    // not wait for it.
    Status ended = InFailedTransaction(db) ? db.Exec("ROLLBACK") : db.SendWithoutWaiting("COMMIT");
    return status.ok() ? ended : status;
  }
}

Status PgStore::RunWrite(const std::function<Status(app::StoreWriter&)>& fn) {
  return queue_.Submit(fn);
}

void PgStore::WriterLoop() {
  std::unique_ptr<Connection> connection;
  std::vector<WriteQueue::Pending*> group;
  while (queue_.Take(group)) {
    auto started = std::chrono::steady_clock::now();
    size_t callers = group.size();
    RunGroup(connection, group);
    RecordCommit(callers, SecondsSince(started));
    group.clear();
  }
}

void PgStore::RunGroup(std::unique_ptr<Connection>& connection,
                       std::vector<WriteQueue::Pending*>& group) {
  bool wake = false;
  RunGroupOnce(connection, group, wake);
  // Callers first: the consumers woken may take this core.
  if (wake) WakeConsumers();
}

void PgStore::RunGroupOnce(std::unique_ptr<Connection>& connection,
                           std::vector<WriteQueue::Pending*>& group, bool& wake) {
  if (group.size() > 1) {
    if (!connection || connection->Broken()) {
      auto opened = Connection::Open(url_, options_.connect);
      if (opened) connection = std::move(*opened);
    }
    if (connection && !connection->Broken() &&
        TryGroup(*connection, group, wake) == GroupOutcome::kCommitted) {
      // A caller answered returns and its WriteQueue::Pending goes: pick the
      // deferred ones out first.
      std::vector<WriteQueue::Pending*> deferred;
      for (auto* pending : group) {
        if (pending->deferred) {
          deferred.push_back(pending);
        } else {
          pending->Answer(std::move(pending->result));
        }
      }
      for (auto* pending : deferred) {
        pending->Answer(RunAlone(connection, *pending->fn, wake));
      }
      return;
    }
    for (auto* pending : group) pending->deferred = false;
  }
  // One caller, or a group that met a deadlock or lost its connection before
  // committing (so nothing of it was applied): each caller on its own.
  for (auto* pending : group) pending->Answer(RunAlone(connection, *pending->fn, wake));
}

PgStore::GroupOutcome PgStore::TryGroup(Connection& db, std::vector<WriteQueue::Pending*>& group,
                                        bool& wake) {
  db.StartTransaction();
  db.Queue("BEGIN");  // sent with the first caller's first statement
  TransactionOn<PgDb> tx(secret_cipher(), db, true);
  tx.db().set_in_group(true);
  for (auto* pending : group) {
    db.StartTransaction();  // this caller's failures only: the ones before are closed
    const bool held_event_lock = tx.db().holds_event_lock();
    // Sent with the caller's first statement; the caller's deferred ones
    // are sent before its savepoint closes, so their failures are its own.
    db.Queue("SAVEPOINT unit");
    Status status = GuardedCall(*pending->fn, tx.writer());
    if (status.ok()) status = db.Flush();
    FailureKind failure = db.TransactionFailure();
    if (failure == FailureKind::kConnection) {
      Rollback(db);
      return GroupOutcome::kRunAlone;
    }
    if (failure == FailureKind::kRetryable) {
      // A deadlock, or a row wait cut short while the group held the event
      // lock: this caller gives way, the rest of the group goes on, and the
      // caller runs alone after the group committed.
      if (!RollbackToSavepoint(db).ok()) {
        Rollback(db);
        return GroupOutcome::kRunAlone;
      }
      tx.db().set_holds_event_lock(held_event_lock);
      pending->deferred = true;
      continue;
    }
    if (status.ok() && InFailedTransaction(db)) status = HiddenFailure();
    // A release goes with the next caller's first statement or the commit.
    if (status.ok()) db.Queue("RELEASE SAVEPOINT unit");
    Status closed = status.ok() ? Ok() : RollbackToSavepoint(db);
    if (!closed.ok()) {
      Rollback(db);
      return GroupOutcome::kRunAlone;
    }
    if (!status.ok()) tx.db().set_holds_event_lock(held_event_lock);  // rolled back with it
    pending->result = std::move(status);
  }
  auto committed = db.Commit();
  if (committed.ok()) {
    wake = wake || tx.db().wakes_consumers();
    return GroupOutcome::kCommitted;
  }
  if (db.LastFailure() == FailureKind::kConnection) {
    // The server may have committed before the connection dropped: running
    // the group again could apply it twice. Every caller learns it failed.
    for (auto* pending : group) pending->result = OutcomeUnknown(committed.error());
    return GroupOutcome::kCommitted;
  }
  Rollback(db);
  return GroupOutcome::kRunAlone;
}

Status PgStore::RunAlone(std::unique_ptr<Connection>& connection,
                         const std::function<Status(app::StoreWriter&)>& fn, bool& wake) {
  Status last = Ok();
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (!connection || connection->Broken()) {
      auto opened = Connection::Open(url_, options_.connect);
      if (!opened) return std::move(opened).error();
      connection = std::move(*opened);
    }
    Connection& db = *connection;
    db.StartTransaction();
    db.Queue("BEGIN");  // sent with the first statement
    TransactionOn<PgDb> tx(secret_cipher(), db, true);
    Status status = GuardedCall(fn, tx.writer());
    // The deferred statements still queued go out with the COMMIT: one
    // that fails there fails the commit with its own error (the only caller
    // is this one), and one that is retryable runs the write again.
    FailureKind failure = db.TransactionFailure();
    if (failure == FailureKind::kConnection) {
      // Lost before COMMIT was sent: nothing was applied, run it again.
      last = status.ok() ? Status(Error::Unavailable("the database is unavailable",
                                                     "connection lost during a write"))
                         : status;
      continue;
    }
    if (failure == FailureKind::kRetryable) {
      Rollback(db);
      last = status.ok() ? Status(Error::Unavailable("the database is busy", "retryable failure"))
                         : status;
      Backoff(attempt);
      continue;
    }
    if (!status.ok()) {
      Rollback(db);  // drops what was queued, unsent
      return status;
    }
    if (InFailedTransaction(db)) {
      Rollback(db);
      return HiddenFailure();
    }
    Status committed = db.Commit();
    if (committed.ok()) {
      wake = wake || tx.db().wakes_consumers();
      return status;
    }
    FailureKind commit_failure = db.LastFailure();
    if (commit_failure == FailureKind::kConnection) return OutcomeUnknown(committed.error());
    Rollback(db);
    if (commit_failure != FailureKind::kRetryable) return committed;
    last = std::move(committed);
    Backoff(attempt);
  }
  Error error = std::move(last).error();
  app::LogWarn("write given up after retries",
               app::LogFields().Add("attempts", options_.max_attempts).Add("detail", error.detail));
  if (error.code == ErrorCode::kInternal) {
    error = Error::Unavailable("the database is busy", std::move(error.detail));
  }
  return error;
}

}  // namespace shipline::store::postgres
