#pragma once

// How the order API reads its request: a JSON object or a form-encoded body,
// with fields typed loosely as its clients send them ("order": "83651" or
// 83651, "capture": 1 or true or "1").

#include <optional>
#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "http/json_io.hpp"

namespace shipline::http::order_api {

// The body as an object: JSON, or application/x-www-form-urlencoded (every
// value a string) when `content_type` says so and the body is not a JSON
// object. kInvalidArgument otherwise, and for a field name or value longer
// than domain::kMaxTextBytes.
Result<json::object> ParseBody(std::string_view body, std::string_view content_type);

// A string, or an integer written as a string, held to the limit of `kind`.
// nullopt when absent or null.
Result<std::optional<std::string>> LooseString(const json::object& object, std::string_view key,
                                               domain::TextKind kind);

// true/false, 1/0, or the strings "true", "false", "1", "0", "yes", "no".
Result<std::optional<bool>> LooseBool(const json::object& object, std::string_view key);

// An integer, or a string of decimal digits.
Result<std::optional<int64_t>> LooseInt(const json::object& object, std::string_view key);

}  // namespace shipline::http::order_api
