#include "adapters/curl_global.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace shipline::adapters {

void EnsureCurlGlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] {
    CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
      spdlog::error("{{\"msg\":\"curl_global_init failed\",\"code\":{}}}", static_cast<int>(code));
    }
  });
}

}  // namespace shipline::adapters
