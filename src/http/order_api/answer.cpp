#include "http/order_api/answer.hpp"

#include <charconv>

#include "domain/utf8.hpp"
#include "http/json_io.hpp"

namespace shipline::http::order_api {

namespace {

json::value OrderValue(const std::string& order) {
  int64_t number = 0;
  auto [end, ec] = std::from_chars(order.data(), order.data() + order.size(), number);
  bool digits_only = !order.empty() && order.find_first_not_of("0123456789") == std::string::npos;
  if (digits_only && ec == std::errc() && end == order.data() + order.size()) {
    return json::value(number);
  }
  return json::value(order);
}

void AppendElement(std::string& out, std::string_view name, std::string_view text) {
  out += "<";
  out += name;
  out += ">";
  domain::AppendXmlText(out, text);
  out += "</";
  out += name;
  out += ">";
}

Response RenderXml(int status, const Answer& answer) {
  std::string body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response>";
  AppendElement(body, "status", answer.ok ? "ok" : "no");
  if (!answer.ok) AppendElement(body, "msg", answer.msg);
  if (answer.order) AppendElement(body, "order", *answer.order);
  if (answer.shipment) AppendElement(body, "shipment", *answer.shipment);
  if (answer.ok && !answer.warnings.empty()) {
    body += "<warnings>";
    for (const auto& warning : answer.warnings) AppendElement(body, "warning", warning);
    body += "</warnings>";
  }
  body += "</response>\n";
  Response response;
  response.status = status;
  response.content_type = "application/xml; charset=utf-8";
  response.body = std::move(body);
  return response;
}

}  // namespace

Response Render(int status, const Answer& answer, bool xml) {
  if (xml) return RenderXml(status, answer);
  json::object body{{"status", answer.ok ? "ok" : "no"}};
  if (!answer.ok) body["msg"] = answer.msg;
  if (answer.order) body["order"] = OrderValue(*answer.order);
  if (answer.shipment) body["shipment"] = *answer.shipment;
  if (answer.ok && !answer.warnings.empty()) {
    json::array warnings;
    for (const auto& warning : answer.warnings) warnings.push_back(json::value(warning));
    body["warnings"] = std::move(warnings);
  }
  return JsonResponse(status, body);
}

}  // namespace shipline::http::order_api
