#pragma once

// The shared store for several shipline nodes: one PostgreSQL database.
//
// Reads run on a bounded pool of connections, each in a READ ONLY,
// REPEATABLE READ transaction (one snapshot for everything `fn` reads).
//
// Writes run at READ COMMITTED on `writers` connections of their own, each
// fed by one queue: a writer takes up to `max_batch` waiting callers and runs
// them in one transaction, each inside its own savepoint (a failing caller
// rolls back only its own changes), then commits once (group commit, as on
// SQLite: one WAL flush covers the whole group). Every caller is answered
// after that COMMIT returned, i.e. once the server has flushed it
// (synchronous_commit must stay on). The once-only guarantees come from the
// SQL itself, never from the queue: conditional UPDATEs, row locks taken by
// reads inside a write transaction (FOR NO KEY UPDATE), ON CONFLICT and
// SKIP LOCKED, so that they hold across nodes.
//
// Deadlocks, serialization failures and lock timeouts are retried: the
// group is rolled back and each caller is run again alone, up to
// `max_attempts` times with a short random backoff. Callers' functions may
// therefore run more than once; only the run that committed counts.
//
// Event ids are assigned in commit order: every transaction that inserts an
// event first takes a transaction-level advisory lock (see PgDb::OrderEvents), so
// a consumer reading by id from a saved position never skips an event that
// commits later with a smaller id.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/store.hpp"
#include "store/postgres/pg_connection.hpp"
#include "store/postgres/pg_pool.hpp"
#include "store/write_queue.hpp"

namespace shipline::store::postgres {

class PgStore final : public app::Store {
 public:
  struct Options {
    size_t readers = 16;               // pooled read connections at most
    size_t writers = 2;                // write transactions in flight at once
    size_t max_batch = 32;             // callers per write transaction; 1: a transaction per call
    size_t max_pending_writes = 8192;  // beyond this, Write fails fast
    std::chrono::milliseconds pool_wait{5'000};
    int max_attempts = 8;  // per caller, on deadlock, serialization failure, lock timeout
    ConnectOptions connect;
  };

  // Connects to `url`, applies pending migrations (under an advisory lock,
  // so that nodes starting together migrate once) and starts the writers.
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, Options options);
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url) {
    return Open(url, Options{});
  }
  ~PgStore() override;
  PgStore(const PgStore&) = delete;
  PgStore& operator=(const PgStore&) = delete;

  Status Read(const std::function<Status(app::StoreReader&)>& fn) override;
  Status RunWrite(const std::function<Status(app::StoreWriter&)>& fn) override;

 private:
  enum class GroupOutcome { kCommitted, kRunAlone };

  PgStore(std::string url, Options options);
  void WriterLoop();
  void RunGroup(std::unique_ptr<Connection>& connection, std::vector<WriteQueue::Pending*>& group);
  void RunGroupOnce(std::unique_ptr<Connection>& connection,
                    std::vector<WriteQueue::Pending*>& group, bool& wake);
  // Both set `wake` when a transaction that committed asks for the
  // consumers to be woken; RunGroup wakes them once every caller is answered.
  GroupOutcome TryGroup(Connection& connection, std::vector<WriteQueue::Pending*>& group,
                        bool& wake);
  Status RunAlone(std::unique_ptr<Connection>& connection,
                  const std::function<Status(app::StoreWriter&)>& fn, bool& wake);

  const std::string url_;
  const Options options_;
  ConnectionPool readers_;

  WriteQueue queue_;
  std::vector<std::thread> writer_threads_;
};

// Applies every migration newer than the database's version, each in its own
// transaction, holding a session advisory lock meanwhile. Safe to run from
// several processes at once.
Status Migrate(Connection& db);

}  // namespace shipline::store::postgres
