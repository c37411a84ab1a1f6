#pragma once

// JSON in and out for the codecs: parsing a request body into an object with
// clear errors, typed field access that names the field on failure, and JSON
// responses.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/result.hpp"
#include "domain/text_limits.hpp"
#include "http/message.hpp"

namespace shipline::http {

namespace json = boost::json;

// Parses `body` as a JSON object. kInvalidArgument for anything else (not
// JSON, another type, nesting deeper than 32), and for a string or member
// name anywhere in it longer than domain::kMaxTextBytes, naming its path
// ("config.services[0].id").
Result<json::object> ParseObject(std::string_view body);

// Field access. `path` is the name reported in errors (e.g. "customer.email").
// A missing or null optional field gives std::nullopt; a present field of the
// wrong type, or a text longer than its kind allows (domain/text_limits.hpp),
// is an error.
Result<std::optional<std::string>> OptionalString(const json::object& object, std::string_view key,
                                                  std::string_view path, domain::TextKind kind);
Result<std::string> RequiredString(const json::object& object, std::string_view key,
                                   std::string_view path, domain::TextKind kind);
// An array of strings, each held to `kind`; empty when absent or null.
Result<std::vector<std::string>> OptionalStrings(const json::object& object, std::string_view key,
                                                 std::string_view path, domain::TextKind kind);
Result<std::optional<int64_t>> OptionalInt(const json::object& object, std::string_view key,
                                           std::string_view path);
// Accepts true/false, and 1/0 as some contracts send.
Result<std::optional<bool>> OptionalBool(const json::object& object, std::string_view key,
                                         std::string_view path);
Result<const json::object*> OptionalObject(const json::object& object, std::string_view key,
                                           std::string_view path);
Result<const json::array*> OptionalArray(const json::object& object, std::string_view key,
                                         std::string_view path);

Response JsonResponse(int status, const json::value& body);
json::object ErrorObject(std::string_view message);

// A string or JSON null when empty.
json::value StringOrNull(const std::string& text);

// Logs a server-side error with the request id; returns nothing so that the
// caller answers with its contract's generic body.
void LogServerFault(const Request& request, const Error& error);

}  // namespace shipline::http
