#pragma once

// One waiter and one Notify, across threads: the waiting thread blocks, a
// waiting fiber parks (app/fiber.hpp) and its thread goes on with other work.
// Made by the waiter, on its own stack; the notifier must not touch it after
// Notify.

#include <future>
#include <optional>

#include "app/fiber.hpp"

namespace shipline::app {

class Wakeup {
 public:
  Wakeup() : fiber_(Fiber::Current()) {
    if (fiber_ == nullptr) waited_ = notified_.emplace().get_future();
  }
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  // Once, by whoever made it.
  void Wait() {
    if (fiber_ != nullptr) {
      fiber_->Park();
    } else {
      waited_.wait();
    }
  }

  // Once, from any thread, before or after Wait.
  void Notify() {
    if (fiber_ != nullptr) {
      fiber_->Wake();
    } else {
      notified_->set_value();
    }
  }

 private:
  Fiber* const fiber_;
  std::optional<std::promise<void>> notified_;  // a thread's wait
  std::future<void> waited_;
};

}  // namespace shipline::app
