// Tracking-number recognition: never fails, normalizes idempotently, agrees
// with itself (recognizing the normalized number gives the same answer), and
// a number recognized as valid for a carrier passes that carrier's check.

#include "domain/tracking_number.hpp"

#include "support/properties.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace shipline;
  std::string_view number(reinterpret_cast<const char*>(data), size);
  auto match = domain::RecognizeTrackingNumber(number);
  std::string normalized = domain::NormalizeTrackingNumber(number);
  fuzz::Require(match.normalized == normalized, "recognition reports the normalized number");
  fuzz::Require(domain::NormalizeTrackingNumber(normalized) == normalized,
                "normalizing is idempotent");
  auto again = domain::RecognizeTrackingNumber(normalized);
  fuzz::Require(again.carrier_code == match.carrier_code && again.format == match.format &&
                    again.valid == match.valid,
                "the normalized number is recognized the same way", normalized);
  if (match.format == "unknown") {
    fuzz::Require(match.carrier_code.empty() && !match.valid, "an unknown shape has no carrier");
  }
  if (match.valid && !match.carrier_code.empty()) {
    fuzz::Require(domain::KnowsTrackingFormats(match.carrier_code),
                  "a recognized carrier is known");
    fuzz::Require(domain::CheckTrackingNumber(match.carrier_code, number),
                  "a recognized valid number passes its carrier's check", normalized);
  }
  for (const char* carrier :
       {"ups", "fedex", "usps", "dhl_express", "canada_post", "ontrac", "dpd", "purolator"}) {
    (void)domain::CheckTrackingNumber(carrier, number);
  }
  return 0;
}
