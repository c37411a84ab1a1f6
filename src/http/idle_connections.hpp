#pragma once

// The connections that wait for their next request, oldest first, so that the
// transport can close the one idle the longest when the connection limit is
// reached instead of refusing a new client while idle connections hold every
// slot.
//
// A connection embeds one Entry for its whole life and moves it in and out of
// the list around each wait: no allocation per request, one short lock per
// change. Thread-safe: connections on different I/O threads and the acceptor
// may call at once.

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>

namespace shipline::http {

class IdleConnections {
 public:
  using Clock = std::chrono::steady_clock;

  // A connection's place in the list. Owned by the connection; it must be
  // Removed before it is destroyed.
  class Entry {
   private:
    friend class IdleConnections;
    Entry* prev_ = nullptr;
    Entry* next_ = nullptr;
    Clock::time_point since_{};
    bool listed_ = false;
    bool evicted_ = false;
  };

  // `entry` waits for a request as of `now`: it is the newest idle entry. A
  // no-op for an entry already idle or evicted.
  void MarkIdle(Entry& entry, Clock::time_point now);

  // `entry` has a request to work on and leaves the list. False when it was
  // evicted before: its connection is being closed and must stop.
  [[nodiscard]] bool MarkBusy(Entry& entry);

  // `entry` leaves the list for good (its connection ends).
  void Remove(Entry& entry);

  // Takes the entry idle the longest, when it has been idle for at least
  // `grace` as of `now`, marks it evicted and calls `evict` with it while the
  // lock is still held (so the entry cannot be Removed meanwhile: `evict` only
  // schedules the close, it must not call back into this list). False, calling
  // nothing, when no entry qualifies.
  bool EvictOldest(Clock::time_point now, Clock::duration grace,
                   const std::function<void(Entry&)>& evict);

  // Entries idle right now.
  size_t Idle() const;

 private:
  void Unlink(Entry& entry);  // with mutex_ held

  mutable std::mutex mutex_;
  Entry* oldest_ = nullptr;
  Entry* newest_ = nullptr;
  size_t idle_ = 0;
};

}  // namespace shipline::http
