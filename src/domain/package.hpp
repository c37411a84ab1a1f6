#pragma once

// A parcel of a shipment: a shipment that does not fit one box leaves in
// several packages, each with its own tracking number, size and weight.

#include <cstdint>
#include <optional>
#include <string>

namespace shipline::domain {

struct Package {
  std::string tracking_number;  // unique within its shipment
  std::string carrier;          // as the sender named it; empty: the shipment's carrier
  std::string service;          // e.g. "Ground"
  std::string tracking_url;     // empty: derived from the carrier when shown
  std::optional<double> weight;
  std::string weight_unit;  // "lb", "oz", "kg" or "g"; empty when weight is absent
  std::optional<double> length;
  std::optional<double> width;
  std::optional<double> height;
  std::string dimension_unit;         // "in" or "cm"; empty when no dimension is given
  std::optional<int64_t> shipped_at;  // epoch milliseconds, when the package left
};

}  // namespace shipline::domain
