#include "http/marketplace/shipments_codec.hpp"

#include <charconv>
#include <tuple>

#include "http/iso_time.hpp"
#include "http/marketplace/jsonapi.hpp"
#include "http/marketplace/marketplace_errors.hpp"
#include "http/marketplace/resources.hpp"

namespace shipline::http::marketplace {

namespace {

constexpr int64_t kDefaultPageSize = 50;
constexpr int64_t kMaxPageSize = 500;
constexpr const char* kAttributes = "/data/attributes";

// The app layer's field names as pointers into the request document.
std::string PointerFor(const std::string& field) {
  static const std::pair<std::string_view, std::string_view> kNames[] = {
      {"carrier", "shipment_carrier"},
      {"trackingNumber", "shipment_tracking_number"},
      {"carrierTrackingNumber", "shipment_tracking_number"},
      {"trackingUrl", "shipment_tracking_link"},
      {"note", "note"},
      {"dispatchedAt", "dispatched_at"},
  };
  for (const auto& [name, attribute] : kNames) {
    if (field == name) return std::string(kAttributes) + "/" + std::string(attribute);
  }
  // "items[3].quantity" -> "/data/attributes/shipped_items/3/quantity"
  if (field.starts_with("items[")) {
    size_t close = field.find(']');
    if (close != std::string::npos) {
      std::string pointer =
          std::string(kAttributes) + "/shipped_items/" + field.substr(6, close - 6);
      std::string member = close + 2 <= field.size() ? field.substr(close + 2) : "";
      if (member == "lineItemId") member = "line_item_id";
      if (!member.empty()) pointer += "/" + member;
      return pointer;
    }
  }
  if (field == "items") return std::string(kAttributes) + "/shipped_items";
  return {};
}

Response AppError(const Request& request, const Error& error) {
  return ErrorFor(request, error, PointerFor(error.field));
}

// A positive id from the path, or nullopt.
std::optional<int64_t> PathId(const std::string& text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

Result<domain::Order> LoadInvoice(app::Orders& orders, const Request& request) {
  auto id = PathId(request.path_params[0]);
  if (!id) return Error::NotFound("Invoice not found: " + request.path_params[0]);
  auto order = orders.GetById(request.actor, *id);
  if (!order && order.error().code == ErrorCode::kNotFound) {
    return Error::NotFound("Invoice not found: " + request.path_params[0]);
  }
  return order;
}

const domain::Shipment* FindShipment(const domain::Order& order, const std::string& id_text) {
  auto id = PathId(id_text);
  if (!id) return nullptr;
  for (const auto& shipment : order.shipments) {
    if (shipment.id == *id && Listed(shipment)) return &shipment;
  }
  return nullptr;
}

Result<int64_t> PageParameter(const Request& request, std::string_view name, int64_t fallback,
                              int64_t max) {
  auto text = request.Query(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 1 || value > max) {
    return Error::Invalid(
        std::string(name) + " must be an integer from 1 to " + std::to_string(max),
        std::string(name));
  }
  return value;
}

// The brackets are percent-encoded so that the link is a valid URL as is.
std::string PageLink(const std::string& base, int64_t number, int64_t size) {
  return base + "?page%5Bnumber%5D=" + std::to_string(number) +
         "&page%5Bsize%5D=" + std::to_string(size);
}

Response ListShipments(app::Orders& orders, Request& request) {
  auto number = PageParameter(request, "page[number]", 1, 1'000'000);
  if (!number) return ErrorDocument(400, number.error().message);
  auto size = PageParameter(request, "page[size]", kDefaultPageSize, kMaxPageSize);
  if (!size) return ErrorDocument(400, size.error().message);
  auto order = LoadInvoice(orders, request);
  if (!order) return AppError(request, order.error());

  std::vector<const domain::Shipment*> listed;
  for (const auto& shipment : order->shipments) {
    if (Listed(shipment)) listed.push_back(&shipment);
  }
  const int64_t total = static_cast<int64_t>(listed.size());
  const int64_t last = std::max<int64_t>(1, (total + *size - 1) / *size);
  json::array data;
  for (int64_t i = (*number - 1) * *size; i < std::min(total, *number * *size); ++i) {
    data.push_back(ShipmentResource(*order, *listed[static_cast<size_t>(i)], false));
  }
  const std::string base =
      BaseUrl(request) + "/api/v2/client/invoices/" + std::to_string(order->id) + "/shipments";
  json::object links{{"self", PageLink(base, *number, *size)},
                     {"first", PageLink(base, 1, *size)},
                     {"last", PageLink(base, last, *size)}};
  if (*number < last) links["next"] = PageLink(base, *number + 1, *size);
  if (*number > 1) links["prev"] = PageLink(base, std::min(*number - 1, last), *size);
  return Document(200, json::object{{"data", std::move(data)},
                                    {"links", std::move(links)},
                                    {"meta", {{"total_count", total}, {"page_count", last}}}});
}

Response ShowShipment(app::Orders& orders, Request& request) {
  auto order = LoadInvoice(orders, request);
  if (!order) return AppError(request, order.error());
  const domain::Shipment* shipment = FindShipment(*order, request.path_params[1]);
  if (shipment == nullptr) {
    return ErrorDocument(404, "Shipment not found: " + request.path_params[1]);
  }
  return Document(200, ShipmentDocument(*order, *shipment, BaseUrl(request)));
}

// The shipment at its canonical address (the links' self): the same
// resource as under its invoice, for the key's tenant only.
Response ShowShipmentById(app::Orders& orders, Request& request) {
  auto id = PathId(request.path_params[0]);
  if (!id) return ErrorDocument(404, "Shipment not found: " + request.path_params[0]);
  auto order = orders.GetByShipmentId(request.actor, *id);
  if (!order) {
    if (order.error().code == ErrorCode::kNotFound) {
      return ErrorDocument(404, "Shipment not found: " + request.path_params[0]);
    }
    return AppError(request, order.error());
  }
  const domain::Shipment* shipment = FindShipment(*order, request.path_params[0]);
  if (shipment == nullptr) {
    return ErrorDocument(404, "Shipment not found: " + request.path_params[0]);
  }
  return Document(200, ShipmentDocument(*order, *shipment, BaseUrl(request)));
}

Response ShowInvoice(app::Orders& orders, Request& request) {
  auto order = LoadInvoice(orders, request);
  if (!order) return AppError(request, order.error());
  json::array included;
  for (const auto& line : order->line_items) included.push_back(LineItemResource(*order, line));
  return Document(200, json::object{{"links",
                                     {{"self", BaseUrl(request) + "/api/v2/client/invoices/" +
                                                   std::to_string(order->id)}}},
                                    {"data", InvoiceResource(*order)},
                                    {"included", std::move(included)}});
}

// The request document's data.attributes, checking data.type (and data.id
// against `id` when given). Sets `error` to the response when malformed.
const json::object* Attributes(const json::object& body, std::optional<int64_t> id,
                               std::optional<Response>& error) {
  const json::value* data = body.if_contains("data");
  if (data == nullptr || !data->is_object()) {
    error = ErrorDocument(400, "the document must have a data object", "/data");
    return nullptr;
  }
  const json::object& resource = data->as_object();
  if (const json::value* type = resource.if_contains("type")) {
    if (!type->is_string() || type->as_string() != "shipments") {
      error = ErrorDocument(409, "data.type must be \"shipments\"", "/data/type");
      return nullptr;
    }
  }
  if (const json::value* given = resource.if_contains("id"); given != nullptr && id) {
    bool same = (given->is_int64() && given->as_int64() == *id) ||
                (given->is_string() && given->as_string() == std::to_string(*id));
    if (!same) {
      error = ErrorDocument(409, "data.id does not match the shipment addressed", "/data/id");
      return nullptr;
    }
  }
  const json::value* attributes = resource.if_contains("attributes");
  if (attributes == nullptr || !attributes->is_object()) {
    error = ErrorDocument(400, "data.attributes must be an object", kAttributes);
    return nullptr;
  }
  return &attributes->as_object();
}

// A body that is not a usable JSON object: 400, pointing at the member the
// error names ("data.attributes.note" is /data/attributes/note).
Response BodyRefusal(const Error& error) {
  std::string pointer;
  for (char c : error.field) {
    if (c == '.' || c == '[') {
      pointer += '/';
    } else if (c != ']') {
      pointer += c;
    }
  }
  if (!pointer.empty()) pointer.insert(pointer.begin(), '/');
  return ErrorDocument(400, error.message, pointer);
}

// Reads an optional string attribute; a wrong type sets `error`.
std::optional<std::string> TextAttribute(const json::object& attributes, std::string_view key,
                                         domain::TextKind kind, std::optional<Response>& error) {
  auto value = OptionalString(attributes, key, key, kind);
  if (!value) {
    error = ErrorDocument(400, value.error().message,
                          std::string(kAttributes) + "/" + std::string(key));
    return std::nullopt;
  }
  return *value;
}

// dispatched_at as the client wrote it (its offset, or a bare date).
std::optional<ClientTime> TimeAttribute(const json::object& attributes,
                                        std::optional<Response>& error) {
  auto text = TextAttribute(attributes, "dispatched_at", domain::TextKind::kCode, error);
  if (!text || error) return std::nullopt;
  auto time = ParseClientTime(*text);
  if (!time) {
    error = ErrorDocument(422, "dispatched_at must be an ISO 8601 date or time",
                          std::string(kAttributes) + "/dispatched_at");
  }
  return time;
}

// Sets `command`'s dispatched_at and the form it was written in.
template <typename Command>
void SetDispatchedAt(Command& command, const std::optional<ClientTime>& time) {
  if (!time) return;
  command.dispatched_at = time->millis;
  command.dispatched_offset_minutes = time->offset_minutes;
  command.dispatched_date_only = time->date_only;
}

// The shipped_items attribute; sets `error` when it is missing or malformed.
std::vector<domain::ShipmentItem> ShippedItems(const json::object& attributes,
                                               std::optional<Response>& error) {
  const std::string base = std::string(kAttributes) + "/shipped_items";
  const json::value* raw = attributes.if_contains("shipped_items");
  if (raw == nullptr || raw->is_null()) {
    error = ErrorDocument(422, "shipped_items is required", base);
    return {};
  }
  if (!raw->is_array()) {
    error = ErrorDocument(400, "shipped_items must be an array", base);
    return {};
  }
  if (raw->as_array().empty()) {
    error = ErrorDocument(422, "shipped_items must name at least one line item", base);
    return {};
  }
  std::vector<domain::ShipmentItem> items;
  for (size_t k = 0; k < raw->as_array().size(); ++k) {
    const std::string at = base + "/" + std::to_string(k);
    const json::value& entry = raw->as_array()[k];
    if (!entry.is_object()) {
      error = ErrorDocument(400, "each shipped item must be an object", at);
      return {};
    }
    auto line = OptionalInt(entry.as_object(), "line_item_id", "line_item_id");
    auto quantity = OptionalInt(entry.as_object(), "quantity", "quantity");
    if (!line || !quantity) {
      error = ErrorDocument(400, !line ? line.error().message : quantity.error().message,
                            at + (!line ? "/line_item_id" : "/quantity"));
      return {};
    }
    if (!*line || **line <= 0) {
      error = ErrorDocument(422, "line_item_id is required", at + "/line_item_id");
      return {};
    }
    if (!*quantity || **quantity < 1) {
      error = ErrorDocument(422, "quantity must be at least 1", at + "/quantity");
      return {};
    }
    domain::ShipmentItem item;
    item.line_item_id = **line;
    item.quantity = **quantity;
    items.push_back(item);
  }
  return items;
}

json::object WithWarnings(json::object document, const std::vector<std::string>& warnings) {
  if (warnings.empty()) return document;
  json::array list;
  for (const auto& warning : warnings) list.push_back(json::value(warning));
  document["meta"] = json::object{{"warnings", std::move(list)}};
  return document;
}

Response CreateShipmentHandler(app::CreateShipment& create, Request& request) {
  auto invoice = PathId(request.path_params[0]);
  if (!invoice) return ErrorDocument(404, "Invoice not found: " + request.path_params[0]);
  auto body = ParseObject(request.body);
  if (!body) return BodyRefusal(body.error());
  std::optional<Response> error;
  const json::object* attributes = Attributes(*body, std::nullopt, error);
  if (error) return *error;

  app::CreateShipmentCommand command;
  command.order_id = *invoice;
  command.ship = true;
  const std::tuple<const char*, std::string*, domain::TextKind> texts[] = {
      {"shipment_tracking_number", &command.tracking_number, domain::TextKind::kId},
      {"shipment_carrier", &command.carrier, domain::TextKind::kId},
      {"shipment_tracking_link", &command.tracking_url, domain::TextKind::kUrl},
      {"note", &command.note, domain::TextKind::kNote},
  };
  for (const auto& [key, target, kind] : texts) {
    auto value = TextAttribute(*attributes, key, kind, error);
    if (error) return *error;
    *target = value.value_or("");
  }
  SetDispatchedAt(command, TimeAttribute(*attributes, error));
  if (error) return *error;
  command.items = ShippedItems(*attributes, error);
  if (error) return *error;

  auto created = create.Run(request.actor, std::move(command));
  if (!created) {
    if (created.error().code == ErrorCode::kNotFound) {
      return ErrorDocument(404, "Invoice not found: " + request.path_params[0]);
    }
    return AppError(request, created.error());
  }
  Response response = Document(
      201, WithWarnings(ShipmentDocument(created->order, created->shipment, BaseUrl(request)),
                        created->warnings));
  response.headers.emplace_back("Location", BaseUrl(request) + ShipmentPath(created->shipment));
  return response;
}

Response UpdateShipmentHandler(app::Orders& orders, app::UpdateTracking& update, Request& request) {
  auto order = LoadInvoice(orders, request);
  if (!order) return AppError(request, order.error());
  const domain::Shipment* shipment = FindShipment(*order, request.path_params[1]);
  if (shipment == nullptr) {
    return ErrorDocument(404, "Shipment not found: " + request.path_params[1]);
  }
  auto body = ParseObject(request.body);
  if (!body) return BodyRefusal(body.error());
  std::optional<Response> error;
  const json::object* attributes = Attributes(*body, shipment->id, error);
  if (error) return *error;

  app::UpdateTrackingCommand command;
  command.order_id = order->id;
  command.shipment_id = shipment->id;
  const std::tuple<const char*, std::optional<std::string>*, domain::TextKind> texts[] = {
      {"shipment_tracking_number", &command.tracking_number, domain::TextKind::kId},
      {"shipment_carrier", &command.carrier, domain::TextKind::kId},
      {"shipment_tracking_link", &command.tracking_url, domain::TextKind::kUrl},
      {"note", &command.note, domain::TextKind::kNote},
  };
  for (const auto& [key, target, kind] : texts) {
    if (!attributes->contains(key)) continue;
    auto value = TextAttribute(*attributes, key, kind, error);
    if (error) return *error;
    *target = value.value_or("");
  }
  SetDispatchedAt(command, TimeAttribute(*attributes, error));
  if (error) return *error;

  auto updated = update.Run(request.actor, command);
  if (!updated) return AppError(request, updated.error());
  return Document(
      200, WithWarnings(ShipmentDocument(updated->order, updated->shipment, BaseUrl(request)),
                        updated->warnings));
}

}  // namespace

void AddRoutes(Router& router, app::Orders& orders, app::CreateShipment& create,
               app::UpdateTracking& update) {
  const std::string invoice = "/api/v2/client/invoices/{invoice_id}";
  const std::string shipments = invoice + "/shipments";
  const std::string shipment = shipments + "/{shipment_id}";
  router.Add({"GET", invoice, true,
              [&orders](Request& request) { return ShowInvoice(orders, request); }, RouterError});
  router.Add({"GET", shipments, true,
              [&orders](Request& request) { return ListShipments(orders, request); }, RouterError});
  router.Add({"POST", shipments, true,
              [&create](Request& request) { return CreateShipmentHandler(create, request); },
              RouterError});
  router.Add({"GET", shipment, true,
              [&orders](Request& request) { return ShowShipment(orders, request); }, RouterError});
  router.Add({"GET", "/api/v2/client/shipments/{shipment_id}", true,
              [&orders](Request& request) { return ShowShipmentById(orders, request); },
              RouterError});
  router.Add({"PUT", shipment, true,
              [&orders, &update](Request& request) {
                return UpdateShipmentHandler(orders, update, request);
              },
              RouterError});
}

}  // namespace shipline::http::marketplace
