#pragma once

// Carriers a shipment can travel with, and the public links where a customer
// follows a parcel. Clients name carriers loosely ("Fedex", "FEDEX",
// "Canada Post", "CanadaPost"), so lookups forgive case and punctuation; the
// stable `code` is what shipline stores and what the rest of the code compares.

#include <string>
#include <string_view>
#include <vector>

namespace shipline::domain {

struct Carrier {
  std::string code;  // stable lower-case id, e.g. "fedex", "canada_post"
  std::string name;  // display name, e.g. "FedEx", "Canada Post"
  // The public tracking page with one "%s" where the tracking number goes;
  // empty when the carrier has no public link that takes the number.
  std::string tracking_url_template;
  std::vector<std::string> aliases;  // further names clients use
  // The exact spelling the 3PL Shipment Notification webhook (seed 002) uses
  // in its carrier field, e.g. "CanadaPost"; the display name otherwise.
  std::string notification_name;
};

// A set of carriers: the built-in ones plus any a store defines itself.
//
// A registry is a plain value. Const methods may run concurrently; Add may
// not run alongside anything else. Pointers returned by Find and ByCode stay
// valid until the next Add.
class CarrierRegistry {
 public:
  // The carriers shipline knows out of the box: the major parcel carriers and
  // every carrier the 3PL webhook (seed 002) may name.
  static CarrierRegistry BuiltIn();

  // Finds a carrier by code, display name, notification name or alias,
  // ignoring ASCII case and every character that is not a letter or digit
  // ("fed-ex", "FedEx", "FEDEX" are one name). A code match wins over a name
  // match; among equal matches the most recently added carrier wins, so a
  // store's own carrier can take over an alias. Returns nullptr when nothing
  // matches or the query has no letters or digits.
  const Carrier* Find(std::string_view name_or_code) const;

  // Exact, case-sensitive lookup by code. Returns nullptr when absent.
  const Carrier* ByCode(std::string_view code) const;

  // Adds a store's own carrier, replacing (in place) one with the same code.
  // An empty notification_name is filled with the display name.
  void Add(Carrier carrier);

  // The carrier's tracking link for `number`: every "%s" in the template is
  // replaced by the number, percent-encoded except for the unreserved URL
  // characters (letters, digits, "-", ".", "_", "~"). Returns an empty string
  // when the carrier has no template or the number is empty; a template
  // without "%s" is returned unchanged.
  static std::string TrackingUrl(const Carrier& carrier, std::string_view number);

  // Every carrier, built-in ones first, in the order they were added.
  const std::vector<Carrier>& All() const { return carriers_; }

 private:
  std::vector<Carrier> carriers_;
};

}  // namespace shipline::domain
