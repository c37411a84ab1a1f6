#include "domain/carrier.hpp"

#include <utility>

namespace shipline::domain {

namespace {

// Reduces a carrier name to lower-case ASCII letters and digits, so that
// "Fed-Ex", "FEDEX" and "fedex" compare equal. Bytes outside ASCII are
// dropped too: no built-in name needs them, and keeping them would make the
// comparison depend on how a client encoded an accent.
std::string NameKey(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (char c : text) {
    if (c >= 'A' && c <= 'Z') {
      key.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      key.push_back(c);
    }
  }
  return key;
}

bool MatchesAnyName(const Carrier& carrier, const std::string& key) {
  if (NameKey(carrier.name) == key || NameKey(carrier.notification_name) == key) {
    return true;
  }
  for (const std::string& alias : carrier.aliases) {
    if (NameKey(alias) == key) return true;
  }
  return false;
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

Carrier Make(std::string code, std::string name, std::string notification_name,
             std::string url_template, std::vector<std::string> aliases = {}) {
  Carrier carrier;
  carrier.code = std::move(code);
  carrier.name = std::move(name);
  carrier.tracking_url_template = std::move(url_template);
  carrier.aliases = std::move(aliases);
  carrier.notification_name = std::move(notification_name);
  return carrier;
}

}  // namespace

CarrierRegistry CarrierRegistry::BuiltIn() {
  // Links come from FACTS.md where it lists one, otherwise from the carrier's
  // public tracking page as widely used by shops. Carriers whose public page
  // does not take the number in its address get an empty template rather
  // than a guess, so that no customer is sent to a page that may not exist.
  // The notification names are spelled exactly as seed 002 lists them.
  CarrierRegistry registry;
  registry.carriers_ = {
      Make("ups", "UPS", "UPS", "https://www.ups.com/track?tracknum=%s", {"United Parcel Service"}),
      Make("fedex", "FedEx", "FedEx", "https://www.fedex.com/fedextrack/?trknbr=%s",
           {"FedEx Express", "FedEx Ground", "FedEx Home Delivery", "FedEx SmartPost",
            "Federal Express"}),
      Make("usps", "USPS", "USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s",
           {"United States Postal Service", "US Postal Service", "US Mail"}),
      // A bare "DHL" almost always means the express network, whose air
      // waybill numbers are what shops receive for DHL parcels.
      Make("dhl_express", "DHL Express", "DHL Express",
           "https://www.dhl.com/en/express/tracking.html?AWB=%s", {"DHL", "DHL Worldwide Express"}),
      Make(
          "dhl_ecommerce", "DHL eCommerce", "DHL eCommerce",
          "https://www.dhl.com/us-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id=%s",
          {"DHL eCommerce Solutions", "DHL Global Mail"}),
      Make("canada_post", "Canada Post", "CanadaPost",
           "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=%s",
           {"Postes Canada"}),
      Make("royal_mail", "Royal Mail", "Royal Mail",
           "https://www.royalmail.com/track-your-item#/tracking-results/%s"),
      Make("australia_post", "Australia Post", "Australia Post",
           "https://auspost.com.au/mypost/track/#/details/%s", {"AusPost"}),
      Make("dpd", "DPD", "DPD",
           "https://www.dpdgroup.com/nl/mydpd/my-parcels/track?parcelNumber=%s", {"DPD Group"}),
      Make("ontrac", "OnTrac", "OnTrac", "https://www.ontrac.com/tracking/?number=%s"),
      Make("purolator", "Purolator", "Purolator",
           "https://www.purolator.com/en/shipping/tracker?searchValue=%s"),
      Make("amazon", "Amazon Logistics", "Amazon Logistics", "https://track.amazon.com/tracking/%s",
           {"Amazon", "Amazon Shipping"}),
      // The remaining carriers of the seed 002 list. None has a public page
      // known to take the number in its address.
      Make("aci", "ACI", "ACI", ""),
      Make("cirro", "Cirro", "Cirro", ""),
      Make("epost", "ePost", "ePost", "", {"ePost Global"}),
      Make("flavorcloud", "FlavorCloud", "FlavorCloud", ""),
      Make("global_e", "Global-E", "Global-E", ""),
      Make("passport", "Passport", "Passport", ""),
      Make("shipmonk", "ShipMonk", "ShipMonk", ""),
      Make("upsmi", "UPS Mail Innovations", "UPSMI", ""),
  };
  return registry;
}

const Carrier* CarrierRegistry::Find(std::string_view name_or_code) const {
  const std::string key = NameKey(name_or_code);
  if (key.empty()) return nullptr;
  // Walking backwards makes the most recently added carrier win a tie.
  for (auto it = carriers_.rbegin(); it != carriers_.rend(); ++it) {
    if (NameKey(it->code) == key) return &*it;
  }
  for (auto it = carriers_.rbegin(); it != carriers_.rend(); ++it) {
    if (MatchesAnyName(*it, key)) return &*it;
  }
  return nullptr;
}

const Carrier* CarrierRegistry::ByCode(std::string_view code) const {
  for (const Carrier& carrier : carriers_) {
    if (carrier.code == code) return &carrier;
  }
  return nullptr;
}

void CarrierRegistry::Add(Carrier carrier) {
  if (carrier.notification_name.empty()) carrier.notification_name = carrier.name;
  for (Carrier& existing : carriers_) {
    if (existing.code == carrier.code) {
      existing = std::move(carrier);
      return;
    }
  }
  carriers_.push_back(std::move(carrier));
}

std::string CarrierRegistry::TrackingUrl(const Carrier& carrier, std::string_view number) {
  const std::string& url_template = carrier.tracking_url_template;
  if (url_template.empty() || number.empty()) return {};
  const std::string encoded = PercentEncode(number);
  std::string url;
  url.reserve(url_template.size() + encoded.size());
  for (std::size_t i = 0; i < url_template.size(); ++i) {
    if (url_template[i] == '%' && i + 1 < url_template.size() && url_template[i + 1] == 's') {
      url += encoded;
      ++i;
    } else {
      url.push_back(url_template[i]);
    }
  }
  return url;
}

}  // namespace shipline::domain
