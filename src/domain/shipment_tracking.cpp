#include "domain/shipment_tracking.hpp"

#include "domain/tracking_number.hpp"

namespace shipline::domain {

namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Carriers of which shipline knows only the international (S10) numbers:
// their domestic numbers (Australia Post's "33PKP0004327") take shapes no
// rule describes, so a number of no known shape says nothing about them.
constexpr std::string_view kPartlyKnown[] = {"australia_post"};

// Whether a number that fails `code`'s check deserves a warning.
bool Doubtful(std::string_view code, std::string_view number) {
  if (!KnowsTrackingFormats(code) || CheckTrackingNumber(code, number)) return false;
  for (std::string_view partly : kPartlyKnown) {
    if (code == partly) return RecognizeTrackingNumber(number).format != "unknown";
  }
  return true;
}

// The number as it goes into a link: without the spaces people group it with.
std::string WithoutSpaces(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t') out.push_back(c);
  }
  return out;
}

}  // namespace

TrackingDetails ResolveTracking(const CarrierRegistry& registry, std::string_view carrier_name,
                                std::string_view tracking_number, std::string_view supplied_url) {
  TrackingDetails details;
  const std::string_view name = Trim(carrier_name);
  const std::string_view number = Trim(tracking_number);
  const Carrier* carrier = nullptr;
  if (!name.empty()) {
    carrier = registry.Find(name);
    details.carrier = carrier != nullptr ? carrier->name : std::string(name);
    if (carrier != nullptr && !number.empty() && Doubtful(carrier->code, number)) {
      details.warnings.push_back("tracking number " + std::string(number) + " does not match any " +
                                 carrier->name + " number format or its check digit does not hold");
    }
  } else if (!number.empty()) {
    const TrackingMatch match = RecognizeTrackingNumber(number);
    if (match.valid && !match.carrier_code.empty()) {
      carrier = registry.ByCode(match.carrier_code);
      if (carrier != nullptr) details.carrier = carrier->name;
    }
  }
  if (carrier != nullptr) details.carrier_code = carrier->code;
  if (!Trim(supplied_url).empty()) {
    details.tracking_url = std::string(Trim(supplied_url));
  } else if (carrier != nullptr) {
    details.tracking_url = CarrierRegistry::TrackingUrl(*carrier, WithoutSpaces(number));
  }
  return details;
}

}  // namespace shipline::domain
