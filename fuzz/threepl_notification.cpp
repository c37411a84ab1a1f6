// The 3PL shipment notification (seed 002) a warehouse posts: the decoder
// either reads a command or names the field it refuses, in UTF-8; what it
// reads, it reads the same way twice.

#include "domain/utf8.hpp"
#include "http/threepl/shipment_notification_json.hpp"
#include "support/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shipline;
  std::string_view body(reinterpret_cast<const char*>(data), size);
  auto parsed = http::threepl::ParseShipmentNotification(body);
  if (!parsed) {
    fuzz::Require(!parsed.error().message.empty(), "a refusal says why");
    fuzz::Require(domain::IsValidUtf8(parsed.error().message), "a refusal is UTF-8",
                  parsed.error().message);
    return 0;
  }
  std::vector<std::string_view> texts = {parsed->order_number, parsed->shipment_number,
                                         parsed->carrier, parsed->service};
  for (const auto& package : parsed->packages) {
    texts.insert(texts.end(), {package.tracking_number, package.carrier, package.service,
                               package.tracking_url, package.weight_unit, package.dimension_unit});
    fuzz::Require(!package.weight || *package.weight >= 0, "a weight is not negative");
  }
  for (const auto& item : parsed->items) {
    texts.push_back(item.sku);
    fuzz::Require(item.quantity > 0, "an item's quantity is positive");
  }
  for (auto text : texts) fuzz::Require(domain::IsValidUtf8(text), "read text is UTF-8", text);
  auto again = http::threepl::ParseShipmentNotification(body);
  fuzz::Require(again.ok() && again->shipment_number == parsed->shipment_number,
                "reading twice gives the same command");
  return 0;
}
