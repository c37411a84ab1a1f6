#pragma once

// The HTTP/1.1 transport: accepts connections on a few I/O threads, reads one
// request at a time per connection with limits on header and body size and a
// timeout on every read and write, runs the handler (on a separate pool, so
// that blocking calls never stall the I/O threads, or in a fiber on the I/O
// thread, which parks where it would block: http/fiber_runner.hpp), and
// writes the answer.
// Every response carries X-Request-Id; every request is logged as one line.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "http/message.hpp"

namespace shipline::http {

// The body of an answer the transport gives before any handler runs (413,
// 431, 400 for a request that is not HTTP), given the request's target (or
// empty when none could be read).
using TransportErrorBody =
    std::function<Response(std::string_view target, int status, const std::string& message)>;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port
  size_t io_threads = 2;
  // Threads that run handlers; with handlers_in_fibers, the blocking work
  // that fibers hand off (app::Blocking).
  size_t handler_threads = 64;
  // Handlers run in fibers on the I/O threads. For a store that does not
  // block its callers on the network (SQLite): every handler's wait on the
  // writer parks its fiber, and outside calls go through app::Blocking.
  bool handlers_in_fibers = false;
  size_t body_limit = 1 << 20;     // 1 MiB: larger bodies get 413
  size_t header_limit = 16 << 10;  // 16 KiB: larger headers get 431
  int read_timeout_seconds = 30;   // per request, headers and body together
  int idle_timeout_seconds = 60;   // between requests on a kept-alive connection
  // At this total, the connection idle the longest (waiting for a request
  // for at least a second) is closed to make room for a new one, which is
  // refused only when none is waiting.
  size_t max_connections = 10'000;
  size_t max_connections_per_client = 256;  // open connections from one address
  bool access_log = true;                   // one log line per request
  TransportErrorBody transport_error;       // unset: {"error": message}
  // Stop on SIGINT/SIGTERM; a secondary listener (metrics) is stopped by its owner.
  bool stop_on_signals = true;
};

using Handler = std::function<Response(Request&)>;

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; returns the bound "host:port" (useful with port 0).
  Result<std::string> Listen();

  // Serves until Stop() is called or SIGINT/SIGTERM arrives; then stops
  // accepting, lets requests in flight finish (up to a few seconds) and returns.
  void Run();
  void Stop();

  // Connections open right now. Thread-safe.
  size_t OpenConnections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shipline::http
