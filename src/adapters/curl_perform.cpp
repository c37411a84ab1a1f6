#include "adapters/curl_perform.hpp"

#include "app/fiber.hpp"

namespace shipline::adapters {

CURLcode PerformTransfer(CURL* handle) {
  return app::Blocking([handle] { return curl_easy_perform(handle); });
}

}  // namespace shipline::adapters
