#pragma once

// The properties fuzz targets check beyond "no crash": each failure prints
// what broke and aborts, which libFuzzer reports as a crash with its input.

#include <string_view>

#include "http/message.hpp"

namespace shipline::fuzz {

// Aborts with `what` (and `detail`, when given) unless `holds`.
void Require(bool holds, std::string_view what, std::string_view detail = {});

// True for an XML 1.0 document of the shape shipline writes: an optional
// <?xml ...?> declaration, one root element of nested elements without
// attributes, character data holding only characters XML allows and only the
// five predefined entities or character references, in UTF-8.
bool WellFormedXml(std::string_view document);

// What every answer to any request must hold: a status of 100..499 (bad
// input is the client's fault, never a 5xx), a body of valid UTF-8 that
// parses as JSON when its type says JSON and as XML when it says XML, and
// header values without CR, LF or NUL.
void CheckResponse(const http::Response& response);

}  // namespace shipline::fuzz
