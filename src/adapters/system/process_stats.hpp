#pragma once

// The process's own resource use, read from /proc/self (Linux): for the
// metrics page. Values that cannot be read are left empty.

#include <cstdint>
#include <optional>

namespace shipline::adapters {

struct ProcessStats {
  std::optional<int64_t> resident_bytes;  // resident set size
  std::optional<int64_t> open_fds;        // open file descriptors
};

// Thread-safe; reads two small /proc files and lists /proc/self/fd.
ProcessStats ReadProcessStats();

}  // namespace shipline::adapters
