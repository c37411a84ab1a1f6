#pragma once

// Request handlers on the embedded store run in fibers on the HTTP I/O threads
// (http/fiber_runner.hpp), so that a request waiting for the writer holds a
// small stack instead of a thread. Code that would block its thread calls one
// of the two functions below: a fiber parks, and its I/O thread serves other
// requests meanwhile; a plain thread (a worker, a handler pool thread, a
// test) behaves as it always did. The app layer sees only this seam.

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace shipline::app {

class Fiber {
 public:
  virtual ~Fiber() = default;

  // The fiber running on this thread; nullptr on a plain thread.
  static Fiber* Current() { return current_; }

  // Called by the fiber itself: switches away until Wake has been called.
  virtual void Park() = 0;
  // From any thread, exactly once per Park, before or after the fiber has
  // switched away: it continues on an I/O thread. The fiber may be gone as
  // soon as Wake returns.
  virtual void Wake() = 0;
  // Runs `work` on a thread that may block (an outside call over the
  // network, a password hash), with the fiber parked meanwhile.
  virtual void Offload(const std::function<void()>& work) = 0;

 protected:
  // For implementations, around each switch into and out of a fiber.
  static Fiber* Exchange(Fiber* fiber) { return std::exchange(current_, fiber); }

 private:
  static inline thread_local Fiber* current_ = nullptr;
};

// Runs `work` and returns what it returns: on a fiber, off the I/O thread
// (Fiber::Offload); on a plain thread, right here.
template <class Work>
auto Blocking(Work&& work) -> std::invoke_result_t<Work&> {
  Fiber* fiber = Fiber::Current();
  if (fiber == nullptr) return work();
  if constexpr (std::is_void_v<std::invoke_result_t<Work&>>) {
    fiber->Offload([&] { work(); });
  } else {
    std::optional<std::invoke_result_t<Work&>> result;
    fiber->Offload([&] { result.emplace(work()); });
    return std::move(*result);
  }
}

}  // namespace shipline::app
