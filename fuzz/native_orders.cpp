// The native JSON API: orders, shipments added to them, tracking updates,
// storefront settings, webhooks and locations, and the lists' filters. Every
// answer is valid JSON, never a fault.

#include "support/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<shipline::fuzz::RouteCase> cases = {
      {"POST", "/api/v1/orders"},
      {"POST", "/api/v1/orders/1001/shipments"},
      {"PUT", "/api/v1/shipments/1001-1/tracking"},
      {"PUT", "/api/v1/stores/main"},
      {"POST", "/api/v1/webhooks"},
      {"POST", "/api/v1/locations"},
      {"GET", "/api/v1/orders"},
      {"GET", "/api/v1/shipments"},
      {"POST", "/api/v1/api-keys"},
  };
  shipline::fuzz::RunContractInput(data, size, cases);
  return 0;
}
