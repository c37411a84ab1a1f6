#include "http/native/shipments_codec.hpp"

#include <tuple>

#include "http/iso_time.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"
#include "http/native/order_json.hpp"

namespace shipline::http::native {

namespace {

json::array WarningsJson(const std::vector<std::string>& warnings) {
  json::array out;
  for (const auto& warning : warnings) out.push_back(json::value(warning));
  return out;
}

// An optional ISO 8601 time field, as epoch milliseconds.
Result<std::optional<int64_t>> OptionalTime(const json::object& body, std::string_view key) {
  auto text = OptionalString(body, key, key, domain::TextKind::kCode);
  if (!text) return std::move(text).error();
  if (!*text) return std::optional<int64_t>();
  auto millis = ParseIsoTime(**text);
  if (!millis) {
    return Error::Invalid(std::string(key) + " must be an ISO 8601 date or time", std::string(key));
  }
  return millis;
}

Response Create(app::CreateShipment& create, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  app::CreateShipmentCommand command;
  command.order_number = request.path_params[0];
  auto number = OptionalString(*body, "shipmentNumber", "shipmentNumber", domain::TextKind::kId);
  if (!number) return ErrorResponse(request, number.error());
  command.shipment_number = number->value_or("");
  auto status = OptionalString(*body, "status", "status", domain::TextKind::kCode);
  if (!status) return ErrorResponse(request, status.error());
  if (*status) {
    auto parsed = domain::ParseShipmentStatus(**status);
    if (!parsed) {
      return ErrorResponse(request, Error::Invalid("status must be PENDING or RELEASED", "status"));
    }
    command.status = *parsed;
  }
  domain::Shipment details;
  Status read = ReadShipmentDetails(*body, "", details);
  if (!read.ok()) return ErrorResponse(request, read.error());
  command.carrier = details.carrier;
  command.tracking_number = details.tracking_number;
  command.tracking_url = details.tracking_url;
  command.service = details.service;
  if (details.package_count > 0) command.package_count = details.package_count;
  command.return_tracking_number = details.return_tracking_number;
  command.internal_comment = details.internal_comment;
  command.note = details.note;
  auto dispatched = OptionalTime(*body, "dispatchedAt");
  if (!dispatched) return ErrorResponse(request, dispatched.error());
  command.dispatched_at = *dispatched;
  auto items = ReadShipmentItems(*body, "");
  if (!items) return ErrorResponse(request, items.error());
  command.items = std::move(*items);

  auto created = create.Run(request.actor, std::move(command));
  if (!created) return ErrorResponse(request, created.error());
  json::object out = ShipmentToJson(created->shipment);
  out["warnings"] = WarningsJson(created->warnings);
  return JsonResponse(201, out);
}

Response UpdateTracking(app::UpdateTracking& update, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  app::UpdateTrackingCommand command;
  command.shipment_number = request.path_params[0];
  const std::tuple<const char*, std::optional<std::string>*, domain::TextKind> fields[] = {
      {"carrier", &command.carrier, domain::TextKind::kId},
      {"carrierTrackingNumber", &command.tracking_number, domain::TextKind::kId},
      {"trackingUrl", &command.tracking_url, domain::TextKind::kUrl},
      {"note", &command.note, domain::TextKind::kNote},
  };
  for (const auto& [key, target, kind] : fields) {
    if (!body->contains(key)) continue;
    auto value = OptionalString(*body, key, key, kind);
    if (!value) return ErrorResponse(request, value.error());
    *target = value->value_or("");  // null clears
  }
  auto dispatched = OptionalTime(*body, "dispatchedAt");
  if (!dispatched) return ErrorResponse(request, dispatched.error());
  command.dispatched_at = *dispatched;
  auto send = OptionalBool(*body, "sendEmail", "sendEmail");
  if (!send) return ErrorResponse(request, send.error());
  command.send_email = *send;

  auto updated = update.Run(request.actor, command);
  if (!updated) return ErrorResponse(request, updated.error());
  json::object out = ShipmentToJson(updated->shipment);
  out["warnings"] = WarningsJson(updated->warnings);
  out["sendEmail"] = updated->send_email;
  return JsonResponse(200, out);
}

}  // namespace

void AddShipmentRoutes(Router& router, app::CreateShipment& create, app::UpdateTracking& update) {
  router.Add({"POST", "/api/v1/orders/{orderNumber}/shipments", true,
              [&create](Request& request) { return Create(create, request); }, NativeError});
  router.Add({"PUT", "/api/v1/shipments/{shipmentNumber}/tracking", true,
              [&update](Request& request) { return UpdateTracking(update, request); },
              NativeError});
}

}  // namespace shipline::http::native
