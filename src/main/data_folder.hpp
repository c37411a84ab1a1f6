#pragma once

// The data folder: DIR/shipline.db and DIR/mail/. Shared by every command.
// With --database postgres://..., the store is that database instead (the
// folder still holds DIR/mail/ when mail goes to files).

#include <memory>
#include <string>

#include "app/event_signal.hpp"
#include "app/store.hpp"
#include "main/commands.hpp"
#include "store/postgres/pg_listener.hpp"

namespace shipline::main {

// Opens (migrating) the PostgreSQL database `database.url` when it is set;
// otherwise creates the folder if needed and opens DIR/shipline.db.
// kInvalidArgument for a database URL that is not postgres://.
Result<std::unique_ptr<app::Store>> OpenStore(const std::string& data,
                                              const DatabaseConfig& database = {});

// True when the store is shared by several nodes (PostgreSQL): no folder
// lock then, and nothing at start-up may assume this node is alone.
bool IsSharedDatabase(const DatabaseConfig& database);

// Wakes `signal` whenever any node commits events to the shared database
// (LISTEN/NOTIFY); nullptr for SQLite. Destroy it before `signal`.
std::unique_ptr<store::postgres::EventListener> WakeOnRemoteEvents(const DatabaseConfig& database,
                                                                   app::EventSignal& signal);

// An exclusive lock on DIR/shipline.lock, held while one `serve` uses the
// folder: two servers on one embedded database would both run its workers.
class FolderLock {
 public:
  explicit FolderLock(int fd) : fd_(fd) {}
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_;
};

// kUnavailable when another process holds the lock.
Result<std::unique_ptr<FolderLock>> LockForServing(const std::string& data);

// Routes spdlog to standard error as one JSON object per line, written in
// batches by a background thread (app/log_buffer.hpp); warnings and errors are
// written before their call returns. Call app::FlushLog() before exiting.
void SetUpJsonLogging();

}  // namespace shipline::main
