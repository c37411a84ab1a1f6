#include "store/order_rows.hpp"

namespace shipline::store {

domain::ShipmentStatus StatusFromText(const std::string& text) {
  return domain::ParseShipmentStatus(text).value_or(domain::ShipmentStatus::kPending);
}

void ReadOrderHeader(const sql::Rows& row, int first, domain::Order& order) {
  auto text = [&](int column) { return row.Text(first + column); };
  auto number = [&](int column) { return row.Int(first + column); };
  order.id = number(0);
  order.tenant_id = number(1);
  order.order_number = text(2);
  order.store = text(3);
  order.currency = text(4);
  order.customer = {text(5), text(6)};
  order.shipping_address = {text(7),  text(8),  text(9),  text(10),
                            text(11), text(12), text(13), text(14)};
  order.payment = {text(15), text(16), number(17), number(18)};
  order.created_at = number(19);
  order.updated_at = number(20);
}

domain::ShipmentItem ReadShipmentItem(const sql::Rows& row) {
  domain::ShipmentItem item;
  item.line_item_id = row.Int(0);
  item.quantity = row.Int(2);
  std::string component = row.Text(3);
  if (component.empty()) {
    item.sku = row.Text(1);
  } else {
    item.sku = std::move(component);
    item.bundle_sku = row.Text(1);
  }
  return item;
}

void ReadShipmentRow(const sql::Rows& row, domain::Shipment& shipment) {
  shipment.id = row.Int(0);
  shipment.order_id = row.Int(1);
  shipment.shipment_number = row.Text(2);
  shipment.status = StatusFromText(row.Text(3));
  shipment.carrier = row.Text(4);
  shipment.tracking_number = row.Text(5);
  shipment.shipped_at = row.OptionalInt(6);
  shipment.created_at = row.Int(7);
  shipment.updated_at = row.Int(8);
  shipment.order_number = row.Text(9);
  shipment.carrier_code = row.Text(10);
  shipment.service = row.Text(11);
  shipment.package_count = row.Int(12);
  shipment.tracking_url = row.Text(13);
  shipment.return_tracking_number = row.Text(14);
  shipment.internal_comment = row.Text(15);
  shipment.note = row.Text(16);
  shipment.dispatched_at = row.OptionalInt(17);
  shipment.dispatched_offset_minutes = static_cast<int>(row.Int(18));
  shipment.dispatched_date_only = row.Int(19) != 0;
}

}  // namespace shipline::store
