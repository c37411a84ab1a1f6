#pragma once

// The queue between Store::Write's callers and an engine's writer threads:
// a caller waits in Submit (a thread blocks, a request's fiber parks:
// app/wakeup.hpp) until a writer has run its function in a group
// transaction and answered; a writer takes the waiting callers a group at a
// time. Bounded: past `max_pending` waiting callers, Submit fails fast with
// kResourceExhausted instead of letting memory grow. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "app/store.hpp"
#include "app/wakeup.hpp"

namespace shipline::store {

// Seconds from `start` to now, for the writers' commit latency.
inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class WriteQueue {
 public:
  // One waiting caller. It lives on the caller's stack: a writer must not
  // touch it after Answer.
  struct Pending {
    const std::function<Status(app::StoreWriter&)>* fn = nullptr;
    Status result;          // the function's, while its group is still open
    bool deferred = false;  // gave way in its group; runs alone after it
    Status answer;          // what Submit returns
    app::Wakeup answered;

    // The writer's last touch: the caller returns `status`.
    void Answer(Status status) {
      answer = std::move(status);
      answered.Notify();
    }
  };

  WriteQueue(size_t max_pending, size_t max_batch)
      : max_pending_(max_pending), max_batch_(max_batch) {}

  // Queues `fn` and blocks until a writer answers. kUnavailable once Stop
  // was called; kResourceExhausted when `max_pending` callers wait already.
  Status Submit(const std::function<Status(app::StoreWriter&)>& fn);

  // For a writer thread: waits for callers and moves up to `max_batch` of
  // them, oldest first, into `group` (which must be empty). False once Stop
  // was called and every caller has been taken: the writer ends.
  bool Take(std::vector<Pending*>& group);

  // Refuses new callers; writers drain the ones waiting, then Take fails.
  void Stop();

 private:
  const size_t max_pending_;
  const size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Pending*> pending_;
  bool stopping_ = false;
};

}  // namespace shipline::store
