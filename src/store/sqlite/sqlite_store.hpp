#pragma once

// The embedded default store: one SQLite database file in WAL mode.
//
// Writes go through one writer thread that commits groups of callers'
// functions in a single durable transaction (group commit): each function runs
// inside its own savepoint, so one caller's failure rolls back only its own
// changes, and every caller is answered after the shared COMMIT has synced.
// Reads run on a pool of read-only connections, each in its own snapshot.
// Other processes (the CLI) may write the same file at the same time; SQLite's
// locks and a busy timeout order them.

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/store.hpp"
#include "store/sqlite/connection.hpp"
#include "store/write_queue.hpp"

namespace shipline::store::sqlite {

class SqliteStore final : public app::Store {
 public:
  struct Options {
    size_t max_batch = 256;            // functions per group commit
    size_t max_pending_writes = 8192;  // beyond this, Write fails fast
    size_t max_readers = 64;           // pooled read connections
  };

  // Opens the database at `path` and applies pending migrations.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Options options);
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path) {
    return Open(path, Options{});
  }
  ~SqliteStore() override;

  Status Read(const std::function<Status(app::StoreReader&)>& fn) override;
  Status RunWrite(const std::function<Status(app::StoreWriter&)>& fn) override;

 private:
  SqliteStore(std::string path, Options options, std::unique_ptr<Connection> writer);
  void WriterLoop();
  void CommitBatch(std::vector<WriteQueue::Pending*>& batch);
  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> connection);

  const std::string path_;
  const Options options_;
  std::unique_ptr<Connection> writer_;

  WriteQueue queue_;
  std::thread writer_thread_;

  std::mutex read_mutex_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;
};

// Applies every migration newer than the database's version, each in its own
// transaction. Safe to run from several processes: the version is checked and
// written under the write lock.
Status Migrate(Connection& db);

}  // namespace shipline::store::sqlite
