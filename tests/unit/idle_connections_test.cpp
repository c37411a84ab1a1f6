#include "http/idle_connections.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace shipline::http {
namespace {

using namespace std::chrono_literals;
using Clock = IdleConnections::Clock;
using Entry = IdleConnections::Entry;

// Evicts with `grace` at `now`; the evicted entry, or null.
Entry* Evict(IdleConnections& idle, Clock::time_point now, Clock::duration grace = 1s) {
  Entry* evicted = nullptr;
  idle.EvictOldest(now, grace, [&](Entry& entry) { evicted = &entry; });
  return evicted;
}

TEST(IdleConnections, EvictsTheLongestIdleFirst) {
  IdleConnections idle;
  Entry a, b, c;
  const auto t0 = Clock::now();
  idle.MarkIdle(b, t0);
  idle.MarkIdle(a, t0 + 1s);
  idle.MarkIdle(c, t0 + 2s);
  EXPECT_EQ(idle.Idle(), 3u);
  EXPECT_EQ(Evict(idle, t0 + 10s), &b);
  EXPECT_EQ(Evict(idle, t0 + 10s), &a);
  EXPECT_EQ(Evict(idle, t0 + 10s), &c);
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
  EXPECT_EQ(idle.Idle(), 0u);
}

TEST(IdleConnections, BusyEntriesAreNeverEvicted) {
  IdleConnections idle;
  Entry working, waiting;
  const auto t0 = Clock::now();
  idle.MarkIdle(working, t0);
  idle.MarkIdle(waiting, t0 + 1s);
  EXPECT_TRUE(idle.MarkBusy(working));  // its request arrived
  EXPECT_EQ(Evict(idle, t0 + 10s), &waiting);
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
  idle.Remove(working);
}

TEST(IdleConnections, AnEntryIdleAgainGoesToTheBack) {
  IdleConnections idle;
  Entry a, b;
  const auto t0 = Clock::now();
  idle.MarkIdle(a, t0);
  idle.MarkIdle(b, t0 + 1s);
  EXPECT_TRUE(idle.MarkBusy(a));
  idle.MarkIdle(a, t0 + 2s);
  idle.MarkIdle(a, t0 + 5s);  // already idle: keeps its place and time
  EXPECT_EQ(Evict(idle, t0 + 10s), &b);
  EXPECT_EQ(Evict(idle, t0 + 3s), &a);
}

TEST(IdleConnections, NothingYoungerThanTheGraceIsEvicted) {
  IdleConnections idle;
  Entry a;
  const auto t0 = Clock::now();
  idle.MarkIdle(a, t0);
  EXPECT_EQ(Evict(idle, t0 + 500ms), nullptr);
  EXPECT_EQ(idle.Idle(), 1u);
  EXPECT_EQ(Evict(idle, t0 + 1s), &a);
}

TEST(IdleConnections, AnEvictedEntryStopsAndIsNotListedAgain) {
  IdleConnections idle;
  Entry a;
  const auto t0 = Clock::now();
  idle.MarkIdle(a, t0);
  ASSERT_EQ(Evict(idle, t0 + 2s), &a);
  EXPECT_FALSE(idle.MarkBusy(a));  // its request came too late: it closes
  idle.MarkIdle(a, t0 + 3s);
  EXPECT_EQ(idle.Idle(), 0u);
  idle.Remove(a);
}

TEST(IdleConnections, RemovedEntriesLeaveTheListWhole) {
  IdleConnections idle;
  Entry a, b, c;
  const auto t0 = Clock::now();
  idle.MarkIdle(a, t0);
  idle.MarkIdle(b, t0 + 1s);
  idle.MarkIdle(c, t0 + 2s);
  idle.Remove(b);  // middle
  idle.Remove(c);  // newest
  idle.Remove(c);  // twice: no-op
  EXPECT_EQ(idle.Idle(), 1u);
  EXPECT_EQ(Evict(idle, t0 + 10s), &a);
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
}

TEST(IdleConnections, ConnectionsWaitingForARequestGoBeforeSlowBodies) {
  IdleConnections idle;
  Entry slow_body, waiting;
  const auto t0 = Clock::now();
  idle.MarkIdle(slow_body, t0, IdleConnections::Wait::kBody);
  idle.MarkIdle(waiting, t0 + 5s);
  EXPECT_EQ(idle.Idle(), 2u);
  // Younger, but it has no request under way.
  EXPECT_EQ(Evict(idle, t0 + 10s), &waiting);
  EXPECT_EQ(Evict(idle, t0 + 10s), &slow_body);
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
}

TEST(IdleConnections, ASlowBodyIsEvictedWhenNoRequestWaitHasAgedEnough) {
  IdleConnections idle;
  Entry slow_body, fresh;
  const auto t0 = Clock::now();
  idle.MarkIdle(slow_body, t0, IdleConnections::Wait::kBody);
  idle.MarkIdle(fresh, t0 + 9500ms);
  EXPECT_EQ(Evict(idle, t0 + 10s), &slow_body);
  EXPECT_FALSE(idle.MarkBusy(slow_body));
  EXPECT_TRUE(idle.MarkBusy(fresh));
  idle.Remove(fresh);
  idle.Remove(slow_body);
  EXPECT_EQ(idle.Idle(), 0u);
}

TEST(IdleConnections, ABodyThatProgressesStartsItsWaitAgain) {
  IdleConnections idle;
  Entry a, b;
  const auto t0 = Clock::now();
  idle.MarkIdle(a, t0, IdleConnections::Wait::kBody);
  idle.MarkIdle(b, t0 + 1s, IdleConnections::Wait::kBody);
  EXPECT_TRUE(idle.MarkBusy(a));  // enough of its body arrived
  idle.MarkIdle(a, t0 + 2s, IdleConnections::Wait::kBody);
  EXPECT_EQ(Evict(idle, t0 + 2500ms), &b);
  EXPECT_EQ(Evict(idle, t0 + 2500ms), nullptr);  // a waits since t0 + 2s only
  EXPECT_EQ(Evict(idle, t0 + 3s), &a);
}

TEST(IdleConnections, StalledAnswersGoAfterRequestWaitsAndSlowBodies) {
  IdleConnections idle;
  Entry stalled, slow_body, waiting;
  const auto t0 = Clock::now();
  idle.MarkIdle(stalled, t0, IdleConnections::Wait::kWrite);
  idle.MarkIdle(slow_body, t0 + 1s, IdleConnections::Wait::kBody);
  idle.MarkIdle(waiting, t0 + 2s);
  EXPECT_EQ(idle.Idle(), 3u);
  // The oldest, but its request was whole and answered.
  EXPECT_EQ(Evict(idle, t0 + 10s), &waiting);
  EXPECT_EQ(Evict(idle, t0 + 10s), &slow_body);
  EXPECT_EQ(Evict(idle, t0 + 10s), &stalled);
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
}

TEST(IdleConnections, AStalledAnswerIsEvictedWhenNothingElseHasWaitedEnough) {
  IdleConnections idle;
  Entry stalled, fresh_body, fresh;
  const auto t0 = Clock::now();
  idle.MarkIdle(stalled, t0, IdleConnections::Wait::kWrite);
  idle.MarkIdle(fresh_body, t0 + 9500ms, IdleConnections::Wait::kBody);
  idle.MarkIdle(fresh, t0 + 9500ms);
  EXPECT_EQ(Evict(idle, t0 + 10s), &stalled);
  EXPECT_FALSE(idle.MarkBusy(stalled));  // its write ends: the connection closes
  EXPECT_EQ(Evict(idle, t0 + 10s), nullptr);
  EXPECT_TRUE(idle.MarkBusy(fresh_body));
  EXPECT_TRUE(idle.MarkBusy(fresh));
  idle.Remove(stalled);
  EXPECT_EQ(idle.Idle(), 0u);
}

TEST(IdleConnections, AnAnswerThatMovesStartsItsWaitAgain) {
  IdleConnections idle;
  Entry reading, stalled;
  const auto t0 = Clock::now();
  idle.MarkIdle(reading, t0, IdleConnections::Wait::kWrite);
  idle.MarkIdle(stalled, t0 + 500ms, IdleConnections::Wait::kWrite);
  // Its client read enough of the answer: the wait starts again, behind the
  // stalled one.
  EXPECT_TRUE(idle.MarkBusy(reading));
  idle.MarkIdle(reading, t0 + 900ms, IdleConnections::Wait::kWrite);
  EXPECT_EQ(Evict(idle, t0 + 1700ms), &stalled);
  EXPECT_EQ(Evict(idle, t0 + 1700ms), nullptr);  // reading waits since t0 + 900ms only
  EXPECT_EQ(Evict(idle, t0 + 1900ms), &reading);
}

TEST(IdleConnections, ConnectionsOnSeveralThreadsAndAnEvictorAgree) {
  IdleConnections idle;
  constexpr int kThreads = 4;
  constexpr int kRounds = 20'000;
  std::vector<Entry> entries(kThreads);
  std::vector<int> evicted_seen(kThreads, 0);
  std::atomic<bool> done{false};
  std::atomic<int> evictions{0};
  std::thread evictor([&] {
    while (!done.load()) {
      if (idle.EvictOldest(Clock::now(), 0s, [](Entry&) {})) ++evictions;
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        idle.MarkIdle(entries[t], Clock::now());
        if (!idle.MarkBusy(entries[t])) {
          ++evicted_seen[t];
          break;  // as a connection does: an evicted one ends
        }
      }
      idle.Remove(entries[t]);
    });
  }
  for (auto& thread : threads) thread.join();
  done = true;
  evictor.join();
  int seen = 0;
  for (int n : evicted_seen) seen += n;
  EXPECT_EQ(seen, evictions.load());  // every eviction reached its connection
  EXPECT_EQ(idle.Idle(), 0u);
}

}  // namespace
}  // namespace shipline::http
