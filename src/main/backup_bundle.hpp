#pragma once

// The file `shipline backup` writes: a POSIX tar (ustar) archive, readable by
// `tar tvf`, holding shipline.db (a plain SQLite database, no write-ahead log)
// and one mail/NAME.eml entry per mail file. Regular files only, names of at
// most 99 bytes, no folders, links or absolute paths.

#include <filesystem>
#include <string>
#include <vector>

#include "domain/result.hpp"

namespace shipline::main {

// One member of a bundle: its name in the archive and where its bytes are.
struct BundleMember {
  std::string name;
  std::filesystem::path source;
};

// Writes `members` to `target` (which must not exist) through a temporary
// beside it, synced and renamed, so a reader never sees half a bundle.
// kAlreadyExists when `target` exists; kInvalidArgument for a name the format
// cannot hold; kInternal for I/O failures, with the path.
Status WriteBundle(const std::filesystem::path& target, const std::vector<BundleMember>& members);

// True for the names a bundle may hold: shipline.db and mail/NAME, NAME one
// path component other than "." and "..".
bool IsBundleName(const std::string& name);

// Writes every member of the bundle at `source` below `folder` (which exists),
// each file synced. kInvalidArgument for what is not a bundle: a bad header or
// checksum, a name IsBundleName refuses, a repeated name, a truncated archive,
// or no shipline.db. Members already written stay: the caller owns cleaning up.
Status ExtractBundle(const std::filesystem::path& source, const std::filesystem::path& folder);

}  // namespace shipline::main
