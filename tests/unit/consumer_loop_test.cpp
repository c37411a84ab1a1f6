#include "workers/consumer_loop.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "app/event_signal.hpp"

namespace shipline::workers {
namespace {

using std::chrono::milliseconds;
using Script = std::function<Result<int>(int call)>;

// Generous: each wait below is for something that takes microseconds.
constexpr auto kPatience = std::chrono::seconds(5);
constexpr milliseconds kForever{3'600'000};

// Calls `stop` and waits for it to return. A stop that never returns (a loop
// that does not interrupt its wait) fails the test and ends the process
// rather than leave it hanging until the test runner's timeout.
void ExpectStopReturns(const std::function<void()>& stop) {
  std::atomic<bool> returned{false};
  std::thread stopper([&] {
    stop();
    returned = true;
  });
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (!returned && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  if (!returned) {
    ADD_FAILURE() << "Stop() did not return";
    std::_Exit(1);
  }
  stopper.join();
}

// A loop whose rounds follow a script and record the loop's failure count
// as each round starts.
class ScriptedLoop {
 public:
  ScriptedLoop(ConsumerLoop::Options options, app::EventSignal* signal, Script script)
      : script_(std::move(script)), loop_(options, signal, [this] { return Round(); }) {}

  void Start() { loop_.Start(); }
  void Stop() { loop_.Stop(); }
  const ConsumerLoop& loop() const { return loop_; }

  // Waits until `count` rounds have started; false if they did not in time.
  bool WaitForRounds(size_t count) {
    auto deadline = std::chrono::steady_clock::now() + kPatience;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Seen().size() >= count) return true;
      std::this_thread::sleep_for(milliseconds(1));
    }
    return false;
  }
  // The loop's failure count as each round started.
  std::vector<int> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  Result<int> Round() {
    int call = 0;
    {
      std::lock_guard lock(mutex_);
      call = static_cast<int>(seen_.size());
      seen_.push_back(loop_.failures());
    }
    return script_(call);
  }

  Script script_;
  std::mutex mutex_;
  std::vector<int> seen_;
  ConsumerLoop loop_;
};

ConsumerLoop::Options Quick() {
  ConsumerLoop::Options options;
  options.poll = kForever;  // rounds run again only when they did work or failed
  options.first_retry = milliseconds(1);
  options.max_retry = milliseconds(4);
  return options;
}

Result<int> Failed() { return Error::Unavailable("down", "test says so"); }

TEST(ConsumerLoop, BackoffDoublesFromTheFirstRetryUpToTheCap) {
  ConsumerLoop::Options options;
  options.first_retry = milliseconds(500);
  options.max_retry = milliseconds(3000);
  EXPECT_EQ(options.RetryAfter(1), milliseconds(500));
  EXPECT_EQ(options.RetryAfter(2), milliseconds(1000));
  EXPECT_EQ(options.RetryAfter(3), milliseconds(2000));
  EXPECT_EQ(options.RetryAfter(4), milliseconds(3000));
  EXPECT_EQ(options.RetryAfter(1000), milliseconds(3000));  // no overflow past the cap
}

TEST(ConsumerLoop, FailedRoundsCountUpAndASuccessResetsTheBackoff) {
  // Fails three times, succeeds having done work, fails once more, then idles.
  ScriptedLoop scripted(Quick(), nullptr, [](int call) -> Result<int> {
    if (call < 3 || call == 4) return Failed();
    return call == 3 ? 1 : 0;
  });
  scripted.Start();
  ASSERT_TRUE(scripted.WaitForRounds(6));
  scripted.Stop();
  // Each failed round backs off after RetryAfter(failures); the success
  // between them starts the count, and so the backoff, afresh.
  EXPECT_EQ(scripted.Seen(), (std::vector<int>{0, 1, 2, 3, 0, 1}));
  EXPECT_EQ(scripted.loop().failures(), 0);
}

TEST(ConsumerLoop, ARoundThatDidWorkRunsAgainWithoutWaiting) {
  // The poll interval is an hour and nothing notifies: only "did work" can
  // bring the next rounds.
  ScriptedLoop scripted(Quick(), nullptr, [](int call) -> Result<int> { return call < 3 ? 1 : 0; });
  scripted.Start();
  EXPECT_TRUE(scripted.WaitForRounds(4));
  scripted.Stop();
}

TEST(ConsumerLoop, AnIdleLoopWakesOnTheSignal) {
  app::EventSignal signal;
  ScriptedLoop scripted(Quick(), &signal, [](int) -> Result<int> { return 0; });
  scripted.Start();
  ASSERT_TRUE(scripted.WaitForRounds(1));
  signal.Notify();
  EXPECT_TRUE(scripted.WaitForRounds(2));
  scripted.Stop();
}

TEST(ConsumerLoop, StopDuringALongBackoffReturnsPromptly) {
  ConsumerLoop::Options options = Quick();
  options.first_retry = kForever;
  options.max_retry = kForever;
  ScriptedLoop scripted(options, nullptr, [](int) { return Failed(); });
  scripted.Start();
  ASSERT_TRUE(scripted.WaitForRounds(1));
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (scripted.loop().failures() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  ASSERT_EQ(scripted.loop().failures(), 1);  // the loop is backing off now
  ExpectStopReturns([&] { scripted.Stop(); });
  EXPECT_FALSE(scripted.loop().running());
}

TEST(ConsumerLoop, StopDuringALongIdleWaitReturnsPromptly) {
  app::EventSignal signal;
  ScriptedLoop with_signal(Quick(), &signal, [](int) -> Result<int> { return 0; });
  ScriptedLoop polling(Quick(), nullptr, [](int) -> Result<int> { return 0; });
  with_signal.Start();
  polling.Start();
  ASSERT_TRUE(with_signal.WaitForRounds(1));
  ASSERT_TRUE(polling.WaitForRounds(1));
  ExpectStopReturns([&] {
    with_signal.Stop();
    polling.Stop();
  });
}

TEST(ConsumerLoop, AThrowingRoundIsAFailedRoundAndTheLoopGoesOn) {
  ScriptedLoop scripted(Quick(), nullptr, [](int call) -> Result<int> {
    if (call == 0) throw std::runtime_error("boom");
    return 0;
  });
  scripted.Start();
  ASSERT_TRUE(scripted.WaitForRounds(2));
  scripted.Stop();
  EXPECT_EQ(scripted.Seen(), (std::vector<int>{0, 1}));
}

TEST(ConsumerLoop, TheIdleHookRunsDuringABackoffAndTheInterruptHookBreaksABlockedRound) {
  std::mutex mutex;
  std::condition_variable cv;
  bool interrupted = false;
  std::atomic<int> idles{0};
  std::atomic<int> rounds{0};
  ConsumerLoop loop(Quick(), nullptr,
                    [&]() -> Result<int> {
                      if (rounds++ == 0) return Failed();  // a backoff first: the idle hook runs
                      std::unique_lock lock(mutex);  // then a round that blocks until interrupted
                      cv.wait(lock, [&] { return interrupted; });
                      return 0;
                    },
                    {.interrupt =
                         [&] {
                           std::lock_guard lock(mutex);
                           interrupted = true;
                           cv.notify_all();
                         },
                     .idle = [&] { ++idles; }});
  loop.Start();
  auto deadline = std::chrono::steady_clock::now() + kPatience;
  while (rounds < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(1));
  }
  ASSERT_EQ(rounds.load(), 2);
  EXPECT_GT(idles.load(), 0);
  ExpectStopReturns([&] { loop.Stop(); });  // would hang without the interrupt
  EXPECT_EQ(rounds.load(), 2);
}

}  // namespace
}  // namespace shipline::workers
