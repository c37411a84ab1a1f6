#pragma once

// GET /readyz for load balancers: 200 when this node can reach its store
// (one read transaction), 503 otherwise. /healthz, answered on the I/O
// thread, says only that the process serves HTTP; /readyz says whether
// requests sent here can succeed. No API key, no details in the body (the
// cause goes to the log).

#include "app/store.hpp"
#include "http/router.hpp"

namespace shipline::http {

void AddReadinessRoute(Router& router, app::Store& store);

}  // namespace shipline::http
