#pragma once

// The Shipping Order API's JSON for a shipping order, both ways. Money is a
// JSON number in major units (12.5 is 12.50 USD), times are epoch milliseconds
// except createdAt and lastUpdatedAt (ISO 8601), as the seed shows them.

#include <string>
#include <vector>

#include "domain/shipping_order.hpp"
#include "http/json_io.hpp"

namespace shipline::http::shipping_orders {

// Sets every field of `order` that `body` names (a field given as null is
// cleared; a field not given is kept), so the same reader serves create and
// edit. kInvalidArgument naming the field for a value of the wrong type.
Status ReadOrderFields(const json::object& body, domain::ShippingOrder& order);

json::object OrderToJson(const domain::ShippingOrder& order);

// The status history in the seed's shape: one entry with orderStatus[].
// The status history, each change's updatedAt written as the contract shows
// it ("April 27th 2022, 2:45:45 am CDT") in `time_zone` (IANA; "" for UTC).
json::array HistoryToJson(const domain::ShippingOrder& order, const std::string& time_zone);

// A JSON number with exactly the currency's decimals (serialized by
// AppendSerialized, which writes it as 12.50 rather than 1.25E1).
json::value Decimal(int64_t minor, int exponent);

// Appends `body` serialized to `out`, writing Decimal values as plain
// decimal numbers.
void AppendSerialized(std::string& out, const json::value& body);

// A response whose body is `body` serialized by AppendSerialized.
Response BodyResponse(int status, const json::value& body);

}  // namespace shipline::http::shipping_orders
