#pragma once

#include <cstdint>
#include <string>

namespace shipline::app {

// Who asks: the tenant an API key belongs to, the key's name (recorded as
// "by" in status history), the request id (for the log) and the request's
// W3C traceparent (its span; written on the events it causes and the parent
// of the outbound calls it makes; see app/trace_context.hpp).
struct Actor {
  int64_t tenant_id = 0;
  std::string name;
  std::string request_id;
  std::string traceparent{};
};

}  // namespace shipline::app
