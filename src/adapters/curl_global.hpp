#pragma once

// libcurl keeps process-wide state that must be set up once, before any easy
// handle exists and never concurrently with another setup.

namespace shipline::adapters {

// Runs curl_global_init exactly once per process, however many threads call
// it. Every adapter that creates a curl easy handle calls this first (in its
// constructor). A failed setup is logged; later curl_easy_init calls then
// return null, which the adapters report as kUnavailable. Thread-safe.
void EnsureCurlGlobalInit();

}  // namespace shipline::adapters
