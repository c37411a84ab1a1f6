#include "store/sqlite/sqlite_store.hpp"

#include "app/named_thread.hpp"
#include "store/guarded_call.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/transaction_on.hpp"

namespace shipline::store::sqlite {

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Options options) {
  auto writer = Connection::Open(path, false);
  if (!writer) return std::move(writer).error();
  SHIPLINE_RETURN_IF_ERROR(Migrate(**writer));
  return std::unique_ptr<SqliteStore>(new SqliteStore(path, options, std::move(*writer)));
}

SqliteStore::SqliteStore(std::string path, Options options, std::unique_ptr<Connection> writer)
    : path_(std::move(path)),
      options_(options),
      writer_(std::move(writer)),
      queue_(options_.max_pending_writes, options_.max_batch) {
  writer_thread_ = app::NamedThread("sqlite-writer", [this] { WriterLoop(); });
}

SqliteStore::~SqliteStore() {
  queue_.Stop();
  writer_thread_.join();
}

Status SqliteStore::RunWrite(const std::function<Status(app::StoreWriter&)>& fn) {
  return queue_.Submit(fn);
}

void SqliteStore::WriterLoop() {
  std::vector<WriteQueue::Pending*> batch;
  while (queue_.Take(batch)) {
    auto started = std::chrono::steady_clock::now();
    size_t callers = batch.size();
    CommitBatch(batch);
    RecordCommit(callers, SecondsSince(started));
    batch.clear();
  }
}

void SqliteStore::CommitBatch(std::vector<WriteQueue::Pending*>& batch) {
  std::vector<Status> results;
  results.reserve(batch.size());
  Status begun = writer_->Run("BEGIN IMMEDIATE");
  if (!begun.ok()) {
    for (auto* pending : batch) pending->Answer(begun);
    return;
  }
  TransactionOn<SqliteDb> tx(secret_cipher(), *writer_, true);
  for (auto* pending : batch) {
    Status status = writer_->Run("SAVEPOINT unit");
    if (status.ok()) {
      status = GuardedCall(*pending->fn, tx.writer());
      Status closed = status.ok() ? writer_->Run("RELEASE unit")
                                  : writer_->Exec("ROLLBACK TO unit; RELEASE unit");
      if (!closed.ok() && status.ok()) status = closed;
    }
    results.push_back(std::move(status));
  }
  Status committed = writer_->Run("COMMIT");
  if (!committed.ok()) {
    (void)writer_->Exec("ROLLBACK");
    for (auto* pending : batch) pending->Answer(committed);
    return;
  }
  // Callers first: the consumers woken may take this core, and the callers
  // (and the next group) are what the writer holds up.
  const bool wake = tx.db().wakes_consumers();
  for (size_t i = 0; i < batch.size(); ++i) batch[i]->Answer(std::move(results[i]));
  if (wake) WakeConsumers();
}

Result<std::unique_ptr<Connection>> SqliteStore::AcquireReader() {
  {
    std::lock_guard lock(read_mutex_);
    if (!idle_readers_.empty()) {
      auto connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return connection;
    }
  }
  return Connection::Open(path_, true);
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> connection) {
  std::lock_guard lock(read_mutex_);
  if (idle_readers_.size() < options_.max_readers) idle_readers_.push_back(std::move(connection));
}

Status SqliteStore::Read(const std::function<Status(app::StoreReader&)>& fn) {
  auto connection = AcquireReader();
  if (!connection) return std::move(connection).error();
  SHIPLINE_RETURN_IF_ERROR((*connection)->Run("BEGIN"));
  TransactionOn<SqliteDb> tx(secret_cipher(), **connection, false);
  Status status = GuardedCall<app::StoreReader>(fn, tx.writer());
  Status ended = (*connection)->Run("COMMIT");
  if (ended.ok()) ReleaseReader(std::move(*connection));
  return status.ok() ? ended : status;
}

}  // namespace shipline::store::sqlite
