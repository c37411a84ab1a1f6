// Handlers in fibers (http/fiber_runner.hpp): a parked fiber frees its I/O
// thread, a request's claim stays with its fiber, blocking work runs off the
// I/O thread, and what a handler throws reaches the connection.

#include "http/fiber_runner.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

#include "app/fiber.hpp"
#include "app/request_claim.hpp"
#include "app/wakeup.hpp"

namespace shipline::http {
namespace {

namespace asio = boost::asio;

// Runs `handler` for `count` requests at once on one I/O thread; returns the
// answers' bodies (or "threw: ..."), in request order.
std::vector<std::string> RunAll(
    size_t count, const Handler& handler, const std::function<void()>& meanwhile = [] {}) {
  asio::io_context io{1};
  asio::thread_pool blocking{2};
  FiberRunner runner{io, blocking};
  std::vector<std::string> bodies(count);
  std::vector<Request> requests(count);
  for (size_t i = 0; i < count; ++i) {
    requests[i].path = std::to_string(i);
    asio::co_spawn(
        io,
        [&, i]() -> asio::awaitable<void> {
          try {
            Response response = co_await runner.Run(handler, requests[i]);
            bodies[i] = response.body;
          } catch (const std::exception& e) {
            bodies[i] = std::string("threw: ") + e.what();
          }
        },
        asio::detached);
  }
  std::thread other(meanwhile);
  io.run();
  other.join();
  blocking.join();
  return bodies;
}

TEST(FiberRunner, ParkedFibersFreeTheirThread) {
  // Every handler waits until all of them have started: on one I/O thread
  // that only ends if each one's wait lets the next run.
  constexpr size_t kFibers = 300;
  std::atomic<size_t> started{0};
  std::vector<app::Wakeup*> waiting(kFibers, nullptr);
  std::mutex mutex;
  auto bodies = RunAll(
      kFibers,
      [&](Request& request) {
        EXPECT_NE(app::Fiber::Current(), nullptr);
        app::Wakeup wakeup;
        {
          std::lock_guard lock(mutex);
          waiting[std::stoul(request.path)] = &wakeup;
        }
        ++started;
        wakeup.Wait();
        Response response;
        response.body = "done " + request.path;
        return response;
      },
      [&] {
        while (started.load() < kFibers) std::this_thread::yield();
        std::lock_guard lock(mutex);
        for (auto* wakeup : waiting) wakeup->Notify();
      });
  for (size_t i = 0; i < kFibers; ++i) EXPECT_EQ(bodies[i], "done " + std::to_string(i));
  EXPECT_EQ(app::Fiber::Current(), nullptr);
}

TEST(FiberRunner, AWakeBeforeTheParkIsNotLost) {
  auto bodies = RunAll(3, [](Request& request) {
    app::Wakeup wakeup;
    wakeup.Notify();  // the writer may answer before its caller parks
    wakeup.Wait();
    Response response;
    response.body = request.path;
    return response;
  });
  EXPECT_EQ(bodies, (std::vector<std::string>{"0", "1", "2"}));
}

TEST(FiberRunner, EachFiberKeepsItsOwnClaim) {
  auto bodies = RunAll(50, [](Request& request) {
    app::RequestClaim claim{1, request.path, "owner"};
    app::RequestClaimScope scope(claim);
    for (int i = 0; i < 3; ++i) {
      // Parks while the other fibers run and set claims of their own.
      app::Blocking([] { std::this_thread::yield(); });
      EXPECT_EQ(app::RequestClaimScope::Current(), &claim);
    }
    Response response;
    response.body = app::RequestClaimScope::Current()->key;
    return response;
  });
  for (size_t i = 0; i < bodies.size(); ++i) EXPECT_EQ(bodies[i], std::to_string(i));
  EXPECT_EQ(app::RequestClaimScope::Current(), nullptr);
}

TEST(FiberRunner, BlockingWorkRunsOffTheIoThreadAndReturns) {
  auto bodies = RunAll(4, [](Request& request) {
    auto io_thread = std::this_thread::get_id();
    auto ran_on = app::Blocking([] { return std::this_thread::get_id(); });
    EXPECT_NE(ran_on, io_thread);
    EXPECT_EQ(app::Blocking([&] { return app::Fiber::Current(); }), nullptr);
    try {
      app::Blocking([]() -> int { throw std::runtime_error("outside call failed"); });
    } catch (const std::runtime_error& e) {
      Response response;
      response.body = request.path + " " + e.what();
      return response;
    }
    return Response{};
  });
  EXPECT_EQ(bodies[3], "3 outside call failed");
}

TEST(FiberRunner, WhatAHandlerThrowsReachesTheConnection) {
  auto bodies = RunAll(2, [](Request& request) -> Response {
    app::Blocking([] {});
    if (request.path == "1") throw std::runtime_error("handler failed");
    Response response;
    response.body = "fine";
    return response;
  });
  EXPECT_EQ(bodies, (std::vector<std::string>{"fine", "threw: handler failed"}));
}

TEST(FiberRunner, OnAPlainThreadNothingParks) {
  EXPECT_EQ(app::Fiber::Current(), nullptr);
  EXPECT_EQ(app::Blocking([] { return 7; }), 7);
  app::Wakeup wakeup;
  std::thread notifier([&] { wakeup.Notify(); });
  wakeup.Wait();
  notifier.join();
}

}  // namespace
}  // namespace shipline::http
