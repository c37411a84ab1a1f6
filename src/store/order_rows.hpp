#pragma once

// The columns of orders, shipments and shipment items that the store reads,
// and how a row of them becomes a domain value: shared by the order
// repository and the operator queries, so both read an order alike. The
// column lists are inline so that every file's statements built from them
// are initialised after them.

#include <string>

#include "domain/order.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

// The order's header columns (alias o), read by ReadOrderHeader.
inline const std::string kOrderFields =
    "o.id, o.tenant_id, o.order_number, o.store, o.currency, o.customer_name, o.customer_email, "
    "o.ship_name, o.ship_line1, o.ship_line2, o.ship_city, o.ship_region, o.ship_postal_code, "
    "o.ship_country, o.ship_phone, o.payment_provider, o.payment_reference, "
    "o.amount_authorized, o.amount_captured, o.created_at, o.updated_at";
inline constexpr int kOrderFieldCount = 21;

// A shipment's columns (alias s, with its order as o), read by
// ReadShipmentRow; kShipmentFrom joins the order.
inline const std::string kShipmentFields =
    "s.id, s.order_id, s.shipment_number, s.status, s.carrier, s.tracking_number, "
    "s.shipped_at, s.created_at, s.updated_at, o.order_number, s.carrier_code, s.service, "
    "s.package_count, s.tracking_url, s.return_tracking_number, s.internal_comment, s.note, "
    "s.dispatched_at, s.dispatched_offset_minutes, s.dispatched_date_only";
inline constexpr int kShipmentFieldCount = 20;
inline const std::string kShipmentFrom = " FROM shipments s JOIN orders o ON o.id = s.order_id ";

// Shipment item columns (si, with its line item as li), read by
// ReadShipmentItem: the line item's id, its sku, the units and the component
// sku ("" for a plain line item).
inline const std::string kItemFields = "si.line_item_id, li.sku, si.quantity, si.component_sku";
inline constexpr int kItemFieldCount = 4;

domain::ShipmentStatus StatusFromText(const std::string& text);
// Reads kOrderFields starting at column `first`.
void ReadOrderHeader(const sql::Rows& row, int first, domain::Order& order);
void ReadShipmentRow(const sql::Rows& row, domain::Shipment& shipment);
domain::ShipmentItem ReadShipmentItem(const sql::Rows& row);

}  // namespace shipline::store
