#include "main/backup_bundle.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <set>
#include <utility>

#include "adapters/system/file_descriptor.hpp"

namespace shipline::main {

using adapters::FileDescriptor;

namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameSize = 100;
using Block = std::array<char, kBlock>;

Error IoError(const std::string& what, const std::filesystem::path& path) {
  return Error::Internal(what + " " + path.string() + ": " + std::strerror(errno));
}

Status WriteAll(int fd, const char* data, size_t size, const std::filesystem::path& path) {
  if (!adapters::WriteAll(fd, std::string_view(data, size))) return IoError("cannot write", path);
  return Status();
}

// Reads exactly `size` bytes; false at end of file or on an error.
bool ReadAll(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void PutOctal(char* field, size_t width, uint64_t value) {
  // width - 1 octal digits and a NUL, as ustar writes them.
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

unsigned Checksum(const Block& header) {
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    // The checksum field itself counts as eight spaces.
    bool in_field = i >= 148 && i < 156;
    sum += in_field ? ' ' : static_cast<unsigned char>(header[i]);
  }
  return sum;
}

Block Header(const std::string& name, uint64_t size) {
  Block header{};
  std::memcpy(header.data(), name.data(), name.size());
  PutOctal(header.data() + 100, 8, 0600);  // mode
  PutOctal(header.data() + 108, 8, 0);     // uid
  PutOctal(header.data() + 116, 8, 0);     // gid
  PutOctal(header.data() + 124, 12, size);
  PutOctal(header.data() + 136, 12, 0);  // mtime
  header[156] = '0';                     // a regular file
  std::memcpy(header.data() + 257, "ustar", 6);
  std::memcpy(header.data() + 263, "00", 2);
  std::snprintf(header.data() + 148, 8, "%06o", Checksum(header));
  header[155] = ' ';
  return header;
}

// The octal number of a header field; false when it is not one.
bool ParseOctal(const char* field, size_t width, uint64_t& value) {
  value = 0;
  size_t i = 0;
  while (i < width && field[i] == ' ') ++i;
  size_t digits = 0;
  for (; i < width && field[i] >= '0' && field[i] <= '7'; ++i, ++digits) {
    if (value > (UINT64_MAX >> 3)) return false;
    value = value * 8 + static_cast<uint64_t>(field[i] - '0');
  }
  for (; i < width; ++i) {
    if (field[i] != ' ' && field[i] != '\0') return false;
  }
  return digits > 0;
}

Status CopyInto(int out, const std::filesystem::path& source, const std::filesystem::path& target,
                uint64_t& size) {
  FileDescriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError("cannot open", source);
  struct stat st;
  if (::fstat(in.get(), &st) != 0) return IoError("cannot stat", source);
  size = static_cast<uint64_t>(st.st_size);
  std::array<char, 64 * 1024> buffer;
  uint64_t left = size;
  while (left > 0) {
    size_t chunk = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
    if (!ReadAll(in.get(), buffer.data(), chunk)) return IoError("cannot read", source);
    if (Status written = WriteAll(out, buffer.data(), chunk, target); !written.ok()) return written;
    left -= chunk;
  }
  return Status();
}

Status SyncFolder(const std::filesystem::path& folder) {
  FileDescriptor dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) return IoError("cannot sync", folder);
  return Status();
}

Error NotABundle(const std::filesystem::path& source, const std::string& why) {
  return Error::Invalid(source.string() + " is not a shipline backup: " + why);
}

}  // namespace

bool IsBundleName(const std::string& name) {
  if (name == "shipline.db") return true;
  if (!name.starts_with("mail/") || name.size() >= kNameSize) return false;
  std::string file = name.substr(5);
  return !file.empty() && file != "." && file != ".." && file.find('/') == std::string::npos &&
         file.find('\0') == std::string::npos;
}

Status WriteBundle(const std::filesystem::path& target, const std::vector<BundleMember>& members) {
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) return Error::Exists(target.string() + " exists");
  std::filesystem::path temp = target;
  temp += ".partial";
  FileDescriptor out(::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600));
  if (out.get() < 0) return IoError("cannot create", temp);
  auto write_members = [&]() -> Status {
    const Block zero{};
    for (const BundleMember& member : members) {
      if (!IsBundleName(member.name)) return Error::Invalid("cannot hold the name " + member.name);
      // The header's size is known only once the file is open: write a
      // placeholder, the content, then the real header over it.
      off_t header_at = ::lseek(out.get(), 0, SEEK_CUR);
      Block header = Header(member.name, 0);
      if (Status s = WriteAll(out.get(), header.data(), kBlock, temp); !s.ok()) return s;
      uint64_t size = 0;
      if (Status s = CopyInto(out.get(), member.source, temp, size); !s.ok()) return s;
      if (Status s = WriteAll(out.get(), zero.data(), (kBlock - size % kBlock) % kBlock, temp);
          !s.ok()) {
        return s;
      }
      header = Header(member.name, size);
      if (::pwrite(out.get(), header.data(), kBlock, header_at) != static_cast<ssize_t>(kBlock)) {
        return IoError("cannot write", temp);
      }
    }
    for (int i = 0; i < 2; ++i) {
      if (Status s = WriteAll(out.get(), zero.data(), kBlock, temp); !s.ok()) return s;
    }
    if (::fsync(out.get()) != 0) return IoError("cannot sync", temp);
    return Status();
  };
  Status written = write_members();
  ::close(out.Release());
  if (written.ok() && ::rename(temp.c_str(), target.c_str()) != 0) {
    written = IoError("cannot rename to", target);
  }
  if (!written.ok()) {
    std::filesystem::remove(temp, ec);
    return written;
  }
  return SyncFolder(target.has_parent_path() ? target.parent_path() : ".");
}

Status ExtractBundle(const std::filesystem::path& source, const std::filesystem::path& folder) {
  FileDescriptor in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (in.get() < 0) return IoError("cannot open", source);
  std::set<std::string> seen;
  std::array<char, 64 * 1024> buffer;
  for (;;) {
    Block header;
    if (!ReadAll(in.get(), header.data(), kBlock)) return NotABundle(source, "truncated");
    if (header == Block{}) break;  // the end-of-archive block
    uint64_t size = 0;
    uint64_t sum = 0;
    if (!ParseOctal(header.data() + 148, 8, sum) || sum != Checksum(header)) {
      return NotABundle(source, "bad header checksum");
    }
    if (std::memcmp(header.data() + 257, "ustar", 5) != 0) return NotABundle(source, "not ustar");
    if (header[156] != '0' && header[156] != '\0') {
      return NotABundle(source, "a member that is not a regular file");
    }
    if (!ParseOctal(header.data() + 124, 12, size)) return NotABundle(source, "bad member size");
    std::string name(header.data(), strnlen(header.data(), kNameSize));
    if (header[345] != '\0' || !IsBundleName(name)) {
      return NotABundle(source, "unexpected member " + name);
    }
    if (!seen.insert(name).second) return NotABundle(source, "repeated member " + name);
    std::filesystem::path target = folder / name;
    std::error_code ec;
    std::filesystem::create_directories(target.parent_path(), ec);
    FileDescriptor out(::open(target.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (out.get() < 0) return IoError("cannot create", target);
    uint64_t left = size;
    while (left > 0) {
      size_t chunk = static_cast<size_t>(std::min<uint64_t>(left, buffer.size()));
      if (!ReadAll(in.get(), buffer.data(), chunk)) return NotABundle(source, "truncated");
      if (Status s = WriteAll(out.get(), buffer.data(), chunk, target); !s.ok()) return s;
      left -= chunk;
    }
    if (::fsync(out.get()) != 0) return IoError("cannot sync", target);
    size_t padding = (kBlock - size % kBlock) % kBlock;
    if (padding > 0 && !ReadAll(in.get(), buffer.data(), padding)) {
      return NotABundle(source, "truncated");
    }
  }
  if (seen.count("shipline.db") == 0) return NotABundle(source, "no shipline.db");
  if (Status s = SyncFolder(folder); !s.ok()) return s;
  if (seen.size() > 1) return SyncFolder(folder / "mail");
  return Status();
}

}  // namespace shipline::main
