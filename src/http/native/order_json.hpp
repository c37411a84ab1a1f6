#pragma once

// The native JSON form of orders, shipments and events, both ways.

#include "domain/event.hpp"
#include "domain/order.hpp"
#include "http/json_io.hpp"

namespace shipline::http::native {

// Reads a new order from the native create body. Errors name the field.
Result<domain::Order> OrderFromJson(const json::object& body);

// Reads a shipment's "items": [{lineItemId?, sku?, quantity}] as given (the
// domain resolves them); `prefix` starts each error's field, e.g.
// "shipments[0].".
Result<std::vector<domain::ShipmentItem>> ReadShipmentItems(const json::object& object,
                                                            const std::string& prefix);

// Reads a shipment's carrier, carrierTrackingNumber, trackingUrl, service,
// packages, returnTrackingNumber, internalComment and note into `shipment`.
Status ReadShipmentDetails(const json::object& object, const std::string& prefix,
                           domain::Shipment& shipment);

json::object OrderToJson(const domain::Order& order);
json::object ShipmentToJson(const domain::Shipment& shipment);
json::object EventToJson(const domain::Event& event);

}  // namespace shipline::http::native
