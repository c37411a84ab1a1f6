#pragma once

// One round of a worker loop, with exceptions kept inside the worker: an
// exception that escaped a worker's thread would end the whole process
// (std::terminate). Whatever a round throws becomes an Internal error, which
// the loop logs and backs off from like any other failed round.

#include <exception>
#include <string>
#include <type_traits>

#include "domain/result.hpp"

namespace shipline::workers {

// Calls `round` (returning a Result or Status) and returns its result, or
// Error::Internal naming `what` when it throws.
template <typename Round>
std::invoke_result_t<Round&> Guarded(const char* what, Round&& round) {
  try {
    return round();
  } catch (const std::exception& e) {
    return Error::Internal(std::string(what) + " threw: " + e.what());
  } catch (...) {
    return Error::Internal(std::string(what) + " threw an unknown exception");
  }
}

}  // namespace shipline::workers
