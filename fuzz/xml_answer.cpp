// The order API's XML answer: whatever text goes into an answer (a message,
// an order and shipment number, warnings), the document is well-formed XML
// 1.0 holding only characters XML allows, and the JSON form parses.

#include <boost/json.hpp>

#include "domain/utf8.hpp"
#include "http/order_api/answer.hpp"
#include "support/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shipline;
  if (size == 0) return 0;
  // The first byte: ok or not, which fields are present; the rest is split
  // on NUL into the texts.
  uint8_t flags = data[0];
  std::vector<std::string> texts;
  std::string current;
  for (size_t i = 1; i < size; ++i) {
    if (data[i] == 0 && texts.size() < 6) {
      texts.push_back(current);
      current.clear();
    } else {
      current.push_back(static_cast<char>(data[i]));
    }
  }
  texts.push_back(current);
  texts.resize(6);
  http::order_api::Answer answer;
  answer.ok = flags & 1;
  answer.msg = texts[0];
  if (flags & 2) answer.order = texts[1];
  if (flags & 4) answer.shipment = texts[2];
  for (size_t i = 3; i < texts.size(); ++i) {
    if (flags & (8 << (i - 3))) answer.warnings.push_back(texts[i]);
  }
  auto xml = http::order_api::Render(200, answer, true);
  fuzz::Require(fuzz::WellFormedXml(xml.body), "the XML answer is well-formed", xml.body);
  // Boost.JSON writes strings' bytes as they are: text is checked to be UTF-8
  // where it enters (domain/utf8.hpp), so only such text must give valid JSON.
  bool all_text = true;
  for (const auto& text : texts) all_text = all_text && domain::IsValidUtf8(text);
  if (all_text) {
    auto json = http::order_api::Render(200, answer, false);
    boost::system::error_code ec;
    boost::json::parse(json.body, ec);
    fuzz::Require(!ec, "the JSON answer parses", json.body);
  }
  return 0;
}
