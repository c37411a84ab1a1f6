#pragma once

// A bounded pool of PostgreSQL connections. At most `max_size` connections
// are open at once; a caller that finds them all in use waits up to `wait`
// and then fails with kUnavailable rather than queueing without bound.
// Connections are opened on demand, and one that broke is closed on return
// instead of going back to the pool. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/postgres/pg_connection.hpp"

namespace shipline::store::postgres {

class ConnectionPool {
 public:
  struct Options {
    std::string url;
    ConnectOptions connect;
    size_t max_size = 16;
    std::chrono::milliseconds wait{5'000};
  };

  // A connection taken from the pool; gives it back when destroyed.
  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> connection)
        : pool_(pool), connection_(std::move(connection)) {}
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (connection_) pool_->Return(std::move(connection_));
    }
    Connection& operator*() { return *connection_; }
    Connection* operator->() { return connection_.get(); }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> connection_;
  };

  explicit ConnectionPool(Options options) : options_(std::move(options)) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // An idle connection, a new one while fewer than max_size are open, or the
  // first one returned within `wait`. kUnavailable when none came in time or
  // the server cannot be reached.
  Result<Lease> Acquire();

  const Options& options() const { return options_; }

 private:
  void Return(std::unique_ptr<Connection> connection);

  const Options options_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;  // idle and leased
};

}  // namespace shipline::store::postgres
