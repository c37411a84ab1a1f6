#pragma once

// The completion contract's table of errors (seed 000): the one place where
// an error's code and reason become this contract's HTTP status.

#include "domain/result.hpp"
#include "http/message.hpp"

namespace shipline::http::ep {

// 400 (bad input, or the shipment is not RELEASED), 404 (no such shipment),
// 409 (completed already, or by another request now) or 500.
int StatusFor(const Error& error);

// {"error": message} with StatusFor(error); a server fault is logged with the
// request id and answered with a generic message.
Response ErrorResponse(const Request& request, const Error& error);

}  // namespace shipline::http::ep
