#pragma once

// Where a shipment leaves from: a warehouse's address and contact, as a
// store sets it for its shipments or a 3PL reports it for one shipment.

#include <string>

namespace shipline::domain {

struct ShipFrom {
  std::string name;
  std::string company;
  std::string line1;
  std::string line2;
  std::string city;
  std::string region;
  std::string postal_code;
  std::string country;  // ISO 3166-1 alpha-2, as given
  std::string phone;
  std::string email;

  bool Empty() const {
    return name.empty() && company.empty() && line1.empty() && line2.empty() && city.empty() &&
           region.empty() && postal_code.empty() && country.empty() && phone.empty() &&
           email.empty();
  }
};

}  // namespace shipline::domain
