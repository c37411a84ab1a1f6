#include "store/postgres/pg_pool.hpp"

namespace shipline::store::postgres {

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  {
    std::unique_lock lock(mutex_);
    bool ready = returned_.wait_for(lock, options_.wait,
                                    [&] { return !idle_.empty() || open_ < options_.max_size; });
    if (!ready) {
      return Error::Unavailable("the database is busy",
                                "postgres pool: all " + std::to_string(options_.max_size) +
                                    " connections in use for " +
                                    std::to_string(options_.wait.count()) + " ms");
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> connection = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(connection));
    }
    ++open_;  // reserved while connecting, outside the lock
  }
  auto opened = Connection::Open(options_.url, options_.connect);
  if (!opened) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    returned_.notify_one();
    return std::move(opened).error();
  }
  return Lease(this, std::move(*opened));
}

void ConnectionPool::Return(std::unique_ptr<Connection> connection) {
  {
    std::lock_guard lock(mutex_);
    // A broken connection, or one left inside a transaction by a failure
    // that could not even roll back, is closed rather than reused.
    if (!connection->Reusable()) {
      --open_;
    } else {
      idle_.push_back(std::move(connection));
    }
  }
  returned_.notify_one();
  // A closed connection is finished here, outside the lock, by its destructor.
}

}  // namespace shipline::store::postgres
