#pragma once

// The Order API's table of errors (seed 001): the one place where an error's
// code and reason become this contract's HTTP status and "msg".

#include <string>

#include "domain/result.hpp"

namespace shipline::http::order_api {

struct Refusal {
  int status = 500;
  std::string msg;  // the answer's "msg"; the error's message only for bad input
};

// The status and msg for an error of the completion use case: 400 for bad
// input, a cancelled or not good-to-go shipment; 404 for an unknown one; 409
// when it is completed already or by another request now; 402 when the
// capture failed; 500 for the rest.
Refusal RefusalFor(const Error& error);

}  // namespace shipline::http::order_api
