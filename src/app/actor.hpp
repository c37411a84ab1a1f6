#pragma once

#include <cstdint>
#include <string>

namespace shipline::app {

// Who asks: the tenant an API key belongs to, the key's name (recorded as
// "by" in status history) and the request id (for the log).
struct Actor {
  int64_t tenant_id = 0;
  std::string name;
  std::string request_id;
};

}  // namespace shipline::app
