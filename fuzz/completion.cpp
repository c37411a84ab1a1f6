// The completion contract (seed 000): any body posted to complete-shipment
// gets a 2xx or 4xx answer of valid JSON, never a fault.

#include "support/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<shipline::fuzz::RouteCase> cases = {
      {"POST", "/integration/api/shipping/v1/shipments/complete-shipment"},
  };
  shipline::fuzz::RunContractInput(data, size, cases);
  return 0;
}
