#pragma once

// Data that shipline keeps and passes on without reading it (an order's
// extraData, a line's customData, a 3PL's pallets and serial numbers): a
// JSON array of objects, checked for shape and size only, and kept as text.

#include <string>
#include <string_view>

#include "domain/result.hpp"
#include "http/json_io.hpp"

namespace shipline::http {

inline constexpr size_t kMaxPassThroughEntries = 100;
inline constexpr size_t kMaxPassThroughBytes = 16 * 1024;

// `key` of `object` as compact JSON text: "" when absent, null or empty.
// kInvalidArgument naming `path` unless it is an array of at most 100
// objects, at most 16 KiB as compact JSON.
Result<std::string> ReadPassThrough(const json::object& object, std::string_view key,
                                    const std::string& path);

// Kept text as JSON: the array it holds, [] for "" (or for text that is
// somehow not an array: never an error on the way out).
json::value PassThroughJson(const std::string& text);

}  // namespace shipline::http
