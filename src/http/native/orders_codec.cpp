#include "http/native/orders_codec.hpp"

#include <charconv>

#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"
#include "http/native/order_json.hpp"

namespace shipline::http::native {

namespace {

// Reads a non-negative integer query parameter, or `fallback` when absent.
Result<int64_t> QueryInt(const Request& request, std::string_view name, int64_t fallback) {
  auto text = request.Query(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
    return Error::Invalid(std::string(name) + " must be a non-negative integer", std::string(name));
  }
  return value;
}

Response CreateOrder(app::Orders& orders, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  auto order = OrderFromJson(*body);
  if (!order) return ErrorResponse(request, order.error());
  auto created = orders.Create(request.actor, std::move(*order));
  if (!created) return ErrorResponse(request, created.error());
  return JsonResponse(201, OrderToJson(*created));
}

Response GetOrder(app::Orders& orders, Request& request) {
  auto order = orders.Get(request.actor, request.path_params[0]);
  if (!order) return ErrorResponse(request, order.error());
  return JsonResponse(200, OrderToJson(*order));
}

Response GetShipment(app::Orders& orders, Request& request) {
  auto shipment = orders.GetShipment(request.actor, request.path_params[0]);
  if (!shipment) return ErrorResponse(request, shipment.error());
  return JsonResponse(200, ShipmentToJson(*shipment));
}

Response Release(app::Orders& orders, Request& request) {
  auto shipment = orders.Release(request.actor, request.path_params[0]);
  if (!shipment) return ErrorResponse(request, shipment.error());
  return JsonResponse(200, ShipmentToJson(*shipment));
}

Response Cancel(app::Orders& orders, Request& request) {
  auto shipment = orders.Cancel(request.actor, request.path_params[0], request.path_params[1]);
  if (!shipment) return ErrorResponse(request, shipment.error());
  return JsonResponse(200, ShipmentToJson(*shipment));
}

// The event consumers' lag on the caller's tenant's events.
Response ListConsumers(app::Orders& orders, Request& request) {
  auto lags = orders.Lags(request.actor);
  if (!lags) return ErrorResponse(request, lags.error());
  auto optional = [](const std::optional<int64_t>& value) {
    return value ? json::value(*value) : json::value(nullptr);
  };
  json::array list;
  for (const auto& lag : lags->consumers) {
    list.push_back(json::object{
        {"consumer", lag.consumer},
        {"kind", lag.handled_to ? "events" : "deliveries"},
        {"position", optional(lag.handled_to)},
        {"lag", lag.lag},
        {"lagCapped", lag.lag >= app::Orders::kMaxLagCount},
        {"oldestUnhandledAt", lag.oldest_unhandled_at
                                  ? json::value(app::FormatIsoTime(*lag.oldest_unhandled_at))
                                  : json::value(nullptr)}});
  }
  return JsonResponse(
      200, json::object{{"newestEventId", lags->newest_event_id}, {"consumers", std::move(list)}});
}

// An order's events, each with the email recorded for it or null.
Response ListOrderEvents(app::Orders& orders, Request& request) {
  auto events = orders.OrderEvents(request.actor, request.path_params[0]);
  if (!events) return ErrorResponse(request, events.error());
  json::array list;
  for (const auto& [event, email] : *events) {
    json::object entry = EventToJson(event);
    if (email) {
      entry["email"] = json::object{
          {"recipient", email->recipient},
          {"subject", email->subject},
          {"transport", email->transport},
          {"at", app::FormatIsoTime(email->sent_at)},
          {"failure", email->failure.empty() ? json::value(nullptr) : json::value(email->failure)}};
    } else {
      entry["email"] = nullptr;
    }
    list.push_back(std::move(entry));
  }
  return JsonResponse(200, json::object{{"events", std::move(list)}});
}

Response ListEvents(app::Orders& orders, Request& request) {
  auto after = QueryInt(request, "after", 0);
  if (!after) return ErrorResponse(request, after.error());
  auto limit = QueryInt(request, "limit", 100);
  if (!limit) return ErrorResponse(request, limit.error());
  if (*limit > app::Orders::kMaxEventPage) *limit = app::Orders::kMaxEventPage;
  auto events = orders.Events(request.actor, *after, static_cast<int>(*limit));
  if (!events) return ErrorResponse(request, events.error());
  json::array list;
  for (const auto& event : *events) list.push_back(EventToJson(event));
  json::value next = events->empty() ? json::value(nullptr) : json::value(events->back().id);
  return JsonResponse(200, json::object{{"events", std::move(list)}, {"next", std::move(next)}});
}

}  // namespace

void AddOrderRoutes(Router& router, app::Orders& orders) {
  auto bind = [&orders](Response (*fn)(app::Orders&, Request&)) {
    return [&orders, fn](Request& request) { return fn(orders, request); };
  };
  router.Add({"POST", "/api/v1/orders", true, bind(CreateOrder), NativeError});
  router.Add({"GET", "/api/v1/orders/{orderNumber}", true, bind(GetOrder), NativeError});
  router.Add({"GET", "/api/v1/shipments/{shipmentNumber}", true, bind(GetShipment), NativeError});
  router.Add(
      {"POST", "/api/v1/shipments/{shipmentNumber}/release", true, bind(Release), NativeError});
  router.Add({"POST", "/api/v1/orders/{orderNumber}/shipments/{shipmentNumber}/cancel", true,
              bind(Cancel), NativeError});
  router.Add({"GET", "/api/v1/consumers", true, bind(ListConsumers), NativeError});
  router.Add({"GET", "/api/v1/events", true, bind(ListEvents), NativeError});
  router.Add(
      {"GET", "/api/v1/orders/{orderNumber}/events", true, bind(ListOrderEvents), NativeError});
}

}  // namespace shipline::http::native
