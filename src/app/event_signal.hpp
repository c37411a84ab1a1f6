#pragma once

// Wakes event consumers as soon as a transaction that wrote events commits,
// so they do not wait for their next poll.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace shipline::app {

class EventSignal {
 public:
  void Notify() {
    {
      std::lock_guard lock(mutex_);
      ++generation_;
    }
    cv_.notify_all();
  }

  // Waits until Notify is called after `seen` or the timeout passes; returns
  // the generation to pass next time.
  uint64_t WaitFor(uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return generation_ != seen; });
    return generation_;
  }

  uint64_t Generation() {
    std::lock_guard lock(mutex_);
    return generation_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  uint64_t generation_ = 0;
};

}  // namespace shipline::app
