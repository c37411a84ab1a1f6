#include "http/marketplace/resources.hpp"

#include <set>

#include "app/clock.hpp"
#include "domain/money.hpp"
#include "domain/order_rules.hpp"

namespace shipline::http::marketplace {

namespace {

// Decimals as the contract writes them: "100.0", "10.5", "10.55".
std::string Decimal(int64_t minor, const std::string& currency) {
  int exponent = domain::CurrencyExponent(currency);
  std::string text = domain::FormatDecimal(minor, exponent);
  if (text.find('.') == std::string::npos) return text + ".0";
  while (text.back() == '0' && text[text.size() - 2] != '.') text.pop_back();
  return text;
}

// ISO 8601 with milliseconds and a numeric offset, as the contract writes
// it: "2018-07-03T00:00:00.000+10:00" for `offset_minutes` 600.
json::value Time(const std::optional<int64_t>& millis, int offset_minutes = 0) {
  if (!millis) return nullptr;
  std::string text = app::FormatIsoTime(*millis + offset_minutes * 60'000LL);
  if (!text.empty() && text.back() == 'Z') text.pop_back();
  const int magnitude = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  auto two_digits = [](int value) {
    return std::string{static_cast<char>('0' + value / 10 % 10),
                       static_cast<char>('0' + value % 10)};
  };
  text += offset_minutes < 0 ? '-' : '+';
  return json::value(text + two_digits(magnitude / 60) + ":" + two_digits(magnitude % 60));
}

// The shipment's dispatched_at as the client wrote it; without a client's
// time, when it was shipped, in UTC.
json::value DispatchedAt(const domain::Shipment& shipment, bool listed) {
  if (!shipment.dispatched_at) return Time(shipment.shipped_at);
  if (listed && shipment.dispatched_date_only) {
    return json::value(app::FormatIsoTime(*shipment.dispatched_at).substr(0, 10));
  }
  return Time(shipment.dispatched_at, shipment.dispatched_offset_minutes);
}

const domain::LineItem* LineOf(const domain::Order& order, int64_t id) {
  for (const auto& line : order.line_items) {
    if (line.id == id) return &line;
  }
  return nullptr;
}

json::object Linkage(std::string_view type, int64_t id) {
  return json::object{{"type", type}, {"id", id}};
}

}  // namespace

std::string_view InvoiceStatus(const domain::Order& order) {
  switch (domain::DeriveShippingState(order)) {
    case domain::ShippingState::kUnshipped:
    case domain::ShippingState::kCancelled:  // nothing sent: the invoice stays paid
      return "Paid";
    case domain::ShippingState::kPartiallyShipped:
      return "Partially Sent";
    case domain::ShippingState::kShipped:
      return "Sent";
  }
  return "Paid";
}

bool Listed(const domain::Shipment& shipment) {
  return shipment.status == domain::ShipmentStatus::kShipped ||
         shipment.status == domain::ShipmentStatus::kDelivered;
}

std::string ShipmentPath(const domain::Shipment& shipment) {
  return "/api/v2/client/shipments/" + std::to_string(shipment.id);
}

json::object ShipmentResource(const domain::Order& order, const domain::Shipment& shipment,
                              bool relationships) {
  json::object resource{
      {"type", "shipments"},
      {"id", shipment.id},
      {"attributes",
       {{"shipment_tracking_number", StringOrNull(shipment.tracking_number)},
        {"shipment_carrier", StringOrNull(shipment.carrier)},
        {"shipment_tracking_link", StringOrNull(shipment.tracking_url)},
        {"note", StringOrNull(shipment.note)},
        {"dispatched_at", DispatchedAt(shipment, !relationships)}}},
  };
  if (!relationships) return resource;
  json::array lines;
  json::array shipped;
  std::set<int64_t> seen;
  for (const auto& item : shipment.items) {
    if (seen.insert(item.line_item_id).second) {
      lines.push_back(Linkage("line_items", item.line_item_id));
    }
    shipped.push_back(json::object{{"type", "shipped_items"}});
  }
  resource["relationships"] = json::object{
      {"line_items", {{"data", std::move(lines)}}},
      {"invoice", {{"data", Linkage("invoices", order.id)}}},
      {"shipped_items", {{"data", std::move(shipped)}}},
  };
  return resource;
}

json::object LineItemResource(const domain::Order& order, const domain::LineItem& line) {
  const int64_t subtotal = line.unit_price * line.quantity;
  const bool sent = domain::FulfilledQuantity(order, line) >= line.quantity;
  return json::object{
      {"type", "line_items"},
      {"id", line.id},
      {"attributes",
       {{"price", Decimal(line.unit_price, order.currency)},
        {"status", sent ? "sent" : "allocated"},
        {"subtotal", Decimal(subtotal, order.currency)},
        {"tax_total", "0.0"},
        {"original_tax_rate", nullptr},
        {"total", Decimal(subtotal, order.currency)},
        {"quantity", line.quantity},
        {"taxon_name", nullptr},
        {"brand_name", nullptr},
        {"advert_name", line.title},
        {"advert_external_id", line.sku},
        {"variant_name", nullptr},
        {"variant_sku", line.sku},
        {"variant_barcode", nullptr},
        {"variant_external_id", nullptr}}},
  };
}

json::object InvoiceResource(const domain::Order& order) {
  int64_t total = 0;
  json::array lines;
  for (const auto& line : order.line_items) {
    total += line.unit_price * line.quantity;
    lines.push_back(Linkage("line_items", line.id));
  }
  json::array shipments;
  for (const auto& shipment : order.shipments) {
    if (Listed(shipment)) shipments.push_back(Linkage("shipments", shipment.id));
  }
  return json::object{
      {"type", "invoices"},
      {"id", order.id},
      {"attributes",
       {{"status", InvoiceStatus(order)},
        {"external_id", order.order_number},
        {"currency", order.currency},
        {"total", Decimal(total, order.currency)},
        {"created_at", Time(order.created_at)}}},
      {"relationships",
       {{"line_items", {{"data", std::move(lines)}}},
        {"shipments", {{"data", std::move(shipments)}}}}},
  };
}

json::object ShipmentDocument(const domain::Order& order, const domain::Shipment& shipment,
                              const std::string& base_url) {
  json::array included;
  std::set<int64_t> seen;
  for (const auto& item : shipment.items) {
    if (!seen.insert(item.line_item_id).second) continue;
    if (const domain::LineItem* line = LineOf(order, item.line_item_id)) {
      included.push_back(LineItemResource(order, *line));
    }
  }
  for (const auto& item : shipment.items) {
    json::object attributes{{"line_item_id", item.line_item_id}, {"quantity", item.quantity}};
    if (!item.bundle_sku.empty()) attributes["component_sku"] = item.sku;
    included.push_back(json::object{
        {"id", nullptr}, {"type", "shipped_items"}, {"attributes", std::move(attributes)}});
  }
  included.push_back(InvoiceResource(order));
  return json::object{
      {"links", {{"self", base_url + ShipmentPath(shipment)}}},
      {"data", ShipmentResource(order, shipment, true)},
      {"included", std::move(included)},
  };
}

}  // namespace shipline::http::marketplace
