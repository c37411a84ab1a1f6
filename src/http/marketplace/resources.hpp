#pragma once

// The marketplace contract's resources (seed 004) made from shipline's
// order aggregate: an invoice is an order, its line items are the order's
// line items, and its shipments are the order's shipments that have left.

#include <string>
#include <string_view>

#include "domain/order.hpp"
#include "http/json_io.hpp"

namespace shipline::http::marketplace {

// "Paid" (nothing sent), "Partially Sent" or "Sent", from the order's
// shipping state.
std::string_view InvoiceStatus(const domain::Order& order);

// Whether the contract shows `shipment`: only shipments that have left.
bool Listed(const domain::Shipment& shipment);

// The shipment's canonical path, as the contract's links write it:
// "/api/v2/client/shipments/2".
std::string ShipmentPath(const domain::Shipment& shipment);

// {"type": "shipments", "id", "attributes": {shipment_tracking_number,
// shipment_carrier, shipment_tracking_link, note, dispatched_at}}; with
// `relationships` the line_items, invoice and shipped_items linkage too (the
// shown form). dispatched_at is written in the offset the client sent it in;
// a bare date stays a bare date in the list form (without relationships), as
// the contract's list example shows.
json::object ShipmentResource(const domain::Order& order, const domain::Shipment& shipment,
                              bool relationships);

// The line item with the seed's attributes (price, status, totals,
// quantity, advert and variant names).
json::object LineItemResource(const domain::Order& order, const domain::LineItem& line);

// The invoice with its status and totals, and its line items and shipments
// as relationships.
json::object InvoiceResource(const domain::Order& order);

// The full document for one shipment: data with relationships, and the line
// items it holds, its shipped items and its invoice in "included".
json::object ShipmentDocument(const domain::Order& order, const domain::Shipment& shipment,
                              const std::string& base_url);

}  // namespace shipline::http::marketplace
