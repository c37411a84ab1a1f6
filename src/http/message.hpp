#pragma once

// The transport-neutral request and response that codecs see. Nothing outside
// http/server.cpp knows Beast.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/actor.hpp"

namespace shipline::http {

struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string request_id;
  // This request's span (W3C traceparent): the caller's trace with a new span
  // id, or a new trace when the caller sent none or an invalid one.
  std::string traceparent;
  std::vector<std::string> path_params;  // filled by the router, decoded, in pattern order
  app::Actor actor;                      // filled by the router after authentication
  // When the server had read the request (for its latency); unset in tests.
  std::chrono::steady_clock::time_point received_at{};

  // The first header named `name` (lower-case), if any.
  std::optional<std::string_view> Header(std::string_view name) const;
  // The first query parameter named `name`, if any.
  std::optional<std::string_view> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace shipline::http
