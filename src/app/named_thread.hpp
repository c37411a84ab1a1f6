#pragma once

// Threads that carry a name, so that `top -H`, `ps -L`, perf and gdb tell the
// SQLite writer from an email worker (threads without one show the process's
// name). Linux keeps the first 15 bytes of a name.

#include <string>
#include <thread>
#include <utility>

namespace shipline::app {

// Names the calling thread.
void NameThisThread(const std::string& name);

// A std::thread that names itself before it runs `body`.
template <typename Body>
std::thread NamedThread(std::string name, Body body) {
  return std::thread([name = std::move(name), body = std::move(body)]() mutable {
    NameThisThread(name);
    body();
  });
}

}  // namespace shipline::app
