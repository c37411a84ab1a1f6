#include "main/descriptor_budget.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <limits>

namespace shipline::main {

namespace {

// The process itself: standard streams, log, event loops (an epoll, an
// eventfd and timers per loop), listening sockets, the signal pipe, the data
// folder lock, mail files being written, the broker and SMTP connections,
// and a connection being refused by the acceptor.
constexpr size_t kProcessBase = 64;

// A database connection: SQLite opens the database file and its write-ahead
// log per connection (and a shared-memory index per process); PostgreSQL one
// socket.
constexpr size_t kPerDatabaseConnection = 3;

// The metrics listener's own connection limit (main/metrics_setup.cpp).
constexpr size_t kMetricsConnections = 64;

// Fewer connections than this would leave the server useless: below it, the
// limit stays here and accept's own guard takes over.
constexpr size_t kMinimumConnections = 16;

}  // namespace

size_t RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return std::numeric_limits<size_t>::max();
  if (limit.rlim_cur < limit.rlim_max) {
    rlimit raised = limit;
    raised.rlim_cur = limit.rlim_max;
    // An unlimited hard limit cannot be the soft one for descriptors: then
    // the raise fails and the limit stays as it was.
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) limit = raised;
  }
  if (limit.rlim_cur == RLIM_INFINITY) return std::numeric_limits<size_t>::max();
  return static_cast<size_t>(limit.rlim_cur);
}

size_t DescriptorsReserved(const ServeConfig& config) {
  size_t reserved = kProcessBase;
  if (config.metrics_listen != "off") reserved += kMetricsConnections;
  // The pools, the writer and one listening or maintenance connection.
  reserved += kPerDatabaseConnection * (config.database.readers + config.database.writers + 2);
  // Webhook requests in flight; any handler may make one outbound call
  // (payment capture, delivery provider, label fetch) at a time.
  reserved += config.webhook_concurrency + config.handler_threads;
  return reserved;
}

size_t ConnectionsThatFit(size_t wanted, size_t open_file_limit, size_t reserved) {
  if (open_file_limit >= reserved && open_file_limit - reserved >= wanted) return wanted;
  size_t left = open_file_limit > reserved ? open_file_limit - reserved : 0;
  return std::min(wanted, std::max(left, kMinimumConnections));
}

}  // namespace shipline::main
