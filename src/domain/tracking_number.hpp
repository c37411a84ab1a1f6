#pragma once

// Tracking-number recognition and check-digit validation, following the
// public carrier rules collected in FACTS.md ("Tracking-number check digits").
//
// Two questions are answered here, with different certainty:
//  - RecognizeTrackingNumber guesses the carrier from the number alone. Many
//    all-digit shapes overlap (12 digits may be FedEx or Purolator, 20 digits
//    USPS or FedEx SmartPost, 34 digits FedEx or a ZIP-prefixed USPS barcode),
//    so the answer is a best guess: the first format, in a fixed order of
//    specificity, whose check digit holds.
//  - CheckTrackingNumber answers whether a number is valid for a named
//    carrier. It tries every format of that carrier and is exact.
//
// Both ignore ASCII whitespace and ASCII case; every other character counts
// (a dash is not a separator, so "1Z-..." is not a UPS number).

#include <string>
#include <string_view>

namespace shipline::domain {

struct TrackingMatch {
  // The carrier code of the CarrierRegistry ("ups", "fedex", ...); empty when
  // the carrier is unknown. An S10 number names its carrier through its
  // country suffix, so an S10 number from a postal operator outside the
  // registry has a format but no carrier.
  std::string carrier_code;
  // The matched format: "ups_1z", "fedex_12", "fedex_15", "fedex_ground_96",
  // "fedex_34", "fedex_smartpost", "usps_20", "usps_impb", "s10",
  // "dhl_express", "canada_post", "ontrac", "dpd", "purolator"; "unknown"
  // when no shape matches.
  std::string format;
  bool valid = false;      // the check digit holds
  std::string normalized;  // whitespace removed, upper-case
};

// Removes ASCII whitespace and upper-cases ASCII letters.
std::string NormalizeTrackingNumber(std::string_view number);

// Recognizes the number's carrier and format. When a shape matches but no
// check digit holds, the most specific matching shape is reported with
// valid=false; when no shape matches, carrier_code is empty and format is
// "unknown". Never fails.
TrackingMatch RecognizeTrackingNumber(std::string_view number);

// True when `number` is a valid number of the carrier `carrier_code` in any
// of that carrier's formats (the code is compared ignoring ASCII case). False
// for a carrier without known formats; see KnowsTrackingFormats.
bool CheckTrackingNumber(std::string_view carrier_code, std::string_view number);

// True when shipline knows at least one number format of the carrier, i.e.
// when a false from CheckTrackingNumber means "invalid" rather than
// "cannot tell".
bool KnowsTrackingFormats(std::string_view carrier_code);

}  // namespace shipline::domain
