// CPU time per SQLite commit through shipline's WAL-coalescing VFS or through
// SQLite's default VFS (docs/PERFORMANCE.md, "System calls per SQLite commit").
//
//   cmake --build build --target wal_commit_cpu
//   build/wal_commit_cpu shim 2000 DIR; build/wal_commit_cpu plain 2000 DIR   (alternate them)
//
// Each commit rewrites 60 rows of 3,000 bytes spread over the table (about
// 60 changed pages, like a group of completions) with synchronous=FULL.
// Prints user + system CPU time per commit; the database is made in DIR and
// removed afterwards.

#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "store/sqlite/wal_coalescing_vfs.hpp"

namespace {

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

bool Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return true;
  std::fprintf(stderr, "%s: %s\n", sql.substr(0, 60).c_str(), message ? message : "");
  sqlite3_free(message);
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 || (std::string(argv[1]) != "shim" && std::string(argv[1]) != "plain")) {
    std::fprintf(stderr, "usage: wal_commit_cpu shim|plain COMMITS DIR\n");
    return 2;
  }
  const bool shim = std::string(argv[1]) == "shim";
  const int commits = std::atoi(argv[2]);
  if (!shipline::store::sqlite::RegisterWalCoalescingVfs()) return 1;
  std::filesystem::path path =
      std::filesystem::path(argv[3]) / ("wal_commit_cpu." + std::to_string(getpid()) + ".db");
  sqlite3* db = nullptr;
  const char* vfs = shim ? shipline::store::sqlite::kWalCoalescingVfs : nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) !=
      SQLITE_OK) {
    return 1;
  }
  bool ok = Exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                 "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB); "
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000) "
                 "INSERT INTO t SELECT i, randomblob(3000) FROM n;");
  double start = CpuSeconds();
  for (int c = 0; ok && c < commits; ++c) {
    std::string sql = "UPDATE t SET b = randomblob(3000) WHERE id IN (";
    for (int k = 0; k < 60; ++k) sql += (k ? "," : "") + std::to_string(1 + c % 100 + 100 * k);
    ok = Exec(db, sql + ")");
  }
  double cpu = CpuSeconds() - start;
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::filesystem::remove(path.string() + suffix);
  }
  if (!ok) return 1;
  std::printf("%s: %.0f us CPU per commit\n", argv[1], cpu * 1e6 / commits);
  return 0;
}
