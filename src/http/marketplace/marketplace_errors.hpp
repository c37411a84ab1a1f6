#pragma once

// The marketplace shipments contract's table of errors (seed 004): the one
// place where an error's code and reason become this contract's HTTP status,
// and the JSON:API error document for an error of the app layer.

#include <string_view>

#include "domain/result.hpp"
#include "http/message.hpp"

namespace shipline::http::marketplace {

// 400 for a shipment that would ship more than was ordered (the rule every
// contract shares); 404 for what does not exist; 409 for conflicts; 422 for
// other input that is well-formed but cannot be applied, an unmet
// precondition and a failed capture (the shipment was not created); 429 when
// a limit was hit; 500 for the rest.
int StatusFor(const Error& error);

// The error document for `error` with StatusFor(error); a server fault is
// logged and answered generically. `pointer` names the offending member of
// the request document, if known; it is shown, never decides the status.
Response ErrorFor(const Request& request, const Error& error, std::string_view pointer = {});

}  // namespace shipline::http::marketplace
