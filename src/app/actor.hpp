#pragma once

#include <cstdint>
#include <string>

#include "app/scopes.hpp"

namespace shipline::app {

// Who asks: the tenant an API key belongs to, the key's name (recorded as
// "by" in status history), the key itself (its id and scopes), the request
// id (for the log) and the request's W3C traceparent (its span; written on
// the events it causes and the parent of the outbound calls it makes; see
// app/trace_context.hpp).
struct Actor {
  int64_t tenant_id = 0;
  std::string name;
  std::string request_id;
  int64_t key_id = 0;
  Scopes scopes{};
  std::string traceparent{};
};

}  // namespace shipline::app
