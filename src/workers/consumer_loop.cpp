#include "workers/consumer_loop.hpp"

#include <algorithm>

#include "app/log.hpp"
#include "app/named_thread.hpp"
#include "workers/guarded.hpp"

namespace shipline::workers {

namespace {
// How often a backoff calls the idle hook (and the longest step of a sleep).
constexpr std::chrono::milliseconds kIdleStep{50};
}  // namespace

std::chrono::milliseconds ConsumerLoop::Options::RetryAfter(int failures) const {
  auto backoff = first_retry * (1LL << std::clamp(failures - 1, 0, 16));
  return std::min<std::chrono::milliseconds>(backoff, max_retry);
}

ConsumerLoop::ConsumerLoop(Options options, app::EventSignal* signal, Round round, Hooks hooks)
    : options_(options), signal_(signal), round_(std::move(round)), hooks_(std::move(hooks)) {}

void ConsumerLoop::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  failures_ = 0;
  thread_ = app::NamedThread(options_.thread_name, [this] { Run(); });
}

void ConsumerLoop::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (!thread_.joinable()) return;
  if (hooks_.interrupt) hooks_.interrupt();
  if (signal_ != nullptr) signal_->Notify();
  thread_.join();
}

void ConsumerLoop::Run() {
  uint64_t seen = signal_ != nullptr ? signal_->Generation() : 0;
  auto wait_idle = [&] {
    if (hooks_.idle) hooks_.idle();
    if (signal_ != nullptr) {
      seen = signal_->WaitFor(seen, options_.poll);
    } else {
      Sleep(options_.poll);
    }
  };
  if (options_.wait_first) wait_idle();
  while (!stopping_) {
    auto done = Guarded(options_.what, round_);
    if (stopping_) break;
    if (!done) {
      const int failures = ++failures_;
      const auto wait = options_.RetryAfter(failures);
      app::LogWarn(options_.failure_log, app::LogFields()
                                             .Add("attempt", failures)
                                             .Add("retry_in_ms", static_cast<int64_t>(wait.count()))
                                             .Add("detail", done.error().detail));
      Sleep(wait);
      continue;
    }
    failures_ = 0;
    if (*done > 0) continue;
    wait_idle();
  }
}

void ConsumerLoop::Sleep(std::chrono::milliseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return;
    auto until = deadline;
    if (hooks_.idle) {
      lock.unlock();
      hooks_.idle();
      lock.lock();
      until = std::min(deadline, now + kIdleStep);
    }
    wake_.wait_until(lock, until, [this] { return stopping_.load(); });
  }
}

}  // namespace shipline::workers
