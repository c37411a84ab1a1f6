// Pagination tokens and cursors as clients hand them back: the native lists'
// signed cursors, the Shipping Order API's paginationToken and the
// marketplace's page[number] and page[size]. A damaged token is a 400 (or an
// empty page), never a fault. Base64url round-trips both ways.

#include <string>

#include "app/base64url.hpp"
#include "app/log.hpp"
#include "support/fuzz_world.hpp"
#include "support/properties.hpp"

namespace {

using namespace shipline;

std::string PercentEncoded(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view token(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto& world = fuzz::FuzzWorld::Get();
  switch (data[0] % 6) {
    case 0:
      world.Call("GET", "/api/v1/orders?cursor=" + PercentEncoded(token), "");
      break;
    case 1:
      world.Call("GET", "/api/v1/shipments?status=SHIPPED&cursor=" + PercentEncoded(token), "");
      break;
    case 2: {
      std::string body = "{\"paginationToken\":";
      app::AppendJsonString(body, token);
      body += "}";
      world.Call("POST", "/api/shipping-orders/v1/shipments/list", body);
      break;
    }
    case 3:
      world.Call("GET", "/api/v2/client/invoices/1/shipments?page[number]=" + PercentEncoded(token),
                 "");
      break;
    case 4:
      world.Call("GET", "/api/v2/client/invoices/1/shipments?page[size]=" + PercentEncoded(token),
                 "");
      break;
    default:
      world.Call("GET", "/api/v1/orders?limit=" + PercentEncoded(token), "");
      break;
  }
  auto encoded = app::Base64Url(token);
  auto decoded = app::FromBase64Url(encoded);
  fuzz::Require(decoded && *decoded == token, "base64url decodes what it encodes");
  if (auto raw = app::FromBase64Url(token)) {
    auto again = app::FromBase64Url(app::Base64Url(*raw));
    fuzz::Require(again && *again == *raw, "decoded base64url encodes and decodes again");
  }
  return 0;
}
