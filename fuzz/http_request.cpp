// Raw bytes on a connection, through the transport's checks and Beast's
// parser (with the server's limits) to the router and every route: each
// request is refused with 400, 413 or 431 in its contract's shape, or
// answered by a route with a 1xx..4xx (CheckResponse); never a fault. Up to
// four pipelined requests per input, as on one kept-alive connection.

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>

#include "http/wire_request.hpp"
#include "support/fuzz_world.hpp"
#include "support/properties.hpp"

namespace {

using namespace shipline;
namespace bhttp = boost::beast::http;

constexpr size_t kHeaderLimit = 16 << 10;  // http::ServerOptions' defaults
constexpr size_t kBodyLimit = 1 << 20;

void CheckRefusal(std::string_view target, int status) {
  auto response =
      fuzz::FuzzWorld::Get().router().TransportError(target, status, "malformed HTTP request");
  fuzz::Require(response.status == status, "a refusal keeps its status");
  // The refusal is a 4xx: CheckResponse's rules apply as they are.
  fuzz::CheckResponse(response);
}

// One request from the front of `bytes`; false when the connection would end.
bool OneRequest(std::string_view& bytes) {
  bool folded = false;
  if (!http::HeaderComplete(bytes, folded)) {
    if (bytes.size() > kHeaderLimit) CheckRefusal(http::RequestLineTarget(bytes), 431);
    return false;  // the client never finished its header: a timeout
  }
  std::string_view target = http::RequestLineTarget(bytes);
  if (folded) {
    CheckRefusal(target, 400);
    return false;
  }
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(kHeaderLimit));
  parser.body_limit(kBodyLimit);
  boost::beast::error_code ec;
  while (!parser.is_done()) {
    // Out of bytes before the message ends: the server would wait for more
    // until its timeout.
    if (bytes.empty()) return false;
    size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
    bytes.remove_prefix(used);
    if (ec == bhttp::error::need_more) ec = {};
    if (ec) break;
    if (used == 0) return false;  // no progress without more bytes
  }
  std::vector<std::string_view> codings;
  if (!ec) {
    auto [te, te_end] = parser.get().equal_range(bhttp::field::transfer_encoding);
    for (; te != te_end; ++te) codings.push_back(te->value());
  }
  if (ec || !http::FramableTransferEncoding(codings)) {
    CheckRefusal(target, ec == bhttp::error::body_limit     ? 413
                         : ec == bhttp::error::header_limit ? 431
                                                            : 400);
    return false;
  }
  auto message = parser.release();
  std::vector<std::pair<std::string, std::string>> headers;
  bool has_authorization = false;
  for (const auto& field : message) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    has_authorization = has_authorization || name == "authorization";
    headers.emplace_back(std::move(name), std::string(field.value()));
  }
  // Without an Authorization header of its own, a request is sent without
  // one (Call would add the tenant's key): the 401 path.
  if (!has_authorization) headers.emplace_back("authorization", "");
  fuzz::FuzzWorld::Get().Call(message.method_string(), message.target(), std::move(message.body()),
                              std::move(headers));
  return message.keep_alive();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (int i = 0; i < 4 && !bytes.empty(); ++i) {
    if (!OneRequest(bytes)) break;
  }
  return 0;
}
