#pragma once

// The thread every consumer runs on: it calls a round function over and over,
// backs off after a failed round and waits when there was nothing to do.
//
// - A round reports how much it did, or fails. A round that throws fails too
//   (see Guarded): an exception never leaves the loop's thread.
// - After a failed round the loop logs `failure_log` (warning, with the
//   attempt, the wait and the error's detail) and sleeps first_retry,
//   doubling per consecutive failure up to max_retry; a round that succeeds
//   resets that.
// - After a round that did something (a positive count) the next one starts
//   at once: there may be more.
// - Otherwise the loop waits until the signal is notified or `poll` passes,
//   whichever comes first (`poll` alone without a signal; no wait when zero).
//
// Stop() ends the thread promptly: it interrupts a backoff or an idle wait at
// once, and the `interrupt` hook lets the owner break a round that blocks (on
// a broker, say). It returns once the round in progress has returned.
//
// Start() and Stop() are called from the owner's thread; stopping() and
// failures() from any thread. The round and the `idle` hook run on the
// loop's thread only.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "app/event_signal.hpp"
#include "domain/result.hpp"

namespace shipline::workers {

class ConsumerLoop {
 public:
  struct Options {
    const char* thread_name = "consumer";               // the loop's thread (ps -L, top -H)
    const char* what = "consumer round";                // names a round that threw
    const char* failure_log = "consumer round failed";  // logged after a failed round
    std::chrono::milliseconds poll{1000};               // longest idle wait
    std::chrono::milliseconds first_retry{500};         // wait after the first failed round
    std::chrono::milliseconds max_retry{30'000};        // cap of the doubling
    bool wait_first = false;  // wait (as when idle) before the first round

    // The backoff after `failures` (>= 1) consecutive failed rounds.
    std::chrono::milliseconds RetryAfter(int failures) const;
  };

  // One round: how many things it did (events, messages, attempts), or an
  // error.
  using Round = std::function<Result<int>()>;

  struct Hooks {
    // Called by Stop() (on the owner's thread) while the round may be
    // running: makes a blocking call in the round return promptly.
    std::function<void()> interrupt;
    // Called on the loop's thread while it waits (before an idle wait and
    // about every 50 ms of a backoff): keeps a connection alive, moves
    // transfers on. Must not block for long.
    std::function<void()> idle;
  };

  // `signal` may be null: the loop then only polls. The signal, the round
  // and whatever the hooks use must outlive the loop.
  ConsumerLoop(Options options, app::EventSignal* signal, Round round, Hooks hooks = {});
  ~ConsumerLoop() { Stop(); }
  ConsumerLoop(const ConsumerLoop&) = delete;
  ConsumerLoop& operator=(const ConsumerLoop&) = delete;

  // Starts the thread; does nothing while it runs.
  void Start();
  // Stops the thread and waits for it. Idempotent; without a running thread
  // it only marks the loop as stopping.
  void Stop();

  bool running() const { return thread_.joinable(); }
  // True from Stop() until the next Start(): a round that handles many
  // things checks it between them.
  bool stopping() const { return stopping_; }
  // Consecutive failed rounds so far (0 after a successful one).
  int failures() const { return failures_; }

 private:
  void Run();
  // Sleeps `wait`, or less when stopping; calls the idle hook every step.
  void Sleep(std::chrono::milliseconds wait);

  const Options options_;
  app::EventSignal* const signal_;
  const Round round_;
  const Hooks hooks_;
  std::mutex mutex_;  // guards the sleeps' wake-up against Stop()
  std::condition_variable wake_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> failures_{0};
  std::thread thread_;
};

}  // namespace shipline::workers
