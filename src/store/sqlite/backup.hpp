#pragma once

// A consistent copy of an embedded database while servers keep using it.

#include <string>

#include "domain/result.hpp"

namespace shipline::store::sqlite {

// Copies the database at `source` (with what its write-ahead log holds) to
// the new file `target` with SQLite's online backup API, in one step: the
// copy is the database as of one committed transaction. Writers go on
// meanwhile (WAL mode: the copy's read transaction blocks no one). `target`
// must not exist. kNotFound when `source` does not exist; kInternal with
// SQLite's message otherwise.
Status BackUpDatabase(const std::string& source, const std::string& target);

}  // namespace shipline::store::sqlite
