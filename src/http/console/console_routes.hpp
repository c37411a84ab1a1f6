#pragma once

// The operator console: static files embedded in the binary at build time
// (src/http/console/assets/, see cmake/Embed.cmake), served under /console/
// without a key. The console itself signs in with an API key and talks to
// the public API like any other client; these routes hand out only the
// files, which hold no data and no secret.

#include "http/router.hpp"

namespace shipline::http {

// GET / (a redirect to /console/), GET /console/ (the page) and
// GET /console/{asset}. Every answer carries a strict Content-Security-Policy
// (this origin only, no inline script or style) and an ETag; a matching
// If-None-Match gets 304.
void AddConsoleRoutes(Router& router);

}  // namespace shipline::http
