#pragma once

// Runs request handlers in fibers on the I/O threads (app/fiber.hpp): a
// handler runs where the request was read, and when it must wait (for the
// store's writer, or for an outside call handed to the blocking pool) its
// fiber parks and the I/O thread serves other connections. A woken fiber
// continues on whichever I/O thread is free. Each fiber has a stack of its
// own, taken from a pool of fixed-size stacks with a guard page.

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <memory>

#include "http/message.hpp"
#include "http/server.hpp"

namespace shipline::http {

class FiberStacks;

class FiberRunner {
 public:
  // Fibers continue on `io`'s threads; Offload runs on `blocking`.
  FiberRunner(boost::asio::io_context& io, boost::asio::thread_pool& blocking);
  ~FiberRunner();
  FiberRunner(const FiberRunner&) = delete;
  FiberRunner& operator=(const FiberRunner&) = delete;

  // Completes with handler(request), or with what it threw. Starts the
  // fiber at once, on the calling I/O thread.
  boost::asio::awaitable<Response> Run(const Handler& handler, Request& request);

  // Fibers started and not yet finished (running or parked). Thread-safe.
  size_t Live() const { return live_.load(); }

 private:
  boost::asio::io_context& io_;
  boost::asio::thread_pool& blocking_;
  std::unique_ptr<FiberStacks> stacks_;
  std::atomic<size_t> live_{0};
};

}  // namespace shipline::http
