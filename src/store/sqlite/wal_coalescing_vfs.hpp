#pragma once

// A SQLite VFS that wraps the platform's default one and turns the many small
// writes of a WAL commit into one system call.
//
// SQLite appends each WAL frame as two writes (a 24-byte frame header, then
// the page), so a commit of N pages costs 2N pwrite calls before its sync.
// This VFS keeps consecutive writes to a WAL file in a per-file buffer (at
// most kWalWriteBuffer bytes) and hands them to the underlying file as one
// write when the next write is not contiguous, when the buffer is full, and
// before anything that could observe or depend on the file's contents: the
// WAL file's xSync, xRead, xTruncate, xFileSize, xFileControl, locks and
// close, and every shared-memory lock or barrier of its database file (the
// wal-index makes frames visible to other connections there, so a frame is
// always in the file before any reader can be told it exists, whatever the
// synchronous setting). A failed deferred write is reported by the call that
// flushed it; the buffered bytes are dropped then, as the transaction they
// belong to fails.
//
// The database file, the shared memory, journals and temporary files are
// passed through untouched. A WAL file is buffered only when its database
// file was opened through this VFS by the same connection (found by the
// filename SQLite hands to both opens); otherwise it is passed through too.
//
// Thread safety: SQLite uses a file from one thread at a time (shipline's
// connections are each used by one thread at a time); the registry that pairs
// a WAL file with its database file has its own lock.

#include <cstddef>

namespace shipline::store::sqlite {

// The name under which the VFS is registered; pass it to sqlite3_open_v2.
inline constexpr const char* kWalCoalescingVfs = "shipline-wal";

// The most bytes one WAL file keeps before writing them out: just under
// 128 KiB, because the unix VFS cuts a single write's length to its low 17
// bits (it expects at most a page) and then fails the rest as SQLITE_FULL.
// 31 frames of 4 KiB pages fit: one write instead of 62.
inline constexpr size_t kWalWriteBuffer = (size_t{128} << 10) - 1;

// Registers the VFS (once per process; later calls do nothing) on top of the
// default VFS. Returns false if SQLite has no default VFS or refuses the
// registration; the caller then opens with the default VFS.
bool RegisterWalCoalescingVfs();

}  // namespace shipline::store::sqlite
