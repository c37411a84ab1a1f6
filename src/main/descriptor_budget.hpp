#pragma once

// How many client connections `shipline serve` can hold with the file
// descriptors it has. Every connection is a descriptor; so are the store's
// database files or sockets, the log, outbound calls, the metrics listener and
// the event loops. When the open-file limit cannot hold `--max-connections`
// besides all that, accepts would fail with EMFILE once the server is full
// (and so would opening a database file or sending an email): the server
// holds fewer connections instead, and says so at start.

#include <cstddef>

#include "main/commands.hpp"

namespace shipline::main {

// Raises this process's soft RLIMIT_NOFILE to its hard limit, as most servers
// do at start (the soft limit of a login shell, 1,024, is far below what a
// server needs). Returns the soft limit now in force; SIZE_MAX when
// unlimited. A failed raise is not an error: the limit stays as it was.
size_t RaiseOpenFileLimit();

// Descriptors that `serve` with `config` may hold at once besides its client
// connections: an estimate with room to spare, not an exact count.
size_t DescriptorsReserved(const ServeConfig& config);

// The connection limit that fits in `open_file_limit` descriptors of which
// `reserved` are needed elsewhere: `wanted` when it fits, otherwise what is
// left (at least a few, so that the server still answers).
size_t ConnectionsThatFit(size_t wanted, size_t open_file_limit, size_t reserved);

}  // namespace shipline::main
