#include "http/ep/completion_codec.hpp"

#include "http/json_io.hpp"

namespace shipline::http::ep {

namespace {

constexpr const char* kGenericFailure = "The shipment could not be completed due to a server error";

Response Complete(app::CompleteShipment& complete, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return SimpleError(400, body.error().message);
  auto number = OptionalString(*body, "shipmentNumber", "shipmentNumber");
  if (!number) return SimpleError(400, number.error().message);
  auto tracking = OptionalString(*body, "carrierTrackingNumber", "carrierTrackingNumber");
  if (!tracking) return SimpleError(400, tracking.error().message);

  app::CompleteShipmentCommand command{number->value_or(""), tracking->value_or(""), ""};
  auto done = complete.Run(request.actor, command);
  if (!done) {
    int status = StatusFor(done.error().code);
    if (status == 500) {
      LogServerFault(request, done.error());
      return SimpleError(500, kGenericFailure);
    }
    return SimpleError(status, done.error().message);
  }
  return JsonResponse(200, json::object{{"shipmentNumber", done->shipment_number},
                                        {"orderNumber", done->order_number},
                                        {"status", "SHIPPED"},
                                        {"message", "Shipment completed successfully."}});
}

}  // namespace

int StatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kFailedPrecondition:
      return 400;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kConflict:
    case ErrorCode::kAlreadyExists:
      return 409;
    default:
      return 500;
  }
}

void AddRoutes(Router& router, app::CompleteShipment& complete) {
  router.Add({"POST", "/integration/api/shipping/v1/shipments/complete-shipment", true,
              [&complete](Request& request) { return Complete(complete, request); }});
}

}  // namespace shipline::http::ep
