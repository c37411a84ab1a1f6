#include "app/log_buffer.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/buffered_log_sink.hpp"
#include "app/log.hpp"

namespace shipline::app {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

// Records every batch the buffer writes. The buffer calls it from one thread
// at a time; the test reads it from another.
class Recorder {
 public:
  LogBuffer::Writer Writer() {
    return [this](std::string_view bytes) {
      std::lock_guard lock(mutex_);
      batches_.emplace_back(bytes);
    };
  }
  std::string Text() const {
    std::lock_guard lock(mutex_);
    std::string text;
    for (const auto& batch : batches_) text += batch;
    return text;
  }
  std::vector<std::string> Batches() const {
    std::lock_guard lock(mutex_);
    return batches_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> batches_;
};

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LogBuffer, LinesFromSeveralThreadsComeOutWholeAndInOrder) {
  Recorder recorder;
  constexpr int kThreads = 4;
  constexpr int kLines = 2000;
  {
    // A small buffer: many batches, and appenders that wait for room.
    LogBuffer buffer(recorder.Writer(), {.capacity = 4096, .interval = milliseconds(1)});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&buffer, t] {
        for (int i = 0; i < kLines; ++i) {
          buffer.Append("thread " + std::to_string(t) + " line " + std::to_string(i) +
                        " padding-padding-padding\n");
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  for (const auto& batch : recorder.Batches()) {
    ASSERT_FALSE(batch.empty());
    EXPECT_EQ(batch.back(), '\n') << "a batch ends inside a line";
  }
  auto lines = Lines(recorder.Text());
  ASSERT_EQ(lines.size(), size_t{kThreads * kLines});
  std::vector<int> next(kThreads, 0);
  for (const auto& line : lines) {
    int t = -1;
    int i = -1;
    char padding[64];
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d %63s", &t, &i, padding), 3) << line;
    ASSERT_EQ(std::string(padding), "padding-padding-padding") << line;
    ASSERT_GE(t, 0);
    ASSERT_LT(t, kThreads);
    ASSERT_EQ(i, next[t]) << "thread " << t << " out of order";
    ++next[t];
  }
}

TEST(LogBuffer, StopWritesWhatIsLeftAndLaterLinesGoStraightOut) {
  Recorder recorder;
  LogBuffer buffer(recorder.Writer(), {.capacity = 1 << 20, .interval = hours(1)});
  buffer.Append("one\n");
  buffer.Append("two\n");
  EXPECT_EQ(recorder.Text(), "") << "written before the timer, the threshold or a flush";
  buffer.Stop();
  EXPECT_EQ(recorder.Text(), "one\ntwo\n");
  buffer.Append("three\n");
  EXPECT_EQ(recorder.Text(), "one\ntwo\nthree\n");
  buffer.Stop();  // idempotent, as the destructor calls it again
}

TEST(LogBuffer, DestructionWritesWhatIsLeft) {
  Recorder recorder;
  {
    LogBuffer buffer(recorder.Writer(), {.capacity = 1 << 20, .interval = hours(1)});
    buffer.Append("last words\n");
  }
  EXPECT_EQ(recorder.Text(), "last words\n");
}

TEST(LogBuffer, FlushReturnsOnceEverythingBeforeItIsWritten) {
  Recorder recorder;
  LogBuffer buffer(recorder.Writer(), {.capacity = 1 << 20, .interval = hours(1)});
  buffer.Flush();  // nothing to write: returns at once
  buffer.Append("a\n");
  buffer.Append("b\n");
  buffer.Flush();
  EXPECT_EQ(recorder.Text(), "a\nb\n");
}

TEST(LogBuffer, TheTimerWritesWithoutAFlush) {
  Recorder recorder;
  LogBuffer buffer(recorder.Writer(), {.capacity = 1 << 20, .interval = milliseconds(1)});
  buffer.Append("tick\n");
  while (recorder.Text().empty()) std::this_thread::yield();
  EXPECT_EQ(recorder.Text(), "tick\n");
}

TEST(LogBuffer, AFullBufferMakesAppendWaitAndLosesNothing) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Recorder recorder;
  auto record = recorder.Writer();
  std::atomic<bool> first_write{true};
  // The first write blocks, as a stalled standard error would.
  auto writer = [&](std::string_view bytes) {
    if (first_write.exchange(false)) released.wait();
    record(bytes);
  };
  constexpr int kLines = 30;
  LogBuffer buffer(writer, {.capacity = 100, .interval = hours(1)});
  std::atomic<int> appended{0};
  std::thread appender([&] {
    for (int i = 0; i < kLines; ++i) {
      char line[16];
      std::snprintf(line, sizeof line, "line %03d\n", i);  // 9 bytes
      buffer.Append(line);
      ++appended;
    }
  });
  // The thread takes a first batch and blocks writing it; the second buffer
  // fills; then Append waits, however far the appender has got.
  while (buffer.full_waits() < 1) std::this_thread::yield();
  EXPECT_LE(appended.load(), 2 * (100 / 9)) << "more than two buffers held";
  EXPECT_LT(appended.load(), kLines);
  release.set_value();
  appender.join();
  buffer.Stop();
  auto lines = Lines(recorder.Text());
  ASSERT_EQ(lines.size(), size_t{kLines});
  for (int i = 0; i < kLines; ++i) {
    char expected[16];
    std::snprintf(expected, sizeof expected, "line %03d", i);
    EXPECT_EQ(lines[i], expected);
  }
  for (const auto& batch : recorder.Batches()) EXPECT_LE(batch.size(), size_t{100});
}

TEST(LogBuffer, ALineLargerThanTheCapacityGoesOutWholeAndInOrder) {
  Recorder recorder;
  LogBuffer buffer(recorder.Writer(), {.capacity = 16, .interval = hours(1)});
  std::string big(100, 'x');
  buffer.Append("before\n");
  buffer.Append(big + "\n");
  buffer.Append("after\n");
  buffer.Stop();
  EXPECT_EQ(recorder.Text(), "before\n" + big + "\nafter\n");
}

// The sink writes the same bytes spdlog's own stream sinks write, and a
// warning is out before its call returns, with every line logged before it.
TEST(BufferedLogSink, WritesTheSameLinesAndFlushesOnWarning) {
  Recorder recorder;
  auto sink = std::make_shared<BufferedLogSink>(recorder.Writer(),
                                                LogBuffer::Options{.interval = hours(1)});
  spdlog::logger buffered("buffered", sink);
  buffered.set_pattern(kJsonLogPattern, spdlog::pattern_time_type::utc);
  buffered.flush_on(spdlog::level::warn);
  std::ostringstream direct_text;
  spdlog::logger direct("direct", std::make_shared<spdlog::sinks::ostream_sink_st>(direct_text));
  direct.set_pattern(kJsonLogPattern, spdlog::pattern_time_type::utc);

  auto now = spdlog::log_clock::now();
  for (auto* logger : {&buffered, &direct}) {
    logger->log(now, {}, spdlog::level::info, R"("msg":"request","status":200)");
    logger->log(now, {}, spdlog::level::warn, R"("msg":"slow","latency_ms":12.500)");
  }
  EXPECT_EQ(recorder.Text(), direct_text.str());
  EXPECT_EQ(Lines(recorder.Text()).size(), 2u);
}

}  // namespace
}  // namespace shipline::app
