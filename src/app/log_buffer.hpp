#pragma once

// A bounded buffer of whole log lines that one background thread writes out in
// batches, so that logging a line costs a copy, not a write(2), on the thread
// that logs it (the access log runs on the HTTP I/O threads).
//
// Lines come out whole, never interleaved, in the order Append() took them.
// The background thread writes what has gathered every `interval`, as soon as
// half the capacity is used, on Flush() and on Stop(). Nothing appended before
// Stop() returns is lost; a line appended after Stop() is written at once on
// the caller's thread, after everything before it.
//
// Bounded: a line that does not fit in what is left of the capacity makes
// Append() wait until the background thread has taken the buffer (it then
// fills a second buffer while the first is written, so memory stays within
// twice the capacity). That is what nginx's `access_log ... buffer=` does when
// its buffer is full: the log slows the server down rather than lose lines or
// grow without limit. Such waits are counted (`full_waits()`). A line larger
// than the whole capacity waits for an empty buffer and goes in alone.
//
// Thread safety: every member may be called from any thread, concurrently.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace shipline::app {

class LogBuffer {
 public:
  // Writes `bytes` (whole lines) to the destination. Called by one thread at a
  // time, batches in order. A log has nowhere to report a failed write: the
  // writer ignores it.
  using Writer = std::function<void(std::string_view bytes)>;

  struct Options {
    size_t capacity = 256 * 1024;             // bytes held before Append() waits
    std::chrono::milliseconds interval{200};  // the longest a line waits to be written
  };

  LogBuffer(Writer writer, Options options);
  ~LogBuffer();  // Stop()
  LogBuffer(const LogBuffer&) = delete;
  LogBuffer& operator=(const LogBuffer&) = delete;

  // Queues `line` (its newline included) behind every line appended before.
  void Append(std::string_view line);
  // Returns once every line appended before the call has been written.
  void Flush();
  // Writes what is left and ends the background thread. Idempotent.
  void Stop();

  // How many times Append() had to wait for room.
  uint64_t full_waits() const;

 private:
  void Run();

  const Writer writer_;
  const Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the background thread waits here
  std::condition_variable written_;  // Append() and Flush() wait here
  std::string pending_;
  bool urged_ = false;     // the thread was told to write before its timer
  bool stopping_ = false;  // Stop() has begun: the thread writes all and ends
  bool stopped_ = false;   // the thread has ended: Append() writes directly
  uint64_t taken_ = 0;     // batches the thread has taken from pending_
  uint64_t written_batches_ = 0;
  uint64_t full_waits_ = 0;
  std::thread thread_;
};

// A Writer to a file descriptor (standard error: 2), retrying short writes.
LogBuffer::Writer WriteToFd(int fd);

}  // namespace shipline::app
