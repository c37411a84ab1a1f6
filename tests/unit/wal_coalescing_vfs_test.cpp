// The VFS that writes a commit's WAL frames in one call (wal_coalescing_vfs):
// other connections see every commit as soon as it is made, whatever the
// synchronous setting; transactions larger than its buffer, rollbacks and
// checkpoints leave a database that SQLite's own VFS reads back intact; and a
// process killed right after its commits were acknowledged loses none.

#include "store/sqlite/wal_coalescing_vfs.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "store/sqlite/connection.hpp"
#include "support/test_world.hpp"

namespace shipline {
namespace {

using store::sqlite::kWalCoalescingVfs;
using store::sqlite::kWalWriteBuffer;

// A raw handle on `path` through `vfs` (nullptr: SQLite's default), closed
// at the end of the scope.
class Handle {
 public:
  Handle(const std::string& path, const char* vfs) {
    EXPECT_TRUE(store::sqlite::RegisterWalCoalescingVfs());
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db_, flags, vfs), SQLITE_OK);
    sqlite3_busy_timeout(db_, 10'000);
  }
  ~Handle() { sqlite3_close(db_); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  // Runs `sql`; false (and a test failure naming SQLite's message) if it fails.
  bool Exec(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
    sqlite3_free(message);
    return rc == SQLITE_OK;
  }

  // The first column of the first row of `sql`, as text ("" if none).
  std::string Text(const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    std::string out;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    EXPECT_TRUE(rc == SQLITE_ROW || rc == SQLITE_DONE) << sql << ": " << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return out;
  }

  int64_t Int(const std::string& sql) {
    std::string text = Text(sql);
    return text.empty() ? -1 : std::stoll(text);
  }

  sqlite3* db() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

const char* const kSchema =
    "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, b BLOB);";

TEST(WalCoalescingVfs, ShiplineConnectionsUseIt) {
  test::TempDir dir;
  auto connection = store::sqlite::Connection::Open((dir.path() / "a.db").string(), false);
  ASSERT_TRUE(connection.ok()) << connection.error().detail;
  sqlite3_vfs* vfs = nullptr;
  ASSERT_EQ(sqlite3_file_control((*connection)->handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs),
            SQLITE_OK);
  ASSERT_NE(vfs, nullptr);
  EXPECT_STREQ(vfs->zName, kWalCoalescingVfs);
}

// With synchronous=OFF no sync flushes the buffer before the wal-index
// publishes a commit: only the flush at the shared-memory barrier and locks
// puts the frames in the file before another connection reads them.
TEST(WalCoalescingVfs, OtherConnectionsSeeEveryCommitWithoutASync) {
  test::TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  Handle writer(path, kWalCoalescingVfs);
  ASSERT_TRUE(writer.Exec(kSchema));
  ASSERT_TRUE(writer.Exec("PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=50;"));
  Handle shim_reader(path, kWalCoalescingVfs);
  Handle plain_reader(path, nullptr);
  for (int i = 1; i <= 300; ++i) {
    // Every tenth commit is larger than the buffer; the others fit in it.
    int bytes = i % 10 == 0 ? static_cast<int>(kWalWriteBuffer) * 2 : 3000;
    ASSERT_TRUE(writer.Exec("INSERT INTO t(id, b) VALUES(" + std::to_string(i) + ", randomblob(" +
                            std::to_string(bytes) + "))"));
    std::string expected = std::to_string(i);
    ASSERT_EQ(shim_reader.Text("SELECT count(*) FROM t"), expected);
    ASSERT_EQ(plain_reader.Text("SELECT max(id) FROM t"), expected);
    ASSERT_EQ(plain_reader.Int("SELECT length(b) FROM t WHERE id = " + expected), bytes);
  }
  EXPECT_EQ(plain_reader.Text("PRAGMA integrity_check"), "ok");
}

// A transaction larger than the buffer and than the page cache (so that
// SQLite writes frames before the commit and reads them back), a rollback of
// one, savepoints rolled back, a checkpoint: SQLite's own VFS reads the
// result intact.
TEST(WalCoalescingVfs, LargeTransactionsRollbacksAndCheckpointsStayIntact) {
  test::TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  std::string expected_sum;
  {
    Handle db(path, kWalCoalescingVfs);
    ASSERT_TRUE(db.Exec(kSchema));
    ASSERT_TRUE(db.Exec("PRAGMA synchronous=FULL; PRAGMA cache_size=20;"));
    ASSERT_TRUE(
        db.Exec("BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                "WHERE i < 400) INSERT INTO t(id, b) SELECT i, randomblob(5000) FROM n; "
                "COMMIT;"));
    ASSERT_TRUE(db.Exec("BEGIN; UPDATE t SET b = randomblob(6000); DELETE FROM t WHERE id > 100;"));
    ASSERT_TRUE(db.Exec("ROLLBACK"));
    ASSERT_TRUE(
        db.Exec("BEGIN; UPDATE t SET b = zeroblob(100) WHERE id <= 10; SAVEPOINT s; "
                "UPDATE t SET b = randomblob(7000) WHERE id > 10; ROLLBACK TO s; "
                "RELEASE s; COMMIT;"));
    EXPECT_EQ(db.Int("SELECT count(*) FROM t"), 400);
    expected_sum =
        db.Text("SELECT group_concat(hex(substr(b, 1, 16)) || hex(substr(b, -16)), '') FROM t");
    EXPECT_EQ(db.Int("SELECT sum(length(b)) FROM t"), 10 * 100 + 390 * 5000);
    ASSERT_TRUE(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"));
    ASSERT_TRUE(db.Exec("INSERT INTO t(id, b) VALUES(401, zeroblob(10))"));
    ASSERT_TRUE(db.Exec("DELETE FROM t WHERE id = 401"));
  }
  Handle plain(path, nullptr);
  EXPECT_EQ(plain.Text("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(plain.Int("SELECT count(*) FROM t"), 400);
  EXPECT_EQ(
      plain.Text("SELECT group_concat(hex(substr(b, 1, 16)) || hex(substr(b, -16)), '') FROM t"),
      expected_sum);
}

// A child process commits through the VFS (synchronous=FULL, as shipline
// runs) and reports each commit once COMMIT has returned; the parent kills it
// with SIGKILL mid-stream: every reported commit is in the database.
TEST(WalCoalescingVfs, CommitsAcknowledgedBeforeASigkillAreAllThere) {
  test::TempDir dir;
  std::string path = (dir.path() / "a.db").string();
  {
    Handle db(path, kWalCoalescingVfs);
    ASSERT_TRUE(db.Exec(kSchema));
  }
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, kWalCoalescingVfs) != SQLITE_OK) {
      _exit(2);
    }
    sqlite3_exec(db, "PRAGMA synchronous=FULL; PRAGMA wal_autocheckpoint=100;", nullptr, nullptr,
                 nullptr);
    // Ten rows a commit, some commits larger than the buffer, until killed.
    for (int32_t commit = 1; commit < 1'000'000; ++commit) {
      int bytes = commit % 7 == 0 ? 40'000 : 1'500;
      std::string sql =
          "BEGIN; WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
          "WHERE i < 9) INSERT INTO t(id, b) SELECT " +
          std::to_string(commit) + " * 10 + i, randomblob(" + std::to_string(bytes) +
          ") FROM n; COMMIT;";
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) _exit(3);
      if (write(pipe_fds[1], &commit, sizeof commit) != sizeof commit) _exit(4);
    }
    _exit(0);
  }
  close(pipe_fds[1]);
  int32_t acknowledged = 0;
  int32_t next = 0;
  while (acknowledged < 300 && read(pipe_fds[0], &next, sizeof next) == sizeof next) {
    acknowledged = next;
  }
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status)) << "the child stopped by itself: " << status;
  // Acknowledgements still in the pipe came before the kill too.
  while (read(pipe_fds[0], &next, sizeof next) == sizeof next) acknowledged = next;
  close(pipe_fds[0]);
  ASSERT_GE(acknowledged, 300);

  Handle plain(path, nullptr);
  EXPECT_EQ(plain.Text("PRAGMA integrity_check"), "ok");
  int64_t rows = plain.Int("SELECT count(*) FROM t");
  EXPECT_GE(rows, int64_t{acknowledged} * 10);
  // Whole commits only: ten rows each, numbered without gaps.
  EXPECT_EQ(rows % 10, 0);
  EXPECT_EQ(plain.Int("SELECT min(id) FROM t"), 10);
  EXPECT_EQ(plain.Int("SELECT max(id) FROM t"), rows + 9);
}

}  // namespace
}  // namespace shipline
