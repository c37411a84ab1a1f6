#pragma once

// Runs a caller's function inside a store transaction so that an exception it
// throws (a bug, or std::bad_alloc) fails that caller with kInternal instead
// of unwinding through the writer thread, which serves every other caller
// too: a writer that dies takes the process with it. The cause goes to the
// error's detail, for the log.

#include <exception>
#include <functional>
#include <string>

#include "domain/result.hpp"

namespace shipline::store {

template <typename Tx>
Status GuardedCall(const std::function<Status(Tx&)>& fn, Tx& tx) noexcept {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    return Error::Internal(std::string("exception in a store function: ") + e.what());
  } catch (...) {
    return Error::Internal("exception in a store function: unknown");
  }
}

}  // namespace shipline::store
