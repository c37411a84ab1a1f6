#pragma once

// systemd's readiness protocol (sd_notify(3)) without libsystemd: datagrams
// such as "READY=1" sent to the AF_UNIX socket named by $NOTIFY_SOCKET, and a
// watchdog thread that sends "WATCHDOG=1" while the server is alive, when the
// unit sets WatchdogSec= (then $WATCHDOG_USEC is set). Outside systemd (no
// NOTIFY_SOCKET) every call does nothing.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace shipline::main {

class SystemdNotifier {
 public:
  // Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.
  SystemdNotifier();

  bool active() const { return !socket_path_.empty(); }

  // Sends one state ("READY=1", "STOPPING=1", "STATUS=...", "WATCHDOG=1").
  // False when it could not be sent (systemd then acts on its timeouts).
  // Safe to call from several threads.
  bool Notify(std::string_view state) const;

  // How often systemd wants WATCHDOG=1 at the latest; zero when it does not.
  std::chrono::microseconds watchdog_timeout() const { return watchdog_timeout_; }

 private:
  std::string socket_path_;  // '\0' first for an abstract socket
  std::chrono::microseconds watchdog_timeout_{0};
};

// Sends WATCHDOG=1 every half timeout while `alive()` answers true; a check
// that fails or hangs sends nothing, and systemd restarts the service once the
// timeout has passed. Does nothing without a watchdog timeout. The destructor
// stops the thread (waiting for a check in progress).
class Watchdog {
 public:
  Watchdog(const SystemdNotifier& notifier, std::function<bool()> alive);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

 private:
  void Run(std::chrono::microseconds interval);

  const SystemdNotifier& notifier_;
  std::function<bool()> alive_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

// True when an HTTP GET /readyz to `address` (HOST:PORT as the server's
// Listen() reports it; a wildcard host means loopback) gets an answer, any
// status, within `timeout`: an I/O thread and a handler thread are alive
// (/readyz runs on the handler pool). A 503 because the database is down
// counts as alive: the watchdog restarts a hung process, not an outage.
bool ServerAnswers(const std::string& address, std::chrono::milliseconds timeout);

}  // namespace shipline::main
