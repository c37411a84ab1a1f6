#pragma once

#include <string>

#include "http/server.hpp"

namespace shipline::main {

// Reads "HOST:PORT" (an IPv6 host in brackets) into `options`; false when
// it is not that.
bool SplitListen(const std::string& listen, http::ServerOptions& options);

}  // namespace shipline::main
