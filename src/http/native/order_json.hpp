#pragma once

// The native JSON form of orders, shipments and events, both ways.

#include "domain/event.hpp"
#include "domain/order.hpp"
#include "http/json_io.hpp"

namespace shipline::http::native {

// Reads a new order from the native create body. Errors name the field.
Result<domain::Order> OrderFromJson(const json::object& body);

json::object OrderToJson(const domain::Order& order);
json::object ShipmentToJson(const domain::Shipment& shipment);
json::object EventToJson(const domain::Event& event);

}  // namespace shipline::http::native
