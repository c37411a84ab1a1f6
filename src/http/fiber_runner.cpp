#include "http/fiber_runner.hpp"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>
#include <exception>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "app/fiber.hpp"
#include "app/request_claim.hpp"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#define SHIPLINE_FIBER_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#define SHIPLINE_FIBER_TSAN 1
#endif

namespace shipline::http {

namespace asio = boost::asio;
namespace context = boost::context;

namespace {

#if defined(SHIPLINE_FIBER_ASAN) || defined(SHIPLINE_FIBER_TSAN)
constexpr size_t kStackSize = size_t{4} << 20;  // sanitizers' frames are several times larger
#else
constexpr size_t kStackSize = size_t{512} << 10;
#endif
// Stacks kept for reuse: past this many idle ones, a finished fiber's stack
// is unmapped.
constexpr size_t kIdleStacks = 256;

}  // namespace

// Fixed-size stacks with a guard page below each, reused across fibers.
class FiberStacks {
 public:
  context::stack_context Take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        context::stack_context stack = idle_.back();
        idle_.pop_back();
        return stack;
      }
    }
    return make_.allocate();
  }

  void Give(context::stack_context& stack) noexcept {
    {
      std::lock_guard lock(mutex_);
      if (idle_.size() < kIdleStacks) {
        idle_.push_back(stack);
        return;
      }
    }
    make_.deallocate(stack);
  }

  ~FiberStacks() {
    for (auto& stack : idle_) make_.deallocate(stack);
  }

 private:
  context::protected_fixedsize_stack make_{kStackSize};
  std::mutex mutex_;
  std::vector<context::stack_context> idle_;
};

namespace {

// One request's fiber. Made on the heap by Run; deletes itself once its
// handler has returned and the answer has been handed to the connection.
class RequestFiber final : public app::Fiber {
 public:
  RequestFiber(asio::io_context& io, asio::thread_pool& blocking, FiberStacks& stacks,
               std::function<void()> body, std::function<void()> finished)
      : io_(io), blocking_(blocking), body_(std::move(body)), finished_(std::move(finished)) {
    context_ = context::fiber(std::allocator_arg, PooledStack{&stacks, this},
                              [this](context::fiber&& back) {
                                back_ = std::move(back);
                                ArrivedInFiber();
                                body_();
                                ended_ = true;
                                LeavingFiber(true);
                                return std::move(back_);
                              });
#if defined(SHIPLINE_FIBER_TSAN)
    tsan_fiber_ = __tsan_create_fiber(0);
#endif
  }

  // On an I/O thread: runs the fiber until it parks or ends.
  void Resume() {
    for (;;) {
      Fiber* outer = Exchange(this);
      const app::RequestClaim* outer_claim = app::RequestClaimScope::Exchange(claim_);
      EnteringFiber();
      context_ = std::move(context_).resume();
      ArrivedBack();
      claim_ = app::RequestClaimScope::Exchange(outer_claim);
      Exchange(outer);
      if (ended_) {
        auto finished = std::move(finished_);
#if defined(SHIPLINE_FIBER_TSAN)
        __tsan_destroy_fiber(tsan_fiber_);
#endif
        delete this;
        finished();
        return;
      }
      int running = kRunning;
      if (state_.compare_exchange_strong(running, kParked)) return;  // Wake will post it
      state_.store(kRunning);  // woken before it had switched away: go on
    }
  }

  void Park() override {
    LeavingFiber(false);
    back_ = std::move(back_).resume();
    ArrivedInFiber();
  }

  void Wake() override {
    if (state_.exchange(kWoken) != kParked) return;  // Resume sees it and goes on
    asio::post(io_, [this] {
      state_.store(kRunning);
      Resume();
    });
  }

  void Offload(const std::function<void()>& work) override {
    std::exception_ptr thrown;
    asio::post(blocking_, [this, &work, &thrown] {
      try {
        work();
      } catch (...) {
        thrown = std::current_exception();
      }
      Wake();
    });
    Park();
    if (thrown) std::rethrow_exception(thrown);
  }

 private:
  enum : int { kRunning, kParked, kWoken };

  struct PooledStack {
    FiberStacks* stacks;
    RequestFiber* fiber;
    context::stack_context allocate() {
      context::stack_context stack = stacks->Take();
      fiber->stack_ = stack;
      return stack;
    }
    void deallocate(context::stack_context& stack) noexcept { stacks->Give(stack); }
  };

  // The sanitizers must be told of every switch between stacks; without
  // them these do nothing.
  void EnteringFiber() {
#if defined(SHIPLINE_FIBER_TSAN)
    thread_tsan_ = __tsan_get_current_fiber();
    __tsan_switch_to_fiber(tsan_fiber_, 0);
#endif
#if defined(SHIPLINE_FIBER_ASAN)
    __sanitizer_start_switch_fiber(&thread_fake_stack_, static_cast<char*>(stack_.sp) - stack_.size,
                                   stack_.size);
#endif
  }
  void ArrivedInFiber() {
#if defined(SHIPLINE_FIBER_ASAN)
    __sanitizer_finish_switch_fiber(fiber_fake_stack_, &thread_stack_bottom_, &thread_stack_size_);
#endif
  }
  void LeavingFiber([[maybe_unused]] bool for_good) {
#if defined(SHIPLINE_FIBER_TSAN)
    __tsan_switch_to_fiber(thread_tsan_, 0);
#endif
#if defined(SHIPLINE_FIBER_ASAN)
    __sanitizer_start_switch_fiber(for_good ? nullptr : &fiber_fake_stack_, thread_stack_bottom_,
                                   thread_stack_size_);
#endif
  }
  void ArrivedBack() {
#if defined(SHIPLINE_FIBER_ASAN)
    __sanitizer_finish_switch_fiber(thread_fake_stack_, nullptr, nullptr);
#endif
  }

  asio::io_context& io_;
  asio::thread_pool& blocking_;
  std::function<void()> body_;
  std::function<void()> finished_;
  context::fiber context_;  // the fiber, while it is switched away
  context::fiber back_;     // inside the fiber: the I/O thread it left
  context::stack_context stack_{};
  std::atomic<int> state_{kRunning};
  const app::RequestClaim* claim_ = nullptr;  // the fiber's, while it is parked
  bool ended_ = false;
#if defined(SHIPLINE_FIBER_TSAN)
  void* tsan_fiber_ = nullptr;
  void* thread_tsan_ = nullptr;
#endif
#if defined(SHIPLINE_FIBER_ASAN)
  void* thread_fake_stack_ = nullptr;
  void* fiber_fake_stack_ = nullptr;
  const void* thread_stack_bottom_ = nullptr;
  size_t thread_stack_size_ = 0;
#endif
};

}  // namespace

FiberRunner::FiberRunner(asio::io_context& io, asio::thread_pool& blocking)
    : io_(io), blocking_(blocking), stacks_(std::make_unique<FiberStacks>()) {}

FiberRunner::~FiberRunner() = default;

asio::awaitable<Response> FiberRunner::Run(const Handler& handler, Request& request) {
  return asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, Response)>(
      [this, &handler, &request](auto answer) {
        // Shared by the fiber's two functions; std::function needs them copyable.
        struct Call {
          decltype(answer) completion;
          Response response;
          std::exception_ptr thrown;
        };
        auto call = std::make_shared<Call>(Call{std::move(answer), {}, {}});
        auto body = [&handler, &request, call] {
          try {
            call->response = handler(request);
          } catch (...) {
            call->thrown = std::current_exception();
          }
        };
        auto finished = [this, call] {
          --live_;
          auto executor = asio::get_associated_executor(call->completion);
          asio::post(executor, [call] {
            std::move(call->completion)(call->thrown, std::move(call->response));
          });
        };
        ++live_;
        (new RequestFiber(io_, blocking_, *stacks_, std::move(body), std::move(finished)))
            ->Resume();
      },
      asio::use_awaitable);
}

}  // namespace shipline::http
