#pragma once

// The 3PL shipment-notification receiver's table of errors: the one place
// where a rejected notification's code and reason become this contract's HTTP
// status. (The 3PL administration routes answer with the native API's.)

#include "domain/result.hpp"

namespace shipline::http::threepl {

// A body that is not the seed's shape (`parse_error`, known to the codec
// that parsed it) is 400; one that is well formed but cannot be applied is
// 404 (unknown order or shipment), 409 (cancelled, completed, ambiguous) or
// 422 (skus or quantities the order does not have); 503 when the capture
// failed (the 3PL should retry); 500 for the rest.
int RejectionStatus(const Error& error, bool parse_error);

}  // namespace shipline::http::threepl
