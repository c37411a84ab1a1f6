#pragma once

// The order API's complete shipment (seed 001): POST and PUT
// /api/order/shipment. Completion runs through app::CompleteShipment, with
// the same once-only guarantees as every other completion contract.
//
// Answers {"status": "ok", "order": ..., "shipment": "..."} or
// {"status": "no", "msg": "...", "order": ..., "shipment": "..."} (as XML
// with "xml": true), with a matching HTTP status: 200 ok; 400 bad input, not
// good-to-go or not shipped; 402 capture failed; 404 unknown shipment; 409
// already completed or being completed; 500 server fault.

#include "app/complete_shipment.hpp"
#include "http/router.hpp"

namespace shipline::http::order_api {

void AddRoutes(Router& router, app::CompleteShipment& complete);

}  // namespace shipline::http::order_api
