#pragma once

// Wakes this node's event consumers when any node commits events: a
// connection of its own LISTENs on the events channel, and every
// notification (which carries nothing: consumers read the events table)
// calls `wake`. The connection is reopened after a failure, and `wake` is
// called after each reconnect since notifications may have been missed.

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "store/postgres/pg_connection.hpp"

namespace shipline::store::postgres {

class EventListener {
 public:
  EventListener(std::string url, ConnectOptions options, std::function<void()> wake);
  ~EventListener();
  EventListener(const EventListener&) = delete;
  EventListener& operator=(const EventListener&) = delete;

 private:
  void Loop();
  // Waits for notifications on `connection` until it fails or Stop; true
  // when stopping.
  bool Listen(Connection& connection);

  const std::string url_;
  const ConnectOptions options_;
  const std::function<void()> wake_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace shipline::store::postgres
