// The order API (seed 001) with its loose types: JSON or form-encoded
// bodies, answered in JSON or, when asked, in XML. Every answer is valid JSON
// or well-formed XML with only XML characters, and never a fault.

#include "support/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<shipline::fuzz::RouteCase> cases = {
      {"POST", "/api/order/shipment"},
      {"PUT", "/api/order/shipment"},
      {"POST", "/api/order/shipment", "application/x-www-form-urlencoded"},
      {"PUT", "/api/order/shipment?xml=1", "application/x-www-form-urlencoded"},
      {"POST", "/api/order/shipment?xml=1"},
  };
  shipline::fuzz::RunContractInput(data, size, cases);
  return 0;
}
