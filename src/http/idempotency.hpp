#pragma once

// The Idempotency-Key header of every write (app/idempotency_keys.hpp for the
// semantics). AnswerOnce runs a handler under the key the request carries:
// the first answer is stored and replayed byte for byte to a repeat (with
// Idempotent-Replayed: true); a key used for another request answers 422,
// one still being processed 409, in the contract's shape (`error_body`). A
// request without the header runs as before.

#include <cstdint>
#include <functional>

#include "app/idempotency_keys.hpp"
#include "http/message.hpp"
#include "http/router.hpp"

namespace shipline::http {

// Runs `handler` for `request` of `tenant_id` under its Idempotency-Key, if
// it carries one and `keys` is not null. A bad key (not 1-255 printable ASCII
// characters, or the header twice) is a 400 that runs nothing. Answers of
// 5xx and 429 are not stored: the client may retry them.
Response AnswerOnce(app::IdempotencyKeys* keys, Request& request, int64_t tenant_id,
                    const ErrorBody& error_body, const std::function<Response(Request&)>& handler);

// True for the methods whose requests may carry a key (POST, PUT, PATCH, DELETE).
bool TakesIdempotencyKey(std::string_view method);

}  // namespace shipline::http
