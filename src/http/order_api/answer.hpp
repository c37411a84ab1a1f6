#pragma once

// The order API's answer: {"status": "ok"|"no", "msg": ..., "order": ...,
// "shipment": ...} as JSON, or the same fields as an XML document when the
// client asked for XML.

#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace shipline::http::order_api {

struct Answer {
  bool ok = false;
  std::string msg;                   // why it failed; empty on success
  std::optional<std::string> order;  // as the client named it
  std::optional<std::string> shipment;
  std::vector<std::string> warnings;  // shown on success only when there are some
};

// Renders `answer` with HTTP status `status`. The order is written as a
// number when it is one (the contract's "order": 83651), else as a string.
Response Render(int status, const Answer& answer, bool xml);

}  // namespace shipline::http::order_api
