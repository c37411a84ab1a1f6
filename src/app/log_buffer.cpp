#include "app/log_buffer.hpp"

#include <unistd.h>

#include <cerrno>
#include <utility>

#include "app/named_thread.hpp"

namespace shipline::app {

LogBuffer::LogBuffer(Writer writer, Options options)
    : writer_(std::move(writer)), options_(options) {
  pending_.reserve(options_.capacity);
  thread_ = NamedThread("log-writer", [this] { Run(); });
}

LogBuffer::~LogBuffer() { Stop(); }

void LogBuffer::Append(std::string_view line) {
  std::unique_lock lock(mutex_);
  if (stopped_) {
    writer_(line);  // under the lock: in order with other late lines
    return;
  }
  // A line larger than the whole capacity goes into an empty buffer alone.
  auto room = [&] {
    return pending_.empty() || pending_.size() + line.size() <= options_.capacity;
  };
  if (!room()) {
    ++full_waits_;
    urged_ = true;
    wake_.notify_one();
    written_.wait(lock, [&] { return stopped_ || room(); });
    if (stopped_) {
      writer_(line);
      return;
    }
  }
  pending_.append(line);
  if (!urged_ && pending_.size() >= options_.capacity / 2) {
    urged_ = true;
    wake_.notify_one();
  }
}

void LogBuffer::Flush() {
  std::unique_lock lock(mutex_);
  if (stopped_) return;
  uint64_t target = taken_ + (pending_.empty() ? 0 : 1);
  if (written_batches_ >= target) return;
  urged_ = true;
  wake_.notify_one();
  written_.wait(lock, [&] { return written_batches_ >= target || stopped_; });
}

void LogBuffer::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  std::lock_guard lock(mutex_);
  // Lines appended between the thread's last look and now.
  if (!pending_.empty()) writer_(pending_);
  pending_.clear();
  stopped_ = true;
  written_.notify_all();
}

uint64_t LogBuffer::full_waits() const {
  std::lock_guard lock(mutex_);
  return full_waits_;
}

void LogBuffer::Run() {
  std::string batch;
  batch.reserve(options_.capacity);
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait_for(lock, options_.interval, [&] { return urged_ || stopping_; });
    urged_ = false;
    if (!pending_.empty()) {
      batch.swap(pending_);  // pending_ gets the written batch's cleared storage
      ++taken_;
      written_.notify_all();  // room for appenders that wait
      lock.unlock();
      writer_(batch);
      batch.clear();
      lock.lock();
      written_batches_ = taken_;
      written_.notify_all();
    }
    if (stopping_ && pending_.empty()) return;
  }
}

LogBuffer::Writer WriteToFd(int fd) {
  return [fd](std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return;
      }
      bytes.remove_prefix(static_cast<size_t>(n));
    }
  };
}

}  // namespace shipline::app
