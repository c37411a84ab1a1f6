#include "http/native/tracking_codec.hpp"

#include "domain/carrier.hpp"
#include "domain/text_limits.hpp"
#include "domain/tracking_number.hpp"
#include "http/native/native_errors.hpp"

namespace shipline::http::native {

namespace {

constexpr size_t kMaxNumber = domain::MaxTextBytes(domain::TextKind::kId);

Response Check(Request& request) {
  const std::string& number = request.path_params[0];
  if (number.size() > kMaxNumber) {
    return ErrorResponse(request, Error::Invalid("number is too long", "number"));
  }
  return JsonResponse(200, TrackingCheckJson(number));
}

}  // namespace

json::object TrackingCheckJson(std::string_view number) {
  static const domain::CarrierRegistry kCarriers = domain::CarrierRegistry::BuiltIn();
  const domain::TrackingMatch match = domain::RecognizeTrackingNumber(number);
  std::string url;
  if (const domain::Carrier* carrier = kCarriers.ByCode(match.carrier_code)) {
    url = domain::CarrierRegistry::TrackingUrl(*carrier, match.normalized);
  }
  return json::object{{"carrier", StringOrNull(match.carrier_code)},
                      {"format", match.format},
                      {"valid", match.valid},
                      {"trackingUrl", StringOrNull(url)}};
}

void AddTrackingRoutes(Router& router) {
  router.Add({"GET", "/api/v1/tracking-numbers/{number}", true, Check, NativeError});
}

}  // namespace shipline::http::native
