#pragma once

// Every transfer of the adapters goes through here: curl_easy_perform blocks
// for as long as the peer takes, so on a request's fiber it runs on the
// handler pool while the fiber is parked (app::Blocking), never on an I/O
// thread.

#include <curl/curl.h>

namespace shipline::adapters {

// curl_easy_perform(handle), off the I/O threads.
CURLcode PerformTransfer(CURL* handle);

}  // namespace shipline::adapters
