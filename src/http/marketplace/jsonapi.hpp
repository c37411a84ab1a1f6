#pragma once

// JSON:API (jsonapi.org) documents as the marketplace shipments contract
// (seed 004) uses them: media type, error documents and absolute links.

#include <string>
#include <string_view>

#include "http/json_io.hpp"

namespace shipline::http::marketplace {

inline constexpr const char* kMediaType = "application/vnd.api+json";

// A JSON:API document with `status`.
Response Document(int status, const json::value& document);

// {"errors": [{"status": "404", "title": "Not Found", "detail": ...,
// "source": {"pointer": ...}}]}; the source is left out without a pointer.
Response ErrorDocument(int status, std::string_view detail, std::string_view pointer = {});

// The router's error body (401, 404, 405, 500) as a JSON:API document.
Response RouterError(int status, const std::string& message);

// "scheme://host" of the request (Host and X-Forwarded-Proto), or "" when
// the request has no Host; links are this plus a path.
std::string BaseUrl(const Request& request);

}  // namespace shipline::http::marketplace
