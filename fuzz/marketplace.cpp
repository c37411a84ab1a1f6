// The marketplace contract (seed 004): JSON:API documents posted and put to
// an invoice's shipments, and its list's page parameters. Every answer is a
// valid JSON:API document, never a fault.

#include "support/fuzz_world.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<shipline::fuzz::RouteCase> cases = {
      {"POST", "/api/v2/client/invoices/1/shipments", "application/vnd.api+json"},
      {"PUT", "/api/v2/client/invoices/1/shipments/1", "application/vnd.api+json"},
      {"GET", "/api/v2/client/invoices/1/shipments", "application/vnd.api+json"},
      {"POST", "/api/v2/client/invoices/2/shipments", "application/vnd.api+json"},
  };
  shipline::fuzz::RunContractInput(data, size, cases);
  return 0;
}
