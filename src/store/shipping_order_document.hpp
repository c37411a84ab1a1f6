#pragma once

// The storage format of the parts of a shipping order that no list filters on
// (addresses, contacts, package, items, estimates, ...): one JSON document per
// order. It is shipline's own format, not any contract's; fields are added,
// never renamed, so older documents stay readable. Both engines store the
// same text in so_orders.document.

#include <string>

#include "domain/result.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::store {

std::string ShippingOrderDocument(const domain::ShippingOrder& order);

// Fills the document's fields of `order`. kInternal for a damaged document.
Status ReadShippingOrderDocument(const std::string& text, domain::ShippingOrder& order);

}  // namespace shipline::store
