#pragma once

// How a position-based consumer (the email handler, the broker publisher)
// reads the events table: under its lease (see ConsumerLease), the next
// batch of events after the position it saved under its name.
//
// The reader only reads. The consumer's handler does the work and saves the
// new position itself, in the same transaction as the work's record where
// it has one (the email handler records the email with its position), so
// that a crash never loses or repeats what was recorded.
//
// Not thread-safe: owned by the consumer's thread (or a test's).

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "app/clock.hpp"
#include "app/store.hpp"
#include "domain/event.hpp"
#include "workers/consumer_lease.hpp"

namespace shipline::workers {

class PositionReader {
 public:
  // Handles `events` (in id order, never empty) and returns how many of them
  // it finished, saving the position past them; fails when it could not
  // finish the first (the next read starts from the same place).
  using Handler = std::function<Result<int>(const std::vector<domain::Event>& events)>;

  // `lease`: see ConsumerLease. `batch`: at most this many events per read.
  PositionReader(app::Store& store, app::Clock& clock, std::string consumer,
                 std::chrono::milliseconds lease, int batch);

  // One round: when this process holds the lease, reads up to `batch`
  // events after the saved position and passes them to `handle`. Returns
  // what `handle` returned; 0 when another node holds the lease or nothing is
  // pending. Fails when the store or `handle` does.
  Result<int> Next(const Handler& handle);

  // The lease check a handler that works through its events one by one makes
  // before each (Next has made it before the batch): renews the lease as
  // needed, so that it outlasts the event. False once another node holds it:
  // the handler must stop there.
  Result<bool> Renew() { return lease_.Hold(); }

  // Gives the lease up (on a clean stop).
  void Release() { lease_.Release(); }

  const std::string& consumer() const { return consumer_; }

 private:
  app::Store& store_;
  const std::string consumer_;
  const int batch_;
  ConsumerLease lease_;
};

}  // namespace shipline::workers
