#include "http/order_api/shipment_codec.hpp"

#include <tuple>

#include "http/json_io.hpp"
#include "http/order_api/answer.hpp"
#include "http/order_api/order_api_errors.hpp"
#include "http/order_api/request_fields.hpp"

namespace shipline::http::order_api {

namespace {

// Reads the command; `answer` gets the order and shipment as soon as they
// are known, so that failures echo them.
Result<app::CompleteShipmentCommand> ReadCommand(const json::object& body, Answer& answer,
                                                 bool& shipped) {
  app::CompleteShipmentCommand command;
  auto order = LooseString(body, "order", domain::TextKind::kId);
  if (!order) return std::move(order).error();
  answer.order = *order;
  auto shipment = LooseString(body, "shipment", domain::TextKind::kId);
  if (!shipment) return std::move(shipment).error();
  answer.shipment = *shipment;
  if (!*order || (*order)->empty()) return Error::Invalid("order is required", "order");
  if (!*shipment || (*shipment)->empty()) return Error::Invalid("shipment is required", "shipment");
  command.order_number = **order;
  command.shipment_number = **shipment;

  const std::tuple<const char*, std::string*, domain::TextKind> texts[] = {
      {"carrier", &command.carrier, domain::TextKind::kId},
      {"service", &command.service, domain::TextKind::kId},
      {"tracking", &command.tracking_number, domain::TextKind::kId},
      {"returnSlipTracking", &command.return_tracking_number, domain::TextKind::kId},
      {"internalComment", &command.internal_comment, domain::TextKind::kNote},
  };
  for (const auto& [key, target, kind] : texts) {
    auto value = LooseString(body, key, kind);
    if (!value) return std::move(value).error();
    *target = value->value_or("");
  }
  auto packages = LooseInt(body, "packages");
  if (!packages) return std::move(packages).error();
  command.package_count = *packages;

  auto capture = LooseBool(body, "capture");
  if (!capture) return std::move(capture).error();
  command.capture = capture->value_or(true);
  auto send_email = LooseBool(body, "sendEmail");
  if (!send_email) return std::move(send_email).error();
  command.send_email = *send_email;

  // Good-to-go and shipped are what the client asserts about the shipment;
  // both must hold for it to complete. Left out, good-to-go is what the
  // shipment already is (RELEASED) and shipped is implied by the call.
  auto gtg = LooseBool(body, "gtg");
  if (!gtg) return std::move(gtg).error();
  if (*gtg && !**gtg) return Error::Precondition("not good-to-go");
  command.release_pending = gtg->value_or(false);
  auto shipped_flag = LooseBool(body, "shipped");
  if (!shipped_flag) return std::move(shipped_flag).error();
  shipped = shipped_flag->value_or(true);
  return command;
}

bool WantsXml(const Request& request, const json::object* body) {
  if (body != nullptr) {
    auto xml = LooseBool(*body, "xml");
    if (xml && *xml) return **xml;
  }
  auto query = request.Query("xml");
  return query && (*query == "1" || *query == "true" || *query == "yes");
}

Response Complete(app::CompleteShipment& complete, Request& request) {
  Answer answer;
  auto body = ParseBody(request.body, request.Header("content-type").value_or(""));
  if (!body) {
    answer.msg = body.error().message;
    return Render(400, answer, WantsXml(request, nullptr));
  }
  const bool xml = WantsXml(request, &*body);
  bool shipped = true;
  auto command = ReadCommand(*body, answer, shipped);
  if (!command) {
    answer.msg = command.error().message;
    return Render(400, answer, xml);
  }
  if (!shipped) {
    answer.msg = "not shipped";
    return Render(400, answer, xml);
  }
  auto done = complete.Run(request.actor, *command);
  if (!done) {
    Refusal refusal = RefusalFor(done.error());
    if (refusal.status >= 500) LogServerFault(request, done.error());
    answer.msg = std::move(refusal.msg);
    return Render(refusal.status, answer, xml);
  }
  answer.ok = true;
  answer.shipment = done->shipment_number;
  answer.warnings = done->warnings;
  return Render(200, answer, xml);
}

Response Unauthenticated(int status, const std::string& message) {
  Answer answer;
  answer.msg = message;
  return Render(status, answer, false);
}

}  // namespace

void AddRoutes(Router& router, app::CompleteShipment& complete) {
  auto handler = [&complete](Request& request) { return Complete(complete, request); };
  router.Add({"POST", "/api/order/shipment", true, handler, Unauthenticated});
  router.Add({"PUT", "/api/order/shipment", true, handler, Unauthenticated});
}

}  // namespace shipline::http::order_api
