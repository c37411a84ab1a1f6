#pragma once

// A POSIX file descriptor owned by one scope, and a write that survives
// interruptions and short writes.

#include <unistd.h>

#include <cerrno>
#include <string_view>
#include <utility>

namespace shipline::adapters {

// Closes the descriptor on scope exit unless released or closed before.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;

  int get() const { return fd_; }
  int Release() { return std::exchange(fd_, -1); }
  // Closes now and reports close's own error, which can carry a late write
  // failure.
  int Close() { return ::close(Release()); }

 private:
  int fd_;
};

// Writes all of `data`; false (errno set) on an error.
inline bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace shipline::adapters
