#pragma once

// The native API's table of errors (/api/v1, also the 3PL administration
// routes): the one place where an error's code and reason become this
// contract's HTTP status, and its error body
// {"error": message, "code": CODE[, "field": path]}.

#include <string>

#include "domain/result.hpp"
#include "http/message.hpp"

namespace shipline::http::native {

// 400 bad input or unmet precondition, 401, 403, 404, 409 taken key or
// conflict, 429, 503 a dependency failed, 500 for the rest. The native API
// names the code itself, so no reason changes the status.
int StatusFor(const Error& error);

// The native error body and status for an error; logs server faults and
// answers them with a generic message.
Response ErrorResponse(const Request& request, const Error& error);

// The body the router uses for its own answers (401, 404, 405, 500).
Response NativeError(int status, const std::string& message);

}  // namespace shipline::http::native
