#include "store/sqlite/wal_coalescing_vfs.hpp"

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace shipline::store::sqlite {

namespace {

enum class Kind { kDatabase, kWal, kOther };

// What SQLite allocates for each open file (szOsFile bytes): this header,
// then the underlying VFS's own file object at `real`.
struct ShimFile {
  sqlite3_file base;  // first, so SQLite's sqlite3_file* is a ShimFile*
  sqlite3_file* real;
  Kind kind;
  // kDatabase: the name SQLite opened it with (the registry's key) and the
  // WAL file of the same connection while that one is open.
  const char* name;
  ShimFile* wal;
  // kWal: its database file, and the bytes written but not yet handed to
  // the underlying file, which start at pending_offset.
  ShimFile* db;
  sqlite3_int64 pending_offset;
  std::vector<unsigned char> pending;
};

sqlite3_vfs* base_vfs = nullptr;

// The open database files by the name pointer SQLite gave their xOpen.
// SQLite's pager passes the WAL file a name from the same allocation, from
// which sqlite3_filename_database() returns that very pointer.
std::mutex registry_mutex;
std::unordered_map<const char*, ShimFile*>& Registry() {
  static auto* registry = new std::unordered_map<const char*, ShimFile*>();
  return *registry;
}

ShimFile* Shim(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file); }
const sqlite3_io_methods* Real(ShimFile* f) { return f->real->pMethods; }

// Hands the buffered bytes to the underlying file in one write. On failure
// they stay buffered (the next flush tries again, as a page cache would)
// and the error goes to the caller.
int Flush(ShimFile* wal) {
  if (wal == nullptr || wal->pending.empty()) return SQLITE_OK;
  int rc = Real(wal)->xWrite(wal->real, wal->pending.data(), static_cast<int>(wal->pending.size()),
                             wal->pending_offset);
  if (rc == SQLITE_OK) wal->pending.clear();
  return rc;
}

int FlushOwn(ShimFile* f) { return f->kind == Kind::kWal ? Flush(f) : SQLITE_OK; }

// --- Calls every kind forwards to the underlying file -----------------------

template <auto kMember>
struct Forward;

// Flushed: a WAL file's buffer is written out first (the call could read,
// size, sync or lock what was written). Plain: forwarded as it is.
template <typename... Args, int (*sqlite3_io_methods::*kMember)(sqlite3_file*, Args...)>
struct Forward<kMember> {
  static int Flushed(sqlite3_file* file, Args... args) {
    ShimFile* f = Shim(file);
    if (int rc = FlushOwn(f); rc != SQLITE_OK) return rc;
    return (Real(f)->*kMember)(f->real, args...);
  }
  static int Plain(sqlite3_file* file, Args... args) {
    ShimFile* f = Shim(file);
    return (Real(f)->*kMember)(f->real, args...);
  }
};

// An unlock happens even when the flush before it fails.
int Unlock(sqlite3_file* file, int level) {
  ShimFile* f = Shim(file);
  int flushed = FlushOwn(f);
  int rc = Real(f)->xUnlock(f->real, level);
  return flushed != SQLITE_OK ? flushed : rc;
}

// The wal-index lives in the database file's shared memory: before a lock
// changes hands or a barrier publishes its header, the connection's WAL
// frames must be in the WAL file, where other connections read them.
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
  ShimFile* f = Shim(file);
  int flushed = Flush(f->wal);
  if (flushed != SQLITE_OK && (flags & SQLITE_SHM_LOCK) != 0) return flushed;
  return Real(f)->xShmLock(f->real, offset, n, flags);
}

// A barrier cannot report an error: a failed write stays buffered and the
// WAL file's next call (a read, a sync, its close) reports it. With
// synchronous=FULL, shipline's setting, a commit's xSync has written
// everything before its barrier, so nothing is pending here.
void ShmBarrier(sqlite3_file* file) {
  ShimFile* f = Shim(file);
  (void)Flush(f->wal);
  Real(f)->xShmBarrier(f->real);
}

// --- The WAL file's writes and every kind's close --------------------------

int WalWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  ShimFile* f = Shim(file);
  auto size = static_cast<sqlite3_int64>(f->pending.size());
  bool contiguous = !f->pending.empty() && offset == f->pending_offset + size;
  if (!contiguous || f->pending.size() + static_cast<size_t>(amount) > kWalWriteBuffer) {
    if (int rc = Flush(f); rc != SQLITE_OK) return rc;
  }
  if (static_cast<size_t>(amount) > kWalWriteBuffer) {
    return Real(f)->xWrite(f->real, data, amount, offset);
  }
  if (f->pending.empty()) {
    f->pending.reserve(kWalWriteBuffer);
    f->pending_offset = offset;
  }
  const auto* bytes = static_cast<const unsigned char*>(data);
  f->pending.insert(f->pending.end(), bytes, bytes + amount);
  return SQLITE_OK;
}

int Close(sqlite3_file* file) {
  ShimFile* f = Shim(file);
  int flushed = f->kind == Kind::kWal ? Flush(f) : Flush(f->wal);
  {
    std::lock_guard lock(registry_mutex);
    if (f->kind == Kind::kWal) {
      if (f->db != nullptr) f->db->wal = nullptr;
    } else if (f->kind == Kind::kDatabase) {
      if (f->wal != nullptr) f->wal->db = nullptr;
      auto found = Registry().find(f->name);
      if (found != Registry().end() && found->second == f) Registry().erase(found);
    }
  }
  int rc = Real(f)->xClose(f->real);
  f->~ShimFile();
  return flushed != SQLITE_OK ? flushed : rc;
}

constexpr sqlite3_io_methods MethodsWith(int (*write)(sqlite3_file*, const void*, int,
                                                      sqlite3_int64)) {
  return sqlite3_io_methods{3,
                            Close,
                            Forward<&sqlite3_io_methods::xRead>::Flushed,
                            write,
                            Forward<&sqlite3_io_methods::xTruncate>::Flushed,
                            Forward<&sqlite3_io_methods::xSync>::Flushed,
                            Forward<&sqlite3_io_methods::xFileSize>::Flushed,
                            Forward<&sqlite3_io_methods::xLock>::Flushed,
                            Unlock,
                            Forward<&sqlite3_io_methods::xCheckReservedLock>::Flushed,
                            Forward<&sqlite3_io_methods::xFileControl>::Flushed,
                            Forward<&sqlite3_io_methods::xSectorSize>::Plain,
                            Forward<&sqlite3_io_methods::xDeviceCharacteristics>::Plain,
                            Forward<&sqlite3_io_methods::xShmMap>::Plain,
                            ShmLock,
                            ShmBarrier,
                            Forward<&sqlite3_io_methods::xShmUnmap>::Plain,
                            Forward<&sqlite3_io_methods::xFetch>::Flushed,
                            Forward<&sqlite3_io_methods::xUnfetch>::Plain};
}

// Every kind shares the calls above, which flush only a WAL file (and, for
// shared memory, a database file's WAL); only the WAL file buffers writes.
constexpr sqlite3_io_methods kPassMethods =
    MethodsWith(Forward<&sqlite3_io_methods::xWrite>::Plain);
constexpr sqlite3_io_methods kWalMethods = MethodsWith(WalWrite);

size_t HeaderSize() { return (sizeof(ShimFile) + 15) & ~size_t{15}; }

int Open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* f = new (file) ShimFile{};
  f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + HeaderSize());
  int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out_flags);
  if (f->real->pMethods == nullptr) {
    f->~ShimFile();
    file->pMethods = nullptr;
    return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
  }
  // The shared-memory and fetch calls need version 3 of the file methods.
  if (f->real->pMethods->iVersion < 3) {
    f->real->pMethods->xClose(f->real);
    f->~ShimFile();
    file->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  f->kind = Kind::kOther;
  f->base.pMethods = &kPassMethods;
  if (rc != SQLITE_OK || name == nullptr) return rc;
  std::lock_guard lock(registry_mutex);
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0) {
    f->kind = Kind::kDatabase;
    f->name = name;
    Registry()[name] = f;
  } else if ((flags & SQLITE_OPEN_WAL) != 0) {
    auto found = Registry().find(sqlite3_filename_database(name));
    if (found != Registry().end() && found->second->wal == nullptr) {
      f->kind = Kind::kWal;
      f->db = found->second;
      f->db->wal = f;
      f->base.pMethods = &kWalMethods;
    }
  }
  return rc;
}

// --- Calls on the VFS itself go to the base VFS -----------------------------

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return base_vfs->xDelete(base_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return base_vfs->xAccess(base_vfs, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return base_vfs->xFullPathname(base_vfs, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return base_vfs->xDlOpen(base_vfs, name); }
void DlError(sqlite3_vfs*, int size, char* out) { base_vfs->xDlError(base_vfs, size, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
  return base_vfs->xDlSym(base_vfs, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) { base_vfs->xDlClose(base_vfs, handle); }
int Randomness(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xRandomness(base_vfs, size, out);
}
int Sleep(sqlite3_vfs*, int micros) { return base_vfs->xSleep(base_vfs, micros); }
int CurrentTime(sqlite3_vfs*, double* out) { return base_vfs->xCurrentTime(base_vfs, out); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return base_vfs->xGetLastError(base_vfs, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

bool Register() {
  base_vfs = sqlite3_vfs_find(nullptr);
  if (base_vfs == nullptr || base_vfs->iVersion < 2) return false;
  static sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(HeaderSize()) + base_vfs->szOsFile;
  vfs.mxPathname = base_vfs->mxPathname;
  vfs.zName = kWalCoalescingVfs;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

}  // namespace

bool RegisterWalCoalescingVfs() {
  static const bool registered = Register();
  return registered;
}

}  // namespace shipline::store::sqlite
