#pragma once

// The connections that wait for their client, oldest first, so that the
// transport can close the one that has waited the longest when the connection
// limit is reached instead of refusing a new client while waiting connections
// hold every slot.
//
// A connection waits for a request (its next one on a kept-alive connection,
// or a header still arriving), for the rest of a body that arrives too slowly,
// or for its client to read an answer that makes too little progress (a client
// that sends requests and never reads). Each wait has its own queue: a
// connection waiting for a request is always closed before one with a request
// under way, and a slow body before a stalled answer.
//
// A connection embeds one Entry for its whole life and moves it in and out of
// the queues around each wait: no allocation per request, one short lock per
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

  // What a connection waits for; the order in which waiting connections are
  // evicted (every kRequest before any kBody, every kBody before any kWrite).
  enum class Wait { kRequest = 0, kBody = 1, kWrite = 2 };

  // A connection's place in a queue. Owned by the connection; it must be
  // Removed before it is destroyed.
  class Entry {
   private:
    friend class IdleConnections;
    Entry* prev_ = nullptr;
    Entry* next_ = nullptr;
    Clock::time_point since_{};
    Wait wait_ = Wait::kRequest;
    bool listed_ = false;
    bool evicted_ = false;
  };

  // `entry` waits (for `wait`) as of `now`: it is the newest entry of that
  // queue. A no-op for an entry already waiting or evicted.
  void MarkIdle(Entry& entry, Clock::time_point now, Wait wait = Wait::kRequest);

  // `entry` has something to work on and leaves its queue. False when it was
  // evicted before: its connection is being closed and must stop.
  [[nodiscard]] bool MarkBusy(Entry& entry);

  // `entry` leaves its queue for good (its connection ends).
  void Remove(Entry& entry);

  // Takes the entry that has waited the longest for a request, or when none
  // has waited `grace` as of `now`, the one that has waited the longest for a
  // body, and then for its client to read an answer; marks it evicted and
  // calls `evict` with it while the lock is still held (so the entry cannot be
  // Removed meanwhile: `evict` only schedules the close, it must not call back
  // into this object). False, calling nothing, when no entry has waited
  // `grace`.
  bool EvictOldest(Clock::time_point now, Clock::duration grace,
                   const std::function<void(Entry&)>& evict);

  // Entries waiting right now, in both queues.
  size_t Idle() const;

 private:
  struct Queue {
    Entry* oldest = nullptr;
    Entry* newest = nullptr;
  };

  void Unlink(Entry& entry);  // with mutex_ held

  mutable std::mutex mutex_;
  Queue queues_[3];  // by Wait
  size_t idle_ = 0;
};

}  // namespace shipline::http
