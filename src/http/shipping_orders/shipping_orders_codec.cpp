#include "http/shipping_orders/shipping_orders_codec.hpp"

#include "domain/shipping_order_rules.hpp"
#include "http/json_io.hpp"
#include "http/shipping_orders/shipping_errors.hpp"
#include "http/shipping_orders/shipping_order_json.hpp"

namespace shipline::http::shipping_orders {

namespace {

Response Fail(const Request& request, Endpoint endpoint, const Error& error) {
  return FailureResponse(request, endpoint, error);
}

Response OrderResponse(int status, const app::PlacedOrder& placed) {
  json::object body = OrderToJson(placed.order);
  if (!placed.warnings.empty()) {
    json::array warnings;
    for (const auto& w : placed.warnings) warnings.push_back(json::object{{"message", w}});
    body["warnings"] = std::move(warnings);
  }
  return BodyResponse(status, body);
}

// The order id of the path, or the error for a malformed one.
std::optional<Error> BadId(const Request& request) {
  if (domain::IsValidExternalId(request.path_params[0])) return std::nullopt;
  return Error::Of(ErrorReason::kInvalidValue, "Invalid data: Invalid Order Id");
}

Response Create(app::ShippingOrders& orders, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return Fail(request, Endpoint::kCreate, body.error());
  domain::ShippingOrder order;
  if (auto read = ReadOrderFields(*body, order); !read) {
    return Fail(request, Endpoint::kCreate, read.error());
  }
  auto created = orders.Create(request.actor, std::move(order));
  if (!created) return Fail(request, Endpoint::kCreate, created.error());
  return OrderResponse(201, *created);
}

Result<std::vector<std::string>> Ids(const json::object& body, std::string_view key) {
  return OptionalStrings(body, key, key, domain::TextKind::kId);
}

Result<std::optional<domain::TimeWindow>> Window(const json::object& body, std::string_view key) {
  auto object = OptionalObject(body, key, key);
  if (!object) return std::move(object).error();
  if (*object == nullptr) return std::optional<domain::TimeWindow>();
  domain::TimeWindow window;
  auto starts = OptionalInt(**object, "startsAt", std::string(key) + ".startsAt");
  if (!starts) return std::move(starts).error();
  auto ends = OptionalInt(**object, "endsAt", std::string(key) + ".endsAt");
  if (!ends) return std::move(ends).error();
  window.starts_at = *starts;
  window.ends_at = *ends;
  return std::optional<domain::TimeWindow>(window);
}

Result<app::ListRequest> ReadListRequest(const std::string& text) {
  json::object body;
  if (text.find_first_not_of(" \t\r\n") != std::string::npos) {
    auto parsed = ParseObject(text);
    if (!parsed) return std::move(parsed).error();
    body = std::move(*parsed);
  }
  app::ListRequest request;
  auto external_ids = Ids(body, "orderExternalIds");
  if (!external_ids) return std::move(external_ids).error();
  request.external_ids = std::move(*external_ids);
  auto location_ids = Ids(body, "locationExternalIds");
  if (!location_ids) return std::move(location_ids).error();
  request.location_ids = std::move(*location_ids);
  auto statuses = Ids(body, "status");
  if (!statuses) return std::move(statuses).error();
  for (const auto& name : *statuses) {
    auto status = domain::ParseShippingOrderStatus(name);
    if (!status) return Error::Invalid("Invalid Data: unknown status " + name, "status");
    request.statuses.push_back(*status);
  }
  auto group = OptionalString(body, "groupId", "groupId", domain::TextKind::kExternalId);
  if (!group) return std::move(group).error();
  request.group_id = *group;
  auto limit = OptionalInt(body, "limit", "limit");
  if (!limit) return std::move(limit).error();
  request.limit = *limit;
  auto updated = Window(body, "lastUpdatedAt");
  if (!updated) return std::move(updated).error();
  request.last_updated = *updated;
  auto created = Window(body, "createdAt");
  if (!created) return std::move(created).error();
  request.created = *created;
  auto pickup = Window(body, "pickupTime");
  if (!pickup) return std::move(pickup).error();
  auto delivery = Window(body, "deliveryTime");
  if (!delivery) return std::move(delivery).error();
  if (*pickup) {
    if (!(*pickup)->starts_at) {
      return Error::Invalid("Invalid Data: pickupTime needs startsAt", "pickupTime.startsAt");
    }
    request.pickup_from = (*pickup)->starts_at;
  }
  if (*delivery) {
    if (!(*delivery)->ends_at) {
      return Error::Invalid("Invalid Data: deliveryTime needs endsAt", "deliveryTime.endsAt");
    }
    request.delivery_until = (*delivery)->ends_at;
  }
  auto token = OptionalString(body, "paginationToken", "paginationToken", domain::TextKind::kNote);
  if (!token) return std::move(token).error();
  request.token = token->value_or("");
  return request;
}

Response List(app::ShippingOrders& orders, Request& request) {
  auto list_request = ReadListRequest(request.body);
  if (!list_request) {
    return Fail(request, Endpoint::kList,
                std::move(list_request).error().Because(ErrorReason::kInvalidValue));
  }
  auto page = orders.List(request.actor, *list_request);
  if (!page) return Fail(request, Endpoint::kList, page.error());
  // A page holds up to 1000 orders: each is serialized as soon as it is
  // built, so no tree of the whole page is ever held or torn down.
  Response response;
  std::string& text = response.body;
  text.reserve(page->orders.size() * 2048 + 256);
  text += R"({"data":[)";
  for (const auto& order : page->orders) {
    if (&order != &page->orders.front()) text += ',';
    AppendSerialized(text, OrderToJson(order));
  }
  text += R"(],"paginationToken":)";
  AppendSerialized(
      text,
      json::object{{"next", page->next ? json::value(*page->next) : json::value()},
                   {"previous", page->previous ? json::value(*page->previous) : json::value()}});
  text += '}';
  return response;
}

Response Get(app::ShippingOrders& orders, Request& request) {
  if (auto bad = BadId(request)) return Fail(request, Endpoint::kGet, *bad);
  auto order = orders.Get(request.actor, request.path_params[0], false);
  if (!order) return Fail(request, Endpoint::kGet, order.error());
  return BodyResponse(200, OrderToJson(*order));
}

Response Edit(app::ShippingOrders& orders, Request& request) {
  if (auto bad = BadId(request)) return Fail(request, Endpoint::kEdit, *bad);
  auto body = ParseObject(request.body);
  if (!body) {
    return Fail(request, Endpoint::kEdit,
                std::move(body).error().Because(ErrorReason::kInvalidValue));
  }
  auto edited =
      orders.Edit(request.actor, request.path_params[0],
                  [&](domain::ShippingOrder& order) { return ReadOrderFields(*body, order); });
  if (!edited) return Fail(request, Endpoint::kEdit, edited.error());
  return OrderResponse(200, *edited);
}

Response Cancel(app::ShippingOrders& orders, Request& request) {
  if (auto bad = BadId(request)) return Fail(request, Endpoint::kCancel, *bad);
  auto cancelled = orders.Cancel(request.actor, request.path_params[0]);
  if (!cancelled) return Fail(request, Endpoint::kCancel, cancelled.error());
  return BodyResponse(200, OrderToJson(*cancelled));
}

Response History(app::ShippingOrders& orders, Request& request) {
  if (auto bad = BadId(request)) return Fail(request, Endpoint::kHistory, *bad);
  auto history = orders.History(request.actor, request.path_params[0]);
  if (!history) return Fail(request, Endpoint::kHistory, history.error());
  return BodyResponse(200, HistoryToJson(history->order, history->time_zone));
}

Response Retry(app::ShippingOrders& orders, Request& request) {
  if (auto bad = BadId(request)) return Fail(request, Endpoint::kRetry, *bad);
  auto retried = orders.Retry(request.actor, request.path_params[0]);
  if (!retried) return Fail(request, Endpoint::kRetry, retried.error());
  return OrderResponse(201, *retried);
}

}  // namespace

void AddRoutes(Router& router, app::ShippingOrders& orders) {
  auto bind = [&orders](Response (*fn)(app::ShippingOrders&, Request&)) {
    return [&orders, fn](Request& request) { return fn(orders, request); };
  };
  const std::string base = kPrefix;
  router.Add({"POST", base + "/shipments", true, bind(Create), RouterError});
  router.Add({"POST", base + "/shipments/list", true, bind(List), RouterError});
  router.Add({"GET", base + "/shipments/{orderExternalId}", true, bind(Get), RouterError});
  router.Add({"PUT", base + "/shipments/{orderExternalId}", true, bind(Edit), RouterError});
  router.Add({"DELETE", base + "/shipments/{orderExternalId}", true, bind(Cancel), RouterError});
  router.Add({"GET", base + "/shipments/{orderExternalId}/status-history", true, bind(History),
              RouterError});
  router.Add({"POST", base + "/shipments/{orderExternalId}/retry", true, bind(Retry), RouterError});
}

}  // namespace shipline::http::shipping_orders
