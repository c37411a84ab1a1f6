#include "http/native/order_json.hpp"

#include <tuple>

#include "app/clock.hpp"
#include "domain/money.hpp"
#include "domain/order_rules.hpp"
#include "http/pass_through_json.hpp"

namespace shipline::http::native {

namespace {

std::string Path(std::string_view list, size_t index, std::string_view field) {
  return std::string(list) + "[" + std::to_string(index) + "]." + std::string(field);
}

using domain::TextKind;

// Reads an optional string field into `out`, leaving it empty when absent.
Status ReadText(const json::object& object, std::string_view key, std::string_view path,
                TextKind kind, std::string& out) {
  auto value = OptionalString(object, key, path, kind);
  if (!value) return std::move(value).error();
  out = value->value_or("");
  return Ok();
}

Result<int64_t> ReadMoney(const json::object& object, std::string_view key, std::string path,
                          int exponent, bool required) {
  auto text = OptionalString(object, key, path, TextKind::kCode);
  if (!text) return std::move(text).error();
  if (!*text) {
    if (required) return Error::Invalid(path + " is required", path);
    return int64_t{0};
  }
  auto amount = domain::ParseDecimal(**text, exponent);
  if (!amount) {
    return Error::Invalid(path + " " + amount.error().message, path);
  }
  return *amount;
}

Result<int64_t> ReadQuantity(const json::object& object, std::string path) {
  auto quantity = OptionalInt(object, "quantity", path);
  if (!quantity) return std::move(quantity).error();
  if (!*quantity) return Error::Invalid(path + " is required", path);
  return **quantity;
}

// Reads lineItems[i].components: [{sku, quantity}] (quantity per bundle).
Status ReadComponents(const json::object& line, const std::string& path,
                      std::vector<domain::BundleComponent>& out) {
  auto components = OptionalArray(line, "components", path + ".components");
  if (!components) return std::move(components).error();
  if (*components == nullptr) return Ok();
  if ((*components)->size() > domain::kMaxComponents) {
    return Error::Invalid("a bundle holds at most 100 components", path + ".components");
  }
  for (size_t k = 0; k < (*components)->size(); ++k) {
    const json::value& raw = (**components)[k];
    std::string item_path = path + ".components[" + std::to_string(k) + "]";
    if (!raw.is_object()) return Error::Invalid(item_path + " must be an object", item_path);
    domain::BundleComponent component;
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(raw.as_object(), "sku", item_path + ".sku", TextKind::kId, component.sku));
    auto quantity = ReadQuantity(raw.as_object(), item_path + ".quantity");
    if (!quantity) return std::move(quantity).error();
    component.quantity = *quantity;
    out.push_back(std::move(component));
  }
  return Ok();
}

Status ReadAddress(const json::object* object, domain::Address& address) {
  if (object == nullptr) return Ok();
  const std::tuple<const char*, std::string*, TextKind> fields[] = {
      {"name", &address.name, TextKind::kName},
      {"line1", &address.line1, TextKind::kAddress},
      {"line2", &address.line2, TextKind::kAddress},
      {"city", &address.city, TextKind::kAddress},
      {"region", &address.region, TextKind::kAddress},
      {"postalCode", &address.postal_code, TextKind::kAddress},
      {"country", &address.country, TextKind::kAddress},
      {"phone", &address.phone, TextKind::kPhone},
  };
  for (const auto& [key, target, kind] : fields) {
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(*object, key, std::string("shippingAddress.") + key, kind, *target));
  }
  return Ok();
}

}  // namespace

Result<std::vector<domain::ShipmentItem>> ReadShipmentItems(const json::object& object,
                                                            const std::string& prefix) {
  std::vector<domain::ShipmentItem> out;
  auto items = OptionalArray(object, "items", prefix + "items");
  if (!items) return std::move(items).error();
  if (*items == nullptr) return out;
  if ((*items)->size() > domain::kMaxLineItems) {
    return Error::Invalid("too many items", prefix + "items");
  }
  for (size_t k = 0; k < (*items)->size(); ++k) {
    const json::value& raw = (**items)[k];
    std::string item_path = prefix + "items[" + std::to_string(k) + "]";
    if (!raw.is_object()) return Error::Invalid(item_path + " must be an object", item_path);
    domain::ShipmentItem item;
    auto line_id = OptionalInt(raw.as_object(), "lineItemId", item_path + ".lineItemId");
    if (!line_id) return std::move(line_id).error();
    item.line_item_id = line_id->value_or(0);
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(raw.as_object(), "sku", item_path + ".sku", TextKind::kId, item.sku));
    auto quantity = ReadQuantity(raw.as_object(), item_path + ".quantity");
    if (!quantity) return std::move(quantity).error();
    item.quantity = *quantity;
    out.push_back(std::move(item));
  }
  return out;
}

Status ReadShipmentDetails(const json::object& object, const std::string& prefix,
                           domain::Shipment& shipment) {
  const std::tuple<const char*, std::string*, TextKind> fields[] = {
      {"carrier", &shipment.carrier, TextKind::kId},
      {"carrierTrackingNumber", &shipment.tracking_number, TextKind::kId},
      {"trackingUrl", &shipment.tracking_url, TextKind::kUrl},
      {"service", &shipment.service, TextKind::kId},
      {"returnTrackingNumber", &shipment.return_tracking_number, TextKind::kId},
      {"internalComment", &shipment.internal_comment, TextKind::kNote},
      {"note", &shipment.note, TextKind::kNote},
  };
  for (const auto& [key, target, kind] : fields) {
    SHIPLINE_RETURN_IF_ERROR(ReadText(object, key, prefix + key, kind, *target));
  }
  auto packages = OptionalInt(object, "packages", prefix + "packages");
  if (!packages) return std::move(packages).error();
  if (*packages && (**packages < 0 || **packages > 10'000)) {
    return Error::Invalid("packages must be between 0 and 10000", prefix + "packages");
  }
  shipment.package_count = packages->value_or(0);
  return Ok();
}

Result<domain::Order> OrderFromJson(const json::object& body) {
  domain::Order order;
  auto number = RequiredString(body, "orderNumber", "orderNumber", TextKind::kId);
  if (!number) return std::move(number).error();
  order.order_number = std::move(*number);
  SHIPLINE_RETURN_IF_ERROR(ReadText(body, "store", "store", TextKind::kId, order.store));
  if (order.store.empty()) order.store = "default";
  auto currency = RequiredString(body, "currency", "currency", TextKind::kCode);
  if (!currency) return std::move(currency).error();
  order.currency = std::move(*currency);
  if (!domain::IsCurrencyCode(order.currency)) {
    return Error::Invalid("currency must be an ISO 4217 code such as USD", "currency");
  }
  int exponent = domain::CurrencyExponent(order.currency);

  auto customer = OptionalObject(body, "customer", "customer");
  if (!customer) return std::move(customer).error();
  if (*customer == nullptr) return Error::Invalid("customer is required", "customer");
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(**customer, "name", "customer.name", TextKind::kName, order.customer.name));
  SHIPLINE_RETURN_IF_ERROR(
      ReadText(**customer, "email", "customer.email", TextKind::kEmail, order.customer.email));

  auto address = OptionalObject(body, "shippingAddress", "shippingAddress");
  if (!address) return std::move(address).error();
  SHIPLINE_RETURN_IF_ERROR(ReadAddress(*address, order.shipping_address));

  auto lines = OptionalArray(body, "lineItems", "lineItems");
  if (!lines) return std::move(lines).error();
  if (*lines == nullptr) return Error::Invalid("lineItems is required", "lineItems");
  if ((*lines)->size() > domain::kMaxLineItems) {
    return Error::Invalid("lineItems must hold 1 to 1000 items", "lineItems");
  }
  for (size_t i = 0; i < (*lines)->size(); ++i) {
    const json::value& entry = (**lines)[i];
    std::string path = "lineItems[" + std::to_string(i) + "]";
    if (!entry.is_object()) return Error::Invalid(path + " must be an object", path);
    const json::object& line = entry.as_object();
    domain::LineItem item;
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(line, "sku", Path("lineItems", i, "sku"), TextKind::kId, item.sku));
    SHIPLINE_RETURN_IF_ERROR(
        ReadText(line, "title", Path("lineItems", i, "title"), TextKind::kName, item.title));
    auto quantity = ReadQuantity(line, Path("lineItems", i, "quantity"));
    if (!quantity) return std::move(quantity).error();
    item.quantity = *quantity;
    auto price = ReadMoney(line, "unitPrice", Path("lineItems", i, "unitPrice"), exponent, true);
    if (!price) return std::move(price).error();
    item.unit_price = *price;
    SHIPLINE_RETURN_IF_ERROR(ReadComponents(line, path, item.components));
    auto custom = ReadPassThrough(line, "customData", path + ".customData");
    if (!custom) return std::move(custom).error();
    item.custom_data = std::move(*custom);
    order.line_items.push_back(std::move(item));
  }

  auto extra = ReadPassThrough(body, "extraData", "extraData");
  if (!extra) return std::move(extra).error();
  order.extra_data = std::move(*extra);

  auto payment = OptionalObject(body, "payment", "payment");
  if (!payment) return std::move(payment).error();
  if (*payment != nullptr) {
    SHIPLINE_RETURN_IF_ERROR(ReadText(**payment, "provider", "payment.provider", TextKind::kCode,
                                      order.payment.provider));
    SHIPLINE_RETURN_IF_ERROR(ReadText(**payment, "reference", "payment.reference", TextKind::kId,
                                      order.payment.reference));
    auto authorized =
        ReadMoney(**payment, "amountAuthorized", "payment.amountAuthorized", exponent, false);
    if (!authorized) return std::move(authorized).error();
    order.payment.amount_authorized = *authorized;
  }

  auto shipments = OptionalArray(body, "shipments", "shipments");
  if (!shipments) return std::move(shipments).error();
  if (*shipments != nullptr) {
    if ((*shipments)->size() > domain::kMaxShipments) {
      return Error::Invalid("an order holds at most 100 shipments", "shipments");
    }
    for (size_t s = 0; s < (*shipments)->size(); ++s) {
      const json::value& entry = (**shipments)[s];
      std::string path = "shipments[" + std::to_string(s) + "]";
      if (!entry.is_object()) return Error::Invalid(path + " must be an object", path);
      const json::object& object = entry.as_object();
      domain::Shipment shipment;
      SHIPLINE_RETURN_IF_ERROR(ReadText(object, "shipmentNumber", path + ".shipmentNumber",
                                        TextKind::kId, shipment.shipment_number));
      std::string status = "PENDING";
      SHIPLINE_RETURN_IF_ERROR(
          ReadText(object, "status", path + ".status", TextKind::kCode, status));
      auto parsed = domain::ParseShipmentStatus(status.empty() ? "PENDING" : status);
      if (!parsed) return Error::Invalid("status must be PENDING or RELEASED", path + ".status");
      shipment.status = *parsed;
      SHIPLINE_RETURN_IF_ERROR(ReadShipmentDetails(object, path + ".", shipment));
      auto items = ReadShipmentItems(object, path + ".");
      if (!items) return std::move(items).error();
      shipment.items = std::move(*items);
      order.shipments.push_back(std::move(shipment));
    }
  }
  return order;
}

json::object ShipmentToJson(const domain::Shipment& shipment) {
  json::array items;
  for (const auto& item : shipment.items) {
    json::object entry{
        {"lineItemId", item.line_item_id}, {"sku", item.sku}, {"quantity", item.quantity}};
    if (!item.bundle_sku.empty()) entry["bundleSku"] = item.bundle_sku;
    items.push_back(std::move(entry));
  }
  json::array history;
  for (const auto& change : shipment.history) {
    json::object entry{
        {"status", change.status}, {"at", app::FormatIsoTime(change.at)}, {"by", change.by}};
    if (!change.note.empty()) entry["note"] = change.note;
    history.push_back(std::move(entry));
  }
  json::object out{
      {"id", shipment.id},
      {"shipmentNumber", shipment.shipment_number},
      {"orderNumber", shipment.order_number},
      {"status", domain::ShipmentStatusName(shipment.status)},
      {"carrier", StringOrNull(shipment.carrier)},
      {"carrierTrackingNumber", StringOrNull(shipment.tracking_number)},
      {"items", std::move(items)},
      {"shippedAt", shipment.shipped_at ? json::value(app::FormatIsoTime(*shipment.shipped_at))
                                        : json::value(nullptr)},
      {"createdAt", app::FormatIsoTime(shipment.created_at)},
      {"updatedAt", app::FormatIsoTime(shipment.updated_at)},
      {"carrierCode", StringOrNull(shipment.carrier_code)},
      {"trackingUrl", StringOrNull(shipment.tracking_url)},
      {"service", StringOrNull(shipment.service)},
      {"packages", shipment.package_count},
      {"returnTrackingNumber", StringOrNull(shipment.return_tracking_number)},
      {"internalComment", StringOrNull(shipment.internal_comment)},
      {"note", StringOrNull(shipment.note)},
      {"dispatchedAt", shipment.dispatched_at
                           ? json::value(app::FormatIsoTime(*shipment.dispatched_at))
                           : json::value(nullptr)},
  };
  if (!shipment.history.empty()) out["statusHistory"] = std::move(history);
  return out;
}

json::object OrderToJson(const domain::Order& order) {
  int exponent = domain::CurrencyExponent(order.currency);
  json::array lines;
  for (const auto& line : order.line_items) {
    json::array components;
    for (const auto& component : line.components) {
      components.push_back({{"sku", component.sku}, {"quantity", component.quantity}});
    }
    json::object entry{{"id", line.id},
                       {"sku", line.sku},
                       {"title", line.title},
                       {"quantity", line.quantity},
                       {"unitPrice", domain::FormatDecimal(line.unit_price, exponent)},
                       {"components", std::move(components)},
                       {"fulfilledQuantity", domain::FulfilledQuantity(order, line)}};
    // Loaded only for one order (see app/pass_through_repository.hpp).
    if (!line.custom_data.empty()) entry["customData"] = PassThroughJson(line.custom_data);
    lines.push_back(std::move(entry));
  }
  json::array shipments;
  for (const auto& shipment : order.shipments) shipments.push_back(ShipmentToJson(shipment));
  const auto& a = order.shipping_address;
  json::object out{
      {"id", order.id},
      {"orderNumber", order.order_number},
      {"store", order.store},
      {"currency", order.currency},
      {"customer", {{"name", order.customer.name}, {"email", order.customer.email}}},
      {"shippingAddress",
       {{"name", a.name},
        {"line1", a.line1},
        {"line2", a.line2},
        {"city", a.city},
        {"region", a.region},
        {"postalCode", a.postal_code},
        {"country", a.country},
        {"phone", a.phone}}},
      {"lineItems", std::move(lines)},
      {"payment",
       {{"provider", order.payment.provider},
        {"reference", order.payment.reference},
        {"amountAuthorized", domain::FormatDecimal(order.payment.amount_authorized, exponent)},
        {"amountCaptured", domain::FormatDecimal(order.payment.amount_captured, exponent)}}},
      {"shipments", std::move(shipments)},
      {"shippingState", domain::ShippingStateName(domain::DeriveShippingState(order))},
      {"createdAt", app::FormatIsoTime(order.created_at)},
      {"updatedAt", app::FormatIsoTime(order.updated_at)},
  };
  if (!order.extra_data.empty()) out["extraData"] = PassThroughJson(order.extra_data);
  return out;
}

json::object EventToJson(const domain::Event& event) {
  boost::system::error_code ec;
  json::value payload = json::parse(event.payload, ec);
  if (ec) payload = event.payload;
  return json::object{{"id", event.id},
                      {"type", event.type},
                      {"topic", event.topic},
                      {"subject", event.subject},
                      {"createdAt", app::FormatIsoTime(event.created_at)},
                      {"payload", std::move(payload)}};
}

}  // namespace shipline::http::native
