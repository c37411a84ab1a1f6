#include "http/ep/completion_codec.hpp"

#include "http/ep/ep_errors.hpp"
#include "http/json_io.hpp"

namespace shipline::http::ep {

namespace {

Response Complete(app::CompleteShipment& complete, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return SimpleError(400, body.error().message);
  auto number = OptionalString(*body, "shipmentNumber", "shipmentNumber", domain::TextKind::kId);
  if (!number) return SimpleError(400, number.error().message);
  auto tracking = OptionalString(*body, "carrierTrackingNumber", "carrierTrackingNumber",
                                 domain::TextKind::kId);
  if (!tracking) return SimpleError(400, tracking.error().message);

  app::CompleteShipmentCommand command{number->value_or(""), tracking->value_or(""), ""};
  auto done = complete.Run(request.actor, command);
  if (!done) return ErrorResponse(request, done.error());
  return JsonResponse(200, json::object{{"shipmentNumber", done->shipment_number},
                                        {"orderNumber", done->order_number},
                                        {"status", "SHIPPED"},
                                        {"message", "Shipment completed successfully."}});
}

}  // namespace

void AddRoutes(Router& router, app::CompleteShipment& complete) {
  router.Add({"POST", "/integration/api/shipping/v1/shipments/complete-shipment", true,
              [&complete](Request& request) { return Complete(complete, request); }});
}

}  // namespace shipline::http::ep
