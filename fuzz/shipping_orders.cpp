// The Shipping Order API (seed 003): bodies of create, edit and list (with
// its pagination token), answered in the contract's shape, never a fault;
// and the decoder itself: whatever ReadOrderFields accepts, OrderToJson
// writes as JSON that reads back to the same order.

#include <boost/json.hpp>

#include "http/shipping_orders/shipping_order_json.hpp"
#include "support/fuzz_world.hpp"
#include "support/properties.hpp"

namespace {

using namespace shipline;

void RoundTrip(std::string_view body) {
  auto object = http::ParseObject(body);
  if (!object) return;
  domain::ShippingOrder order;
  if (!http::shipping_orders::ReadOrderFields(*object, order).ok()) return;
  std::string first;
  http::shipping_orders::AppendSerialized(first, http::shipping_orders::OrderToJson(order));
  auto again = http::ParseObject(first);
  fuzz::Require(again.ok(), "an order written reads as a JSON object", first);
  domain::ShippingOrder reread;
  auto status = http::shipping_orders::ReadOrderFields(*again, reread);
  fuzz::Require(status.ok(), "an order written reads back", first);
  std::string second;
  http::shipping_orders::AppendSerialized(second, http::shipping_orders::OrderToJson(reread));
  fuzz::Require(first == second, "an order written reads back the same", first + "\n" + second);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::vector<fuzz::RouteCase> cases = {
      {"POST", "/api/shipping-orders/v1/shipments"},
      {"PUT", "/api/shipping-orders/v1/shipments/so-1"},
      {"POST", "/api/shipping-orders/v1/shipments/list"},
  };
  fuzz::RunContractInput(data, size, cases);
  if (size > 0) RoundTrip({reinterpret_cast<const char*>(data) + 1, size - 1});
  return 0;
}
