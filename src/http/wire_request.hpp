#pragma once

// The checks the transport makes on a request's raw bytes before any handler
// sees it, as plain functions of bytes: http/server.cpp runs them on what it
// reads from a socket, and the fuzz target fuzz/http_request.cpp on bytes it
// makes up, so both go through the same code.

#include <string_view>
#include <vector>

#include "http/message.hpp"

namespace shipline::http {

// True for an X-Request-Id a client may choose: 1 to 64 of [A-Za-z0-9._-].
bool UsableRequestId(std::string_view id);

// Splits the target into the path (still percent-encoded: the router decodes
// each segment) and decoded query parameters of `request`. False for a target
// that is not a valid origin-form URL or whose parameters are not UTF-8.
bool ParseTarget(std::string_view target, Request& request);

// True once `bytes` hold a whole header block; `folded` then tells whether a
// field was continued on the next line (obs-fold), which RFC 9112 section 5.2
// lets a server refuse: the parser would join the lines, where another reader
// (a proxy in front) may not.
bool HeaderComplete(std::string_view bytes, bool& folded);

// The target of the request line at the start of `bytes` ("POST /a/b?c
// HTTP/1.1"), or empty.
std::string_view RequestLineTarget(std::string_view bytes);

// RFC 9112 section 6.3: a request whose Transfer-Encoding does not end in
// chunked cannot be framed, and a server that knows no other coding accepts
// only "chunked" itself, in one field. `values` are the values of every
// Transfer-Encoding field, in order (none: framed by Content-Length).
bool FramableTransferEncoding(const std::vector<std::string_view>& values);

}  // namespace shipline::http
