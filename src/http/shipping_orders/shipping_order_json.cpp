#include "http/shipping_orders/shipping_order_json.hpp"

#include <cmath>

#include "app/clock.hpp"
#include "app/zone_time.hpp"
#include "domain/money.hpp"

namespace shipline::http::shipping_orders {

namespace {

// Decimal values travel as strings with this prefix until serialized.
constexpr std::string_view kDecimalMark =
    "\x01"
    "dec:";

Error Wrong(const std::string& path, const char* what) {
  return Error::Invalid(path + " must be " + what, path);
}

Result<std::string> Text(const json::object& o, std::string_view key, const std::string& path,
                         const std::string& current, domain::TextKind kind) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return current;
  if (v->is_null()) return std::string();
  if (!v->is_string()) return Wrong(path, "a string");
  SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(v->as_string(), kind, path));
  return std::string(v->as_string());
}

Result<std::optional<double>> Number(const json::object& o, std::string_view key,
                                     const std::string& path) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number()) return Wrong(path, "a number");
  return std::optional<double>(v->to_number<double>());
}

// Money: a number (or decimal string) in major units.
Result<std::optional<int64_t>> Money(const json::value* v, const std::string& path, int exponent) {
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_string()) {
    auto parsed = domain::ParseDecimal(std::string(v->as_string()), exponent);
    if (!parsed) return Wrong(path, "a non-negative amount");
    return std::optional<int64_t>(*parsed);
  }
  if (!v->is_number()) return Wrong(path, "a number");
  double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0 || d > 1e13) return Wrong(path, "a non-negative amount");
  return std::optional<int64_t>(std::llround(d * std::pow(10.0, exponent)));
}

Result<std::optional<int64_t>> Millis(const json::object& o, std::string_view key,
                                      const std::string& path) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_int64() && v->as_int64() >= 0) return std::optional<int64_t>(v->as_int64());
  if (v->is_uint64() && v->as_uint64() <= INT64_MAX) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_uint64()));
  }
  if (v->is_double() && v->as_double() >= 0 && v->as_double() < 1e15 &&
      std::floor(v->as_double()) == v->as_double()) {
    return std::optional<int64_t>(static_cast<int64_t>(v->as_double()));
  }
  return Wrong(path, "epoch milliseconds");
}

Result<const json::object*> Object(const json::object& o, std::string_view key,
                                   const std::string& path) {
  return OptionalObject(o, key, path);
}

#define SHIPPING_SET(target, expr)                                 \
  do {                                                             \
    auto shipping_value = (expr);                                  \
    if (!shipping_value) return std::move(shipping_value).error(); \
    target = std::move(*shipping_value);                           \
  } while (false)

Status ReadAddress(const json::object& o, const std::string& path, domain::PlaceAddress& a) {
  a = {};
  SHIPPING_SET(a.street1, Text(o, "street1", path + ".street1", "", domain::TextKind::kAddress));
  SHIPPING_SET(a.street2, Text(o, "street2", path + ".street2", "", domain::TextKind::kAddress));
  SHIPPING_SET(a.apartment_number, Text(o, "apartmentNumber", path + ".apartmentNumber", "",
                                        domain::TextKind::kAddress));
  SHIPPING_SET(a.city, Text(o, "city", path + ".city", "", domain::TextKind::kAddress));
  SHIPPING_SET(a.state, Text(o, "state", path + ".state", "", domain::TextKind::kAddress));
  SHIPPING_SET(a.postal_code,
               Text(o, "postalCode", path + ".postalCode", "", domain::TextKind::kAddress));
  SHIPPING_SET(a.country_code,
               Text(o, "countryCode", path + ".countryCode", "", domain::TextKind::kCode));
  SHIPPING_SET(a.latitude, Number(o, "latitude", path + ".latitude"));
  SHIPPING_SET(a.longitude, Number(o, "longitude", path + ".longitude"));
  return Ok();
}

Status ReadContact(const json::object& o, const std::string& path, domain::ContactInfo& c) {
  c = {};
  SHIPPING_SET(c.name, Text(o, "name", path + ".name", "", domain::TextKind::kName));
  SHIPPING_SET(c.phone, Text(o, "phone", path + ".phone", "", domain::TextKind::kPhone));
  SHIPPING_SET(c.email, Text(o, "email", path + ".email", "", domain::TextKind::kEmail));
  return Ok();
}

Status ReadWindow(const json::object& o, std::string_view key, const std::string& path,
                  domain::TimeWindow& w) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return Ok();
  w = {};
  if (v->is_null()) return Ok();
  if (!v->is_object()) return Wrong(path, "an object");
  SHIPPING_SET(w.starts_at, Millis(v->as_object(), "startsAt", path + ".startsAt"));
  SHIPPING_SET(w.ends_at, Millis(v->as_object(), "endsAt", path + ".endsAt"));
  return Ok();
}

Result<std::optional<domain::ParcelSize>> ReadSize(const json::object& o, const std::string& path) {
  auto size = Object(o, "size", path);
  if (!size) return std::move(size).error();
  if (*size == nullptr) return std::optional<domain::ParcelSize>();
  domain::ParcelSize s;
  for (auto [key, target] : {std::pair{"length", &s.length}, std::pair{"width", &s.width},
                             std::pair{"height", &s.height}}) {
    auto n = Number(**size, key, path + "." + key);
    if (!n) return std::move(n).error();
    *target = n->value_or(0);
  }
  SHIPPING_SET(s.unit, Text(**size, "unit", path + ".unit", "in", domain::TextKind::kCode));
  return std::optional<domain::ParcelSize>(s);
}

Result<std::optional<domain::ParcelWeight>> ReadWeight(const json::object& o,
                                                       const std::string& path) {
  auto weight = Object(o, "weight", path);
  if (!weight) return std::move(weight).error();
  if (*weight == nullptr) return std::optional<domain::ParcelWeight>();
  domain::ParcelWeight w;
  auto n = Number(**weight, "value", path + ".value");
  if (!n) return std::move(n).error();
  w.value = n->value_or(0);
  SHIPPING_SET(w.unit, Text(**weight, "unit", path + ".unit", "lb", domain::TextKind::kCode));
  return std::optional<domain::ParcelWeight>(w);
}

Status ReadPackage(const json::object& o, domain::Parcel& p) {
  p = {};
  SHIPPING_SET(p.name, Text(o, "name", "package.name", "", domain::TextKind::kName));
  SHIPPING_SET(p.size, ReadSize(o, "package.size"));
  SHIPPING_SET(p.weight, ReadWeight(o, "package.weight"));
  auto quantity = OptionalInt(o, "itemQuantity", "package.itemQuantity");
  if (!quantity) return std::move(quantity).error();
  p.item_quantity = quantity->value_or(1);
  SHIPPING_SET(p.description,
               Text(o, "description", "package.description", "", domain::TextKind::kLongText));
  SHIPPING_SET(p.temperature_control, Text(o, "temperatureControl", "package.temperatureControl",
                                           "none", domain::TextKind::kCode));
  if (p.temperature_control.empty()) p.temperature_control = "none";
  SHIPPING_SET(p.barcode, Text(o, "barcode", "package.barcode", "", domain::TextKind::kId));
  auto content = OptionalArray(o, "content", "package.content");
  if (!content) return std::move(content).error();
  if (*content != nullptr) {
    for (const auto& c : **content) {
      if (!c.is_string()) return Wrong("package.content", "an array of strings");
      p.content.emplace_back(c.as_string());
    }
  }
  return Ok();
}

Status ReadItems(const json::array& list, int exponent, std::vector<domain::ShippingItem>& items) {
  items.clear();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "itemList[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return Wrong(path, "an object");
    const json::object& o = list[i].as_object();
    domain::ShippingItem item;
    SHIPPING_SET(item.sku, Text(o, "sku", path + ".sku", "", domain::TextKind::kId));
    SHIPPING_SET(item.title, Text(o, "title", path + ".title", "", domain::TextKind::kLongText));
    auto quantity = OptionalInt(o, "quantity", path + ".quantity");
    if (!quantity) return std::move(quantity).error();
    item.quantity = quantity->value_or(1);
    SHIPPING_SET(item.size, ReadSize(o, path + ".size"));
    SHIPPING_SET(item.weight, ReadWeight(o, path + ".weight"));
    SHIPPING_SET(item.price, Money(o.if_contains("price"), path + ".price", exponent));
    SHIPPING_SET(item.sale_price, Money(o.if_contains("salePrice"), path + ".salePrice", exponent));
    items.push_back(std::move(item));
  }
  return Ok();
}

// [{"name": "DoorDash", "services": [{"id": "delivery"}]}]; "id" may name
// the provider instead of "name".
Status ReadProposedProviders(const json::array& list,
                             std::vector<domain::ProposedProvider>& proposed) {
  proposed.clear();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "proposedProviders[" + std::to_string(i) + "]";
    if (!list[i].is_object()) return Wrong(path, "an object");
    const json::object& o = list[i].as_object();
    domain::ProposedProvider provider;
    SHIPPING_SET(provider.name, Text(o, "name", path + ".name", "", domain::TextKind::kName));
    if (provider.name.empty())
      SHIPPING_SET(provider.name, Text(o, "id", path + ".id", "", domain::TextKind::kId));
    auto services = OptionalArray(o, "services", path + ".services");
    if (!services) return std::move(services).error();
    if (*services != nullptr) {
      for (const auto& service : **services) {
        if (!service.is_object()) return Wrong(path + ".services", "an array of objects");
        std::string id;
        SHIPPING_SET(
            id, Text(service.as_object(), "id", path + ".services.id", "", domain::TextKind::kId));
        if (!id.empty()) provider.service_ids.push_back(std::move(id));
      }
    }
    proposed.push_back(std::move(provider));
  }
  return Ok();
}

json::value Opt(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(); }
json::value Opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(); }
json::value OrNull(const std::string& s) { return s.empty() ? json::value() : json::value(s); }

json::object AddressJson(const domain::PlaceAddress& a) {
  return {{"street1", a.street1},
          {"street2", a.street2},
          {"apartmentNumber", a.apartment_number},
          {"city", a.city},
          {"state", a.state},
          {"postalCode", a.postal_code},
          {"countryCode", a.country_code},
          {"latitude", Opt(a.latitude)},
          {"longitude", Opt(a.longitude)}};
}
json::object ContactJson(const domain::ContactInfo& c) {
  return {{"name", c.name}, {"phone", c.phone}, {"email", c.email}};
}
json::object WindowJson(const domain::TimeWindow& w) {
  return {{"startsAt", Opt(w.starts_at)}, {"endsAt", Opt(w.ends_at)}};
}
json::value SizeJson(const std::optional<domain::ParcelSize>& s) {
  if (!s) return nullptr;
  return json::object{
      {"length", s->length}, {"width", s->width}, {"height", s->height}, {"unit", s->unit}};
}
json::value WeightJson(const std::optional<domain::ParcelWeight>& w) {
  if (!w) return nullptr;
  return json::object{{"value", w->value}, {"unit", w->unit}};
}
json::value MoneyJson(const std::optional<int64_t>& minor, int exponent) {
  return minor ? Decimal(*minor, exponent) : json::value();
}

}  // namespace

json::value Decimal(int64_t minor, int exponent) {
  return json::value(std::string(kDecimalMark) + domain::FormatDecimal(minor, exponent));
}

void AppendSerialized(std::string& out, const json::value& body) {
  std::string text = json::serialize(body);
  // Serialized, the mark is the escape \u0001 followed by "dec:".
  static const std::string kEscaped = "\"\\u0001dec:";
  size_t at = 0;
  for (size_t found = text.find(kEscaped); found != std::string::npos;
       found = text.find(kEscaped, at)) {
    out.append(text, at, found - at);
    size_t start = found + kEscaped.size();
    size_t end = text.find('"', start);
    out.append(text, start, end - start);
    at = end + 1;
  }
  out.append(text, at, std::string::npos);
}

Response BodyResponse(int status, const json::value& body) {
  Response response;
  response.status = status;
  AppendSerialized(response.body, body);
  return response;
}

Status ReadOrderFields(const json::object& body, domain::ShippingOrder& order) {
  // The external ids are held to the domain's own limit (ValidateShippingOrder),
  // so that an over-long one is refused here, with the limit it breaks.
  SHIPPING_SET(order.location_external_id,
               Text(body, "locationExternalId", "locationExternalId", order.location_external_id,
                    domain::TextKind::kExternalId));
  SHIPPING_SET(order.external_id, Text(body, "orderExternalId", "orderExternalId",
                                       order.external_id, domain::TextKind::kExternalId));
  SHIPPING_SET(order.group_id,
               Text(body, "groupId", "groupId", order.group_id, domain::TextKind::kExternalId));
  SHIPPING_SET(order.brand_external_id, Text(body, "brandExternalId", "brandExternalId",
                                             order.brand_external_id, domain::TextKind::kId));
  SHIPPING_SET(order.currency,
               Text(body, "currencyCode", "currencyCode", order.currency, domain::TextKind::kCode));
  if (order.currency.empty()) order.currency = "USD";
  int exponent = domain::CurrencyExponent(order.currency);
  if (body.contains("orderValue")) {
    SHIPPING_SET(order.order_value, Money(body.if_contains("orderValue"), "orderValue", exponent));
  }
  for (auto [key, contact] : {std::pair{"deliveryContact", &order.delivery_contact}}) {
    auto o = Object(body, key, key);
    if (!o) return std::move(o).error();
    if (*o != nullptr)
      SHIPLINE_RETURN_IF_ERROR(ReadContact(**o, key, *contact));
    else if (body.contains(key))
      *contact = {};
  }
  auto address = Object(body, "deliveryAddress", "deliveryAddress");
  if (!address) return std::move(address).error();
  if (*address != nullptr) {
    SHIPLINE_RETURN_IF_ERROR(ReadAddress(**address, "deliveryAddress", order.delivery_address));
  } else if (body.contains("deliveryAddress")) {
    order.delivery_address = {};
  }
  auto package = Object(body, "package", "package");
  if (!package) return std::move(package).error();
  if (*package != nullptr) SHIPLINE_RETURN_IF_ERROR(ReadPackage(**package, order.package));
  auto items = OptionalArray(body, "itemList", "itemList");
  if (!items) return std::move(items).error();
  if (*items != nullptr) SHIPLINE_RETURN_IF_ERROR(ReadItems(**items, exponent, order.items));
  SHIPLINE_RETURN_IF_ERROR(ReadWindow(body, "pickupTime", "pickupTime", order.pickup_time));
  SHIPLINE_RETURN_IF_ERROR(ReadWindow(body, "deliveryTime", "deliveryTime", order.delivery_time));
  SHIPPING_SET(order.signature,
               Text(body, "signature", "signature", order.signature, domain::TextKind::kId));
  SHIPPING_SET(order.pickup_instructions,
               Text(body, "pickupInstructions", "pickupInstructions", order.pickup_instructions,
                    domain::TextKind::kLongText));
  SHIPPING_SET(order.delivery_instructions,
               Text(body, "deliveryInstructions", "deliveryInstructions",
                    order.delivery_instructions, domain::TextKind::kLongText));
  SHIPPING_SET(order.locale, Text(body, "locale", "locale", order.locale, domain::TextKind::kCode));
  auto attributes = Object(body, "orderAttributes", "orderAttributes");
  if (!attributes) return std::move(attributes).error();
  if (*attributes != nullptr) {
    order.attributes.clear();
    for (const auto& [key, value] : **attributes) {
      order.attributes.emplace_back(std::string(key), json::serialize(value));
    }
  } else if (body.contains("orderAttributes")) {
    order.attributes.clear();
  }
  if (body.contains("createdDate")) {
    SHIPPING_SET(order.created_date, Millis(body, "createdDate", "createdDate"));
  }
  auto proposed = OptionalArray(body, "proposedProviders", "proposedProviders");
  if (!proposed) return std::move(proposed).error();
  if (*proposed != nullptr) {
    SHIPLINE_RETURN_IF_ERROR(ReadProposedProviders(**proposed, order.requested_providers));
  } else if (body.contains("proposedProviders")) {
    order.requested_providers.clear();
  }
  if (body.contains("returnLocationId")) {
    std::string id;
    SHIPPING_SET(id, Text(body, "returnLocationId", "returnLocationId", "", domain::TextKind::kId));
    if (id.empty()) {
      order.return_location.reset();
    } else if (!order.return_location || order.return_location->external_id != id) {
      order.return_location = domain::ReturnLocation{id, "", {}, {}};
    }
  }
  return Ok();
}

json::object OrderToJson(const domain::ShippingOrder& o) {
  int exponent = domain::CurrencyExponent(o.currency);
  json::array content;
  for (const auto& c : o.package.content) content.push_back(json::value(c));
  json::array items;
  for (const auto& i : o.items) {
    items.push_back(json::object{{"sku", i.sku},
                                 {"title", i.title},
                                 {"quantity", i.quantity},
                                 {"size", SizeJson(i.size)},
                                 {"weight", WeightJson(i.weight)},
                                 {"price", MoneyJson(i.price, exponent)},
                                 {"salePrice", MoneyJson(i.sale_price, exponent)}});
  }
  json::object attributes;
  for (const auto& [key, text] : o.attributes) {
    boost::system::error_code ec;
    json::value value = json::parse(text, ec);
    attributes[key] = ec ? json::value(text) : std::move(value);
  }
  // Every estimate considered, grouped by provider.
  json::array proposed;
  for (const auto& e : o.proposed) {
    json::object service{{"id", e.service_id},
                         {"serviceType", e.service_type},
                         {"fee", Decimal(e.fee, domain::CurrencyExponent(e.currency))},
                         {"currencyCode", e.currency},
                         {"estimatedPickupTime", json::object{{"startsAt", e.pickup_at}}},
                         {"estimatedDeliveryTime", json::object{{"endsAt", e.delivery_at}}}};
    json::object* group = nullptr;
    for (auto& entry : proposed) {
      if (entry.as_object()["id"] == json::value(e.provider_id)) group = &entry.as_object();
    }
    if (group == nullptr) {
      proposed.push_back(json::object{{"name", e.provider_name},
                                      {"id", e.provider_id},
                                      {"displayName", e.display_name},
                                      {"services", json::array()}});
      group = &proposed.back().as_object();
    }
    (*group)["services"].as_array().push_back(std::move(service));
  }
  json::value provider = nullptr;
  if (o.Booked()) {
    provider = json::object{{"name", o.chosen.provider_name},
                            {"id", o.chosen.provider_id},
                            {"displayName", o.chosen.display_name},
                            {"serviceId", o.chosen.service_id},
                            {"serviceType", o.chosen.service_type}};
  }
  json::value return_location = nullptr;
  if (o.return_location) {
    return_location = json::object{{"address", AddressJson(o.return_location->address)},
                                   {"contact", ContactJson(o.return_location->contact)},
                                   {"name", o.return_location->name}};
  }
  json::object pickup_address = AddressJson(o.pickup_address);
  json::object out{
      {"id", o.public_id},
      {"tenantId", o.tenant_name},
      {"brandExternalId", o.brand_external_id.empty() ? o.tenant_name : o.brand_external_id},
      {"locationExternalId", o.location_external_id},
      {"orderExternalId", o.external_id},
      {"groupId", OrNull(o.group_id)},
      {"orderValue", MoneyJson(o.order_value, exponent)},
      {"currencyCode", o.currency},
      {"deliveryContact", ContactJson(o.delivery_contact)},
      {"deliveryAddress", AddressJson(o.delivery_address)},
      {"pickupContact", ContactJson(o.pickup_contact)},
      {"pickupAddress", std::move(pickup_address)},
      {"package",
       {{"name", o.package.name},
        {"size", SizeJson(o.package.size)},
        {"weight", WeightJson(o.package.weight)},
        {"itemQuantity", o.package.item_quantity},
        {"description", o.package.description},
        {"temperatureControl", o.package.temperature_control},
        {"barcode", OrNull(o.package.barcode)},
        {"content", std::move(content)}}},
      {"itemList", std::move(items)},
      {"pickupTime", WindowJson(o.pickup_time)},
      {"deliveryTime", WindowJson(o.delivery_time)},
      {"signature", OrNull(o.signature)},
      {"pickupInstructions", OrNull(o.pickup_instructions)},
      {"deliveryInstructions", OrNull(o.delivery_instructions)},
      {"locale", OrNull(o.locale)},
      {"orderAttributes", std::move(attributes)},
      {"status", domain::ShippingOrderStatusName(o.status)},
      {"subStatus", OrNull(o.sub_status)},
      {"referenceLinks", {{"trackingUrl", OrNull(o.tracking_url)}, {"qrcodeLink", nullptr}}},
      {"provider", std::move(provider)},
      {"trackingId", OrNull(o.tracking_id)},
      {"estimatedPickupTime", WindowJson(o.estimated_pickup)},
      {"estimatedDeliveryTime", WindowJson(o.estimated_delivery)},
      {"fee", MoneyJson(o.fee, exponent)},
      {"amount", MoneyJson(o.fee, exponent)},
      {"label", OrNull(o.label_url)},
      {"attachments", nullptr},
      {"vehicle", nullptr},
      {"returnRequest", nullptr},
      {"actualPickupTime", Opt(o.actual_pickup_at)},
      {"actualDeliveryTime", Opt(o.actual_delivery_at)},
      {"proposedProviders", std::move(proposed)},
      {"undeliverableOrderReturnLocation", std::move(return_location)},
      {"createdDate", Opt(o.created_date)},
      {"returnLocationId",
       o.return_location ? json::value(o.return_location->external_id) : json::value()},
      {"createdAt", app::FormatIsoTime(o.created_at)},
      {"lastUpdatedAt", app::FormatIsoTime(o.last_updated_at)}};
  return out;
}

namespace {

// "April 27th 2022, 2:45:45 am CDT": the contract's form of a history time.
std::string HistoryTime(int64_t millis, const std::string& time_zone) {
  auto zoned = app::InTimeZone(millis, time_zone);
  // A zone removed from the tz database since it was set: UTC.
  if (!zoned) zoned = app::InTimeZone(millis, "");
  if (!zoned) return app::FormatIsoTime(millis);
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  const int day = zoned->day;
  const char* suffix = "th";
  if (day % 100 < 11 || day % 100 > 13) {
    if (day % 10 == 1) suffix = "st";
    if (day % 10 == 2) suffix = "nd";
    if (day % 10 == 3) suffix = "rd";
  }
  const int hour12 = zoned->hour % 12 == 0 ? 12 : zoned->hour % 12;
  auto two_digits = [](int value) {
    return std::string{static_cast<char>('0' + value / 10 % 10),
                       static_cast<char>('0' + value % 10)};
  };
  const std::string clock =
      std::to_string(hour12) + ":" + two_digits(zoned->minute) + ":" + two_digits(zoned->second);
  return std::string(kMonths[zoned->month - 1]) + " " + std::to_string(day) + suffix + " " +
         std::to_string(zoned->year) + ", " + clock + (zoned->hour < 12 ? " am " : " pm ") +
         zoned->abbreviation;
}

}  // namespace

json::array HistoryToJson(const domain::ShippingOrder& o, const std::string& time_zone) {
  json::array changes;
  for (const auto& c : o.history) {
    json::object entry{{"status", domain::ShippingOrderStatusName(c.status)},
                       {"updatedAt", HistoryTime(c.at, time_zone)},
                       {"note", OrNull(c.note)},
                       {"statusUser", c.by}};
    if (!c.reason_code.empty() || !c.reason_title.empty() || !c.reason_note.empty()) {
      entry["eventReason"] =
          json::object{{"code", c.reason_code}, {"title", c.reason_title}, {"note", c.reason_note}};
    }
    if (!c.sub_status.empty()) entry["subStatus"] = c.sub_status;
    changes.push_back(std::move(entry));
  }
  return json::array{json::object{{"orderId", o.public_id},
                                  {"tenantId", o.tenant_name},
                                  {"orderExternalId", o.external_id},
                                  {"orderStatus", std::move(changes)}}};
}

}  // namespace shipline::http::shipping_orders
