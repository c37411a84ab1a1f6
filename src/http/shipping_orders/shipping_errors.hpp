#pragma once

// The Shipping Order API's error types: the one table from an endpoint and an
// error's code and reason to the seed's type, HTTP status and severity, and
// the one error body {"type", "code", "severity", "message"[, "field"]}.

#include <string>

#include "domain/result.hpp"
#include "http/message.hpp"

namespace shipline::http::shipping_orders {

enum class Endpoint { kCreate, kList, kGet, kEdit, kCancel, kHistory, kRetry };

struct ErrorType {
  const char* type;  // e.g. "NO_PROVIDER_MATCHED"
  int status;        // HTTP status
  bool transient;    // severity: transient (retrying later may help) or hard
};

// The error type of `error` at `endpoint`: its reason decides when this
// contract has a word for it, otherwise its code.
ErrorType TypeFor(Endpoint endpoint, const Error& error);

// The error body for an error; server faults are logged with the request id
// and answered with a generic message.
Response FailureResponse(const Request& request, Endpoint endpoint, const Error& error);

// The body the router uses for its own answers (401, 404, 405, 429, 500).
Response RouterError(int status, const std::string& message);

}  // namespace shipline::http::shipping_orders
