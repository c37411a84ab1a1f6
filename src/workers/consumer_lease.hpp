#pragma once

// The lease that lets one node at a time advance a position-based consumer
// (the email handler, the broker publisher) when several nodes share one
// database. Every node runs the consumer; only the lease holder reads and
// handles events, and the others wait, ready to take over once the holder
// stops renewing (it crashed, or was stopped and gave the lease up).
//
// Hold() is called before each event: it renews the lease once less than
// two thirds of it remain, so a handler that starts an event has at least
// that long before another node could take the consumer over. The lease
// length must exceed the longest time one event can take (the SMTP or
// broker timeout). Nodes' clocks must agree to well within a lease.
// On SQLite (one node) the store grants the lease unconditionally.
//
// Not thread-safe: owned by the consumer's thread.

#include <chrono>
#include <cstdint>
#include <string>

#include "app/clock.hpp"
#include "app/store.hpp"

namespace shipline::workers {

class ConsumerLease {
 public:
  ConsumerLease(app::Store& store, app::Clock& clock, std::string consumer,
                std::chrono::milliseconds length);

  // True while this process holds the lease, taking or renewing it as
  // needed; false while another node holds it. Fails when the store does.
  Result<bool> Hold();
  // Gives the lease up (on a clean stop), so another node takes over at once.
  void Release();

  const std::string& owner() const { return owner_; }

 private:
  app::Store& store_;
  app::Clock& clock_;
  const std::string consumer_;
  const std::string owner_;  // host, process and a random part
  const int64_t length_ms_;
  int64_t held_until_ = 0;  // 0: not held
};

}  // namespace shipline::workers
