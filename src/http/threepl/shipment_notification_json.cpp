#include "http/threepl/shipment_notification_json.hpp"

#include <charconv>
#include <cmath>

#include "app/clock.hpp"
#include "domain/money.hpp"
#include "domain/order_rules.hpp"
#include "http/iso_time.hpp"
#include "http/json_io.hpp"
#include "http/pass_through_json.hpp"

namespace shipline::http::threepl {

namespace {

constexpr size_t kMaxPackages = 100;
constexpr size_t kMaxItems = 1000;
using domain::TextKind;

json::value TextOrNull(const std::string& text) { return StringOrNull(text); }

json::value NumberOrNull(const std::optional<double>& value) {
  if (!value) return nullptr;
  return json::value(*value);
}

json::value TimeOrNull(const std::optional<int64_t>& millis) {
  if (!millis) return nullptr;
  return json::value(app::FormatIsoTime(*millis));
}

// How many of `line` this one shipment fulfils: pieces for a plain item,
// whole bundles for a bundle (seed 002: 1 A + 2 B of a 1 A + 1 B bundle is 1).
int64_t FulfilledInShipment(const domain::Order& order, const domain::Shipment& shipment,
                            const domain::LineItem& line) {
  domain::Order alone = order;
  alone.shipments = {shipment};
  alone.shipments.front().status = domain::ShipmentStatus::kShipped;
  return domain::FulfilledQuantity(alone, line);
}

json::object ItemJson(const domain::Order& order, const domain::Shipment& shipment,
                      const domain::LineItem& line, const app::threepl::ShipmentReport& report) {
  json::value serial_numbers = json::array();
  for (const auto& [sku, text] : report.serial_numbers) {
    if (sku == line.sku) serial_numbers = PassThroughJson(text);
  }
  int exponent = domain::CurrencyExponent(order.currency);
  double price = static_cast<double>(line.unit_price) / std::pow(10.0, exponent);
  json::object parts;
  for (const auto& component : line.components) {
    int64_t shipped = 0;
    for (const auto& item : shipment.items) {
      if (item.line_item_id == line.id && item.sku == component.sku) shipped += item.quantity;
    }
    parts[component.sku] = {{"quantity_per_bundle", component.quantity},
                            {"ordered_quantity", component.quantity * line.quantity},
                            {"fulfilled_quantity", shipped}};
  }
  return {{"sku", line.sku},
          {"name", line.title},
          {"ordered_quantity", line.quantity},
          {"fulfilled_quantity", FulfilledInShipment(order, shipment, line)},
          {"price", price},
          {"currency", order.currency},
          {"custom_data", PassThroughJson(line.custom_data)},
          {"order_parts", std::move(parts)},
          {"serial_numbers", std::move(serial_numbers)}};
}

// A ship-from's fields under the contract's address names (as ship_to's).
std::vector<std::pair<const char*, std::string*>> AddressFields(domain::ShipFrom& a) {
  return {{"name", &a.name},       {"company", &a.company}, {"address1", &a.line1},
          {"address2", &a.line2},  {"city", &a.city},       {"state", &a.region},
          {"zip", &a.postal_code}, {"country", &a.country}, {"phone", &a.phone},
          {"email", &a.email}};
}

json::object ShipFromJson(domain::ShipFrom ship_from) {
  json::object out;
  for (const auto& [key, value] : AddressFields(ship_from)) out[key] = TextOrNull(*value);
  return out;
}

json::object AddressJson(const domain::Order& order) {
  const domain::Address& a = order.shipping_address;
  return {{"name", TextOrNull(a.name.empty() ? order.customer.name : a.name)},
          {"company", nullptr},
          {"address1", TextOrNull(a.line1)},
          {"address2", TextOrNull(a.line2)},
          {"city", TextOrNull(a.city)},
          {"state", TextOrNull(a.region)},
          {"zip", TextOrNull(a.postal_code)},
          {"country", TextOrNull(a.country)},
          {"phone", TextOrNull(a.phone)},
          {"email", TextOrNull(order.customer.email)}};
}

// Boost.JSON writes doubles in exponent form ("1.05E1"); receivers of this
// contract expect plain decimals ("10.5"), so numbers are written here with
// the shortest round-trip form and everything else by Boost.
void WritePlain(const json::value& value, std::string& out) {
  switch (value.kind()) {
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, member] : value.as_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(json::string_view(key));
        out.push_back(':');
        WritePlain(member, out);
      }
      out.push_back('}');
      return;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& element : value.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        WritePlain(element, out);
      }
      out.push_back(']');
      return;
    }
    case json::kind::double_: {
      char buffer[64];
      auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.as_double());
      if (ec == std::errc() && std::isfinite(value.as_double())) {
        out.append(buffer, end);
      } else {
        out += "null";
      }
      return;
    }
    default:
      out += json::serialize(value);
  }
}

// Error helpers name the field in the seed's own spelling.
Error Bad(const std::string& field, const std::string& what) {
  return Error::Invalid(field + " " + what, field);
}

Result<std::optional<double>> OptionalNumber(const json::object& object, std::string_view key,
                                             const std::string& path) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<double>();
  double number = 0;
  if (value->is_double()) {
    number = value->as_double();
  } else if (value->is_int64()) {
    number = static_cast<double>(value->as_int64());
  } else if (value->is_uint64()) {
    number = static_cast<double>(value->as_uint64());
  } else {
    return Bad(path, "must be a number");
  }
  if (!std::isfinite(number) || number < 0 || number > 1e9) {
    return Bad(path, "must be a non-negative number");
  }
  return std::optional<double>(number);
}

Status ReadText(const json::object& object, std::string_view key, const std::string& path,
                std::string& out, TextKind kind) {
  auto value = OptionalString(object, key, path, kind);
  if (!value) return std::move(value).error();
  out = value->value_or("");
  return Ok();
}

Result<std::optional<int64_t>> ReadTime(const json::object& object, std::string_view key,
                                        const std::string& path) {
  auto text = OptionalString(object, key, path, TextKind::kCode);
  if (!text) return std::move(text).error();
  if (!*text || (*text)->empty()) return std::optional<int64_t>();
  auto millis = ParseIsoTime(**text);
  if (!millis) return Bad(path, "must be an ISO 8601 time such as 2026-11-22T05:18:00Z");
  return std::optional<int64_t>(*millis);
}

// A bundle's order_parts, keyed by component sku, each with the pieces that
// left in fulfilled_quantity (the form Format writes). Absent or null: none.
Result<std::vector<app::threepl::NotifiedPart>> ReadParts(const json::object& item,
                                                          const std::string& path) {
  std::vector<app::threepl::NotifiedPart> parts;
  // An empty object serialised by PHP arrives as [].
  const json::value* raw = item.if_contains("order_parts");
  if (raw != nullptr && raw->is_array() && raw->as_array().empty()) return parts;
  auto object = OptionalObject(item, "order_parts", path);
  if (!object) return std::move(object).error();
  if (*object == nullptr) return parts;
  if ((*object)->size() > domain::kMaxComponents) return Bad(path, "holds at most 100 parts");
  for (const auto& [key, value] : **object) {
    std::string part_path = path + "." + std::string(key);
    if (key.empty() || key.size() > 128) return Bad(path, "has a bad sku");
    if (!value.is_object()) return Bad(part_path, "must be an object");
    auto quantity =
        OptionalInt(value.as_object(), "fulfilled_quantity", part_path + ".fulfilled_quantity");
    if (!quantity) return std::move(quantity).error();
    if (!*quantity) return Bad(part_path + ".fulfilled_quantity", "is required");
    if (**quantity < 0 || **quantity > domain::kMaxQuantity) {
      return Bad(part_path + ".fulfilled_quantity", "must be between 0 and 1000000");
    }
    parts.push_back({std::string(key), **quantity});
  }
  return parts;
}

Result<domain::Package> ReadPackage(const json::object& object, const std::string& path) {
  domain::Package p;
  SHIPLINE_RETURN_IF_ERROR(ReadText(object, "tracking_number", path + ".tracking_number",
                                    p.tracking_number, TextKind::kId));
  if (p.tracking_number.find_first_not_of(' ') == std::string::npos) {
    return Bad(path + ".tracking_number", "is required");
  }
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(object, "carrier", path + ".carrier", p.carrier, TextKind::kId));
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(object, "service", path + ".service", p.service, TextKind::kId));
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(object, "tracking_url", path + ".tracking_url", p.tracking_url, TextKind::kUrl));
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(object, "weight_unit", path + ".weight_unit", p.weight_unit, TextKind::kCode));
  SHIPLINE_RETURN_IF_ERROR(ReadText(object, "dimension_unit", path + ".dimension_unit",
                                    p.dimension_unit, TextKind::kCode));
  const std::pair<const char*, std::optional<double>*> numbers[] = {
      {"weight", &p.weight}, {"length", &p.length}, {"width", &p.width}, {"height", &p.height}};
  for (const auto& [key, target] : numbers) {
    auto number = OptionalNumber(object, key, path + "." + key);
    if (!number) return std::move(number).error();
    *target = *number;
  }
  auto shipped = ReadTime(object, "shipped_at", path + ".shipped_at");
  if (!shipped) return std::move(shipped).error();
  p.shipped_at = *shipped;
  return p;
}

}  // namespace

std::string ShipmentNotificationJson::CarrierName(std::string_view carrier) const {
  if (carrier.empty()) return {};
  const domain::Carrier* known = carriers_.Find(carrier);
  return known != nullptr ? known->notification_name : std::string(carrier);
}

std::string ShipmentNotificationJson::Format(
    const app::webhooks::ShipmentSnapshot& snapshot) const {
  const domain::Order& order = snapshot.order;
  const domain::Shipment& shipment = snapshot.shipment;
  std::string shipment_carrier =
      CarrierName(shipment.carrier_code.empty() ? shipment.carrier : shipment.carrier_code);
  std::optional<int64_t> shipped_at =
      shipment.dispatched_at ? shipment.dispatched_at : shipment.shipped_at;

  json::array items;
  for (const auto& line : order.line_items) {
    bool in_shipment = false;
    for (const auto& item : shipment.items)
      in_shipment = in_shipment || item.line_item_id == line.id;
    if (in_shipment) items.push_back(ItemJson(order, shipment, line, snapshot.report));
  }

  // Every package the shipment left in; a shipment whose packages were never
  // listed is one package with the shipment's own tracking.
  std::vector<domain::Package> packages = snapshot.packages;
  if (packages.empty() && !shipment.tracking_number.empty()) {
    domain::Package only;
    only.tracking_number = shipment.tracking_number;
    only.tracking_url = shipment.tracking_url;
    packages.push_back(std::move(only));
  }
  json::array package_list;
  for (const auto& p : packages) {
    std::string carrier = p.carrier.empty() ? shipment_carrier : CarrierName(p.carrier);
    std::string url = p.tracking_url;
    if (url.empty()) {
      const domain::Carrier* known =
          carriers_.Find(p.carrier.empty() ? (shipment.carrier_code.empty() ? shipment.carrier
                                                                            : shipment.carrier_code)
                                           : p.carrier);
      if (known != nullptr) url = domain::CarrierRegistry::TrackingUrl(*known, p.tracking_number);
    }
    package_list.push_back(
        {{"tracking_number", p.tracking_number},
         {"tracking_url", TextOrNull(url)},
         {"carrier", TextOrNull(carrier)},
         {"service", TextOrNull(p.service.empty() ? shipment.service : p.service)},
         {"weight", NumberOrNull(p.weight)},
         {"weight_unit", TextOrNull(p.weight_unit)},
         {"length", NumberOrNull(p.length)},
         {"width", NumberOrNull(p.width)},
         {"height", NumberOrNull(p.height)},
         {"dimension_unit", TextOrNull(p.dimension_unit)},
         {"shipped_at", TimeOrNull(p.shipped_at ? p.shipped_at : shipped_at)}});
  }
  std::string tracking_number =
      packages.empty() ? shipment.tracking_number : packages.front().tracking_number;

  json::object payload{
      {"order_key", order.order_number},
      {"order_number", order.order_number},
      {"shipment_number", shipment.shipment_number},
      {"store", order.store},
      {"carrier", TextOrNull(shipment_carrier)},
      {"service", TextOrNull(shipment.service)},
      {"tracking_number", TextOrNull(tracking_number)},
      {"items", std::move(items)},
      {"extra_data", PassThroughJson(order.extra_data)},
      {"routing",
       {{"carrier", TextOrNull(shipment_carrier)}, {"service", TextOrNull(shipment.service)}}},
      {"ordered_at", app::FormatIsoTime(order.created_at)},
      {"shipped_at", TimeOrNull(shipped_at)},
      {"packages", std::move(package_list)},
      {"pallets", PassThroughJson(snapshot.report.pallets)},
      {"ship_from", ShipFromJson(snapshot.report.ship_from)},
      {"ship_to", AddressJson(order)},
  };
  std::string out;
  WritePlain(payload, out);
  return out;
}

Result<app::threepl::ShipmentNotificationCommand> ParseShipmentNotification(std::string_view body) {
  auto parsed = ParseObject(body);
  if (!parsed) return std::move(parsed).error();
  const json::object& root = *parsed;
  app::threepl::ShipmentNotificationCommand command;

  // The order: order_number, else order_key (the merchant's own key).
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(root, "order_number", "order_number", command.order_number, TextKind::kId));
  if (command.order_number.empty()) {
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(root, "order_key", "order_key", command.order_number, TextKind::kId));
  }
  if (command.order_number.empty()) return Bad("order_number", "is required");
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(root, "shipment_number", "shipment_number", command.shipment_number, TextKind::kId));
  SHIPLINE_RETURN_IF_ERROR(ReadText(root, "carrier", "carrier", command.carrier, TextKind::kId));
  SHIPLINE_RETURN_IF_ERROR(ReadText(root, "service", "service", command.service, TextKind::kId));
  auto shipped = ReadTime(root, "shipped_at", "shipped_at");
  if (!shipped) return std::move(shipped).error();
  command.shipped_at = *shipped;

  auto packages = OptionalArray(root, "packages", "packages");
  if (!packages) return std::move(packages).error();
  if (*packages != nullptr) {
    if ((*packages)->size() > kMaxPackages) return Bad("packages", "holds at most 100 packages");
    for (size_t i = 0; i < (*packages)->size(); ++i) {
      std::string path = "packages[" + std::to_string(i) + "]";
      const json::value& entry = (**packages)[i];
      if (!entry.is_object()) return Bad(path, "must be an object");
      auto package = ReadPackage(entry.as_object(), path);
      if (!package) return std::move(package).error();
      bool repeated = false;
      for (const auto& seen : command.packages) {
        repeated = repeated || seen.tracking_number == package->tracking_number;
      }
      if (!repeated) command.packages.push_back(std::move(*package));
    }
  }

  auto pallets = ReadPassThrough(root, "pallets", "pallets");
  if (!pallets) return std::move(pallets).error();
  command.report.pallets = std::move(*pallets);
  auto ship_from = OptionalObject(root, "ship_from", "ship_from");
  if (!ship_from) return std::move(ship_from).error();
  if (*ship_from != nullptr) {
    for (const auto& [key, target] : AddressFields(command.report.ship_from)) {
      SHIPLINE_RETURN_IF_ERROR(
          ReadText(**ship_from, key, std::string("ship_from.") + key, *target, TextKind::kAddress));
    }
  }

  auto items = OptionalArray(root, "items", "items");
  if (!items) return std::move(items).error();
  if (*items != nullptr) {
    if ((*items)->size() > kMaxItems) return Bad("items", "holds at most 1000 items");
    for (size_t i = 0; i < (*items)->size(); ++i) {
      std::string path = "items[" + std::to_string(i) + "]";
      const json::value& entry = (**items)[i];
      if (!entry.is_object()) return Bad(path, "must be an object");
      const json::object& item = entry.as_object();
      app::threepl::NotifiedItem notified;
      SHIPLINE_RETURN_IF_ERROR(ReadText(item, "sku", path + ".sku", notified.sku, TextKind::kId));
      if (notified.sku.empty()) return Bad(path + ".sku", "is required");
      auto quantity = OptionalInt(item, "fulfilled_quantity", path + ".fulfilled_quantity");
      if (!quantity) return std::move(quantity).error();
      if (!*quantity) return Bad(path + ".fulfilled_quantity", "is required");
      if (**quantity < 0 || **quantity > domain::kMaxQuantity) {
        return Bad(path + ".fulfilled_quantity", "must be between 0 and 1000000");
      }
      notified.quantity = **quantity;
      auto parts = ReadParts(item, path + ".order_parts");
      if (!parts) return std::move(parts).error();
      notified.parts = std::move(*parts);
      auto serials = ReadPassThrough(item, "serial_numbers", path + ".serial_numbers");
      if (!serials) return std::move(serials).error();
      if (!serials->empty()) {
        command.report.serial_numbers.emplace_back(notified.sku, std::move(*serials));
      }
      command.items.push_back(std::move(notified));
    }
  }
  return command;
}

}  // namespace shipline::http::threepl
