#include "adapters/system/process_stats.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace shipline::adapters {

ProcessStats ReadProcessStats() {
  ProcessStats stats;
  // statm: total program size, then resident pages.
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  if (statm >> size_pages >> resident_pages) {
    stats.resident_bytes = resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
  }
  std::error_code ec;
  std::filesystem::directory_iterator fds("/proc/self/fd", ec);
  if (!ec) {
    int64_t count = 0;
    for (auto it = fds; it != std::filesystem::directory_iterator(); it.increment(ec)) {
      if (ec) break;
      ++count;
    }
    // The listing's own descriptor is among those counted.
    if (!ec) stats.open_fds = count > 0 ? count - 1 : 0;
  }
  return stats;
}

}  // namespace shipline::adapters
