#include "store/shipping_order_document.hpp"

#include <boost/json.hpp>

namespace shipline::store {

namespace json = boost::json;

namespace {

json::value Opt(const std::optional<int64_t>& v) { return v ? json::value(*v) : json::value(); }
json::value Opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(); }

json::object AddressJson(const domain::PlaceAddress& a) {
  return {{"s1", a.street1},      {"s2", a.street2},        {"apt", a.apartment_number},
          {"city", a.city},       {"state", a.state},       {"zip", a.postal_code},
          {"cc", a.country_code}, {"lat", Opt(a.latitude)}, {"lon", Opt(a.longitude)}};
}
json::object ContactJson(const domain::ContactInfo& c) {
  return {{"name", c.name}, {"phone", c.phone}, {"email", c.email}};
}
json::object WindowJson(const domain::TimeWindow& w) {
  return {{"from", Opt(w.starts_at)}, {"to", Opt(w.ends_at)}};
}
json::value SizeJson(const std::optional<domain::ParcelSize>& s) {
  if (!s) return nullptr;
  return json::object{{"l", s->length}, {"w", s->width}, {"h", s->height}, {"unit", s->unit}};
}
json::value WeightJson(const std::optional<domain::ParcelWeight>& w) {
  if (!w) return nullptr;
  return json::object{{"v", w->value}, {"unit", w->unit}};
}
json::object EstimateJson(const domain::Estimate& e) {
  return {{"pid", e.provider_id},      {"pname", e.provider_name},
          {"display", e.display_name}, {"sid", e.service_id},
          {"stype", e.service_type},   {"fee", e.fee},
          {"cur", e.currency},         {"pickup", e.pickup_at},
          {"delivery", e.delivery_at}, {"temp", e.temperature_controlled},
          {"quote", e.quote_id}};
}

// Readers that tolerate missing fields (older documents).
const json::value* Field(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return (v == nullptr || v->is_null()) ? nullptr : v;
}
std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  return (v != nullptr && v->is_string()) ? std::string(v->as_string()) : std::string();
}
std::optional<int64_t> OptInt(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  if (v->is_double()) return static_cast<int64_t>(v->as_double());
  return std::nullopt;
}
int64_t Int(const json::object& o, std::string_view key) { return OptInt(o, key).value_or(0); }
std::optional<double> OptDouble(const json::object& o, std::string_view key) {
  const json::value* v = Field(o, key);
  if (v == nullptr || !v->is_number()) return std::nullopt;
  return v->to_number<double>();
}
const json::object& Obj(const json::object& o, std::string_view key) {
  static const json::object kEmpty;
  const json::value* v = Field(o, key);
  return (v != nullptr && v->is_object()) ? v->as_object() : kEmpty;
}
const json::array& Arr(const json::object& o, std::string_view key) {
  static const json::array kEmpty;
  const json::value* v = Field(o, key);
  return (v != nullptr && v->is_array()) ? v->as_array() : kEmpty;
}

domain::PlaceAddress ReadAddress(const json::object& o) {
  return {Str(o, "s1"),  Str(o, "s2"), Str(o, "apt"),       Str(o, "city"),     Str(o, "state"),
          Str(o, "zip"), Str(o, "cc"), OptDouble(o, "lat"), OptDouble(o, "lon")};
}
domain::ContactInfo ReadContact(const json::object& o) {
  return {Str(o, "name"), Str(o, "phone"), Str(o, "email")};
}
domain::TimeWindow ReadWindow(const json::object& o) {
  return {OptInt(o, "from"), OptInt(o, "to")};
}
std::optional<domain::ParcelSize> ReadSize(const json::object& parent, std::string_view key) {
  if (Field(parent, key) == nullptr) return std::nullopt;
  const json::object& o = Obj(parent, key);
  return domain::ParcelSize{OptDouble(o, "l").value_or(0), OptDouble(o, "w").value_or(0),
                            OptDouble(o, "h").value_or(0), Str(o, "unit")};
}
std::optional<domain::ParcelWeight> ReadWeight(const json::object& parent, std::string_view key) {
  if (Field(parent, key) == nullptr) return std::nullopt;
  const json::object& o = Obj(parent, key);
  return domain::ParcelWeight{OptDouble(o, "v").value_or(0), Str(o, "unit")};
}
domain::Estimate ReadEstimate(const json::object& o) {
  domain::Estimate e;
  e.provider_id = Str(o, "pid");
  e.provider_name = Str(o, "pname");
  e.display_name = Str(o, "display");
  e.service_id = Str(o, "sid");
  e.service_type = Str(o, "stype");
  e.fee = Int(o, "fee");
  e.currency = Str(o, "cur");
  e.pickup_at = Int(o, "pickup");
  e.delivery_at = Int(o, "delivery");
  const json::value* temp = Field(o, "temp");
  e.temperature_controlled = temp != nullptr && temp->is_bool() && temp->as_bool();
  e.quote_id = Str(o, "quote");
  return e;
}

}  // namespace

std::string ShippingOrderDocument(const domain::ShippingOrder& order) {
  json::object doc;
  doc["tenant"] = order.tenant_name;
  doc["brand"] = order.brand_external_id;
  doc["currency"] = order.currency;
  doc["value"] = Opt(order.order_value);
  doc["dcontact"] = ContactJson(order.delivery_contact);
  doc["daddress"] = AddressJson(order.delivery_address);
  doc["pcontact"] = ContactJson(order.pickup_contact);
  doc["paddress"] = AddressJson(order.pickup_address);
  doc["pname"] = order.pickup_name;
  const auto& p = order.package;
  json::array content;
  for (const auto& c : p.content) content.push_back(json::value(c));
  doc["package"] = json::object{
      {"name", p.name},         {"size", SizeJson(p.size)},     {"weight", WeightJson(p.weight)},
      {"qty", p.item_quantity}, {"desc", p.description},        {"temp", p.temperature_control},
      {"barcode", p.barcode},   {"content", std::move(content)}};
  json::array items;
  for (const auto& i : order.items) {
    items.push_back(json::object{{"sku", i.sku},
                                 {"title", i.title},
                                 {"qty", i.quantity},
                                 {"size", SizeJson(i.size)},
                                 {"weight", WeightJson(i.weight)},
                                 {"price", Opt(i.price)},
                                 {"sale", Opt(i.sale_price)}});
  }
  doc["items"] = std::move(items);
  doc["ptime"] = WindowJson(order.pickup_time);
  doc["dtime"] = WindowJson(order.delivery_time);
  doc["signature"] = order.signature;
  doc["pinstr"] = order.pickup_instructions;
  doc["dinstr"] = order.delivery_instructions;
  doc["locale"] = order.locale;
  json::array attributes;
  for (const auto& [key, value] : order.attributes)
    attributes.push_back(json::array{json::value(key), json::value(value)});
  doc["attrs"] = std::move(attributes);
  if (order.return_location) {
    const auto& r = *order.return_location;
    doc["return"] = json::object{{"id", r.external_id},
                                 {"name", r.name},
                                 {"address", AddressJson(r.address)},
                                 {"contact", ContactJson(r.contact)}};
  }
  doc["cdate"] = Opt(order.created_date);
  json::array requested;
  for (const auto& r : order.requested_providers) {
    json::array services;
    for (const auto& id : r.service_ids) services.push_back(json::value(id));
    requested.push_back(json::object{{"name", r.name}, {"services", std::move(services)}});
  }
  doc["requested"] = std::move(requested);
  doc["chosen"] = EstimateJson(order.chosen);
  doc["tracking"] = order.tracking_id;
  doc["turl"] = order.tracking_url;
  doc["label"] = order.label_url;
  doc["fee"] = Opt(order.fee);
  doc["epickup"] = WindowJson(order.estimated_pickup);
  doc["edelivery"] = WindowJson(order.estimated_delivery);
  doc["apickup"] = Opt(order.actual_pickup_at);
  doc["adelivery"] = Opt(order.actual_delivery_at);
  json::array proposed;
  for (const auto& e : order.proposed) proposed.push_back(EstimateJson(e));
  doc["proposed"] = std::move(proposed);
  doc["attempts"] = order.placement_attempts;
  doc["lease"] = order.placing_until;
  return json::serialize(doc);
}

Status ReadShippingOrderDocument(const std::string& text, domain::ShippingOrder& order) {
  // A list page reads up to a thousand documents: each parse takes its
  // memory from the stack (falling back to the heap for an unusually large
  // one) and drops it all at once, instead of a malloc per value.
  unsigned char buffer[16384];
  json::monotonic_resource memory(buffer, sizeof buffer);
  unsigned char scratch[4096];
  json::parser parser(json::storage_ptr(), json::parse_options(), scratch, sizeof scratch);
  parser.reset(&memory);
  boost::system::error_code ec;
  parser.write(text, ec);
  json::value parsed = ec ? json::value() : parser.release();
  if (ec || !parsed.is_object()) {
    return Error::Internal("damaged shipping order document for order " + std::to_string(order.id));
  }
  const json::object& doc = parsed.as_object();
  order.tenant_name = Str(doc, "tenant");
  order.brand_external_id = Str(doc, "brand");
  order.currency = Str(doc, "currency");
  order.order_value = OptInt(doc, "value");
  order.delivery_contact = ReadContact(Obj(doc, "dcontact"));
  order.delivery_address = ReadAddress(Obj(doc, "daddress"));
  order.pickup_contact = ReadContact(Obj(doc, "pcontact"));
  order.pickup_address = ReadAddress(Obj(doc, "paddress"));
  order.pickup_name = Str(doc, "pname");
  const json::object& p = Obj(doc, "package");
  order.package.name = Str(p, "name");
  order.package.size = ReadSize(p, "size");
  order.package.weight = ReadWeight(p, "weight");
  order.package.item_quantity = OptInt(p, "qty").value_or(1);
  order.package.description = Str(p, "desc");
  order.package.temperature_control = Str(p, "temp");
  order.package.barcode = Str(p, "barcode");
  order.package.content.clear();
  for (const auto& c : Arr(p, "content")) {
    if (c.is_string()) order.package.content.emplace_back(c.as_string());
  }
  order.items.clear();
  for (const auto& value : Arr(doc, "items")) {
    if (!value.is_object()) continue;
    const json::object& i = value.as_object();
    order.items.push_back({Str(i, "sku"), Str(i, "title"), OptInt(i, "qty").value_or(1),
                           ReadSize(i, "size"), ReadWeight(i, "weight"), OptInt(i, "price"),
                           OptInt(i, "sale")});
  }
  order.pickup_time = ReadWindow(Obj(doc, "ptime"));
  order.delivery_time = ReadWindow(Obj(doc, "dtime"));
  order.signature = Str(doc, "signature");
  order.pickup_instructions = Str(doc, "pinstr");
  order.delivery_instructions = Str(doc, "dinstr");
  order.locale = Str(doc, "locale");
  order.attributes.clear();
  for (const auto& pair : Arr(doc, "attrs")) {
    if (!pair.is_array() || pair.as_array().size() != 2) continue;
    const auto& kv = pair.as_array();
    if (kv[0].is_string() && kv[1].is_string()) {
      order.attributes.emplace_back(std::string(kv[0].as_string()), std::string(kv[1].as_string()));
    }
  }
  order.return_location.reset();
  if (Field(doc, "return") != nullptr) {
    const json::object& r = Obj(doc, "return");
    order.return_location =
        domain::ReturnLocation{Str(r, "id"), Str(r, "name"), ReadAddress(Obj(r, "address")),
                               ReadContact(Obj(r, "contact"))};
  }
  order.created_date = OptInt(doc, "cdate");
  order.requested_providers.clear();
  for (const auto& r : Arr(doc, "requested")) {
    if (!r.is_object()) continue;
    domain::ProposedProvider proposed{Str(r.as_object(), "name"), {}};
    for (const auto& id : Arr(r.as_object(), "services")) {
      if (id.is_string()) proposed.service_ids.emplace_back(id.as_string());
    }
    order.requested_providers.push_back(std::move(proposed));
  }
  order.chosen = ReadEstimate(Obj(doc, "chosen"));
  order.tracking_id = Str(doc, "tracking");
  order.tracking_url = Str(doc, "turl");
  order.label_url = Str(doc, "label");
  order.fee = OptInt(doc, "fee");
  order.estimated_pickup = ReadWindow(Obj(doc, "epickup"));
  order.estimated_delivery = ReadWindow(Obj(doc, "edelivery"));
  order.actual_pickup_at = OptInt(doc, "apickup");
  order.actual_delivery_at = OptInt(doc, "adelivery");
  order.proposed.clear();
  for (const auto& e : Arr(doc, "proposed")) {
    if (e.is_object()) order.proposed.push_back(ReadEstimate(e.as_object()));
  }
  order.placement_attempts = Int(doc, "attempts");
  order.placing_until = Int(doc, "lease");
  return Ok();
}

}  // namespace shipline::store
