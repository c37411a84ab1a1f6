#pragma once

// The store's part for what shipline keeps for others without reading it: an
// order's extra_data and its line items' custom_data (JSON text, see
// domain::Order), shown by the native API and passed on in 3PL-format
// notifications. Kept apart from the order's own rows so that the reads
// every completion makes do not carry it. Reached through
// StoreReader::PassThrough(); Save only inside Store::Write. Failures are
// kInternal with the database's message in the detail.

#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::app {

class PassThroughRepository {
 public:
  virtual ~PassThroughRepository() = default;

  // Stores `order.extra_data` and each line item's custom_data that is not
  // empty; for an order just inserted (its ids filled in).
  virtual Status Save(const domain::Order& order) = 0;
  // Fills in `order.extra_data` and its line items' custom_data (by their ids).
  virtual Status Load(domain::Order& order) = 0;
};

}  // namespace shipline::app
