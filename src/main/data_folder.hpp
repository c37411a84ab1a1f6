#pragma once

// The data folder: DIR/shipline.db and DIR/mail/. Shared by every command.

#include <memory>
#include <string>

#include "app/store.hpp"

namespace shipline::main {

// Creates the folder if needed and opens (migrating) DIR/shipline.db.
Result<std::unique_ptr<app::Store>> OpenStore(const std::string& data);

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

// Routes spdlog to standard error as one JSON object per line.
void SetUpJsonLogging();

}  // namespace shipline::main
