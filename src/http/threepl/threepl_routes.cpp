#include "http/threepl/threepl_routes.hpp"

#include <charconv>

#include "app/clock.hpp"
#include "app/webhooks/signing_secret.hpp"
#include "http/idempotency.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"
#include "http/threepl/shipment_notification_json.hpp"
#include "http/threepl/threepl_errors.hpp"

namespace shipline::http::threepl {

namespace tp = app::threepl;

namespace {

constexpr const char* kRealm = "Basic realm=\"shipline 3PL\"";

std::optional<int64_t> PathId(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

// The username and password of an "Authorization: Basic ..." header.
std::optional<std::pair<std::string, std::string>> BasicCredentials(const Request& request) {
  auto header = request.Header("authorization");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  constexpr std::string_view kPrefix = "Basic ";
  if (value.size() <= kPrefix.size()) return std::nullopt;
  for (size_t i = 0; i < kPrefix.size() - 1; ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != "basic"[i]) return std::nullopt;
  }
  if (value[kPrefix.size() - 1] != ' ') return std::nullopt;
  auto decoded = app::webhooks::Base64Decode(value.substr(kPrefix.size()));
  if (!decoded) return std::nullopt;
  size_t colon = decoded->find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded->substr(0, colon), decoded->substr(colon + 1));
}

Response Unauthorized() {
  Response response = JsonResponse(
      401,
      json::object{{"error", "missing or invalid 3PL credentials"}, {"code", "UNAUTHENTICATED"}});
  response.headers.emplace_back("WWW-Authenticate", kRealm);
  return response;
}

std::string_view OutcomeName(tp::NotificationOutcome outcome) {
  switch (outcome) {
    case tp::NotificationOutcome::kApplied:
      return "applied";
    case tp::NotificationOutcome::kAlreadyApplied:
      return "already_applied";
    case tp::NotificationOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

Response ResultResponse(const Request& request, const tp::NotificationResult& result,
                        bool parse_error) {
  if (result.rejection) {
    const Error& error = *result.rejection;
    int status = RejectionStatus(error, parse_error);
    if (status >= 500 && status != 503) return native::ErrorResponse(request, error);
    json::object body{
        {"error", status == 503 ? "the shipment could not be completed now; retry" : error.message},
        {"code", ErrorCodeName(error.code)},
        {"notificationId", result.notification_id}};
    if (!error.field.empty()) body["field"] = error.field;
    return JsonResponse(status, body);
  }
  json::object body{{"status", OutcomeName(result.outcome)},
                    {"orderNumber", result.order_number},
                    {"shipmentNumber", StringOrNull(result.shipment_number)},
                    {"packagesAdded", result.packages_added},
                    {"restShipmentNumber", StringOrNull(result.rest_shipment_number)}};
  if (result.notification_id != 0) body["notificationId"] = result.notification_id;
  return JsonResponse(200, body);
}

json::object ConnectionJson(const tp::Connection& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"username", c.username},
          {"createdAt", app::FormatIsoTime(c.created_at)},
          {"revokedAt",
           c.revoked_at ? json::value(app::FormatIsoTime(*c.revoked_at)) : json::value(nullptr)}};
}

json::object NotificationJson(const tp::InboundNotification& n, bool with_body) {
  json::object out{
      {"id", n.id},
      {"connectionId", n.connection_id},
      {"orderNumber", StringOrNull(n.order_number)},
      {"shipmentNumber", StringOrNull(n.shipment_number)},
      {"status", n.status == tp::NotificationStatus::kApplied ? "applied" : "rejected"},
      {"code", StringOrNull(n.error_code)},
      {"reason", StringOrNull(n.reason)},
      {"timesReceived", n.times_received},
      {"receivedAt", app::FormatIsoTime(n.received_at)},
      {"updatedAt", app::FormatIsoTime(n.updated_at)}};
  if (with_body) out["body"] = n.body;
  return out;
}

struct Handlers {
  tp::ThreePlConnections& connections;
  tp::ShipmentNotifications& notifications;
  app::IdempotencyKeys* idempotency;

  Response Receive(Request& request) {
    auto credentials = BasicCredentials(request);
    if (!credentials) return Unauthorized();
    auto connection = connections.Authenticate(credentials->first, credentials->second);
    if (!connection) {
      if (connection.error().code == ErrorCode::kUnauthenticated) return Unauthorized();
      return native::ErrorResponse(request, connection.error());
    }
    return AnswerOnce(
        idempotency, request, connection->tenant_id, native::NativeError,
        [&](Request& authenticated) { return ReceiveFrom(*connection, authenticated); });
  }

  Response ReceiveFrom(const tp::Connection& connection, Request& request) {
    auto parsed = ParseShipmentNotification(request.body);
    bool parse_error = !parsed.ok();
    // A notification is kept, even rejected, for an operator to replay; one
    // with a text over its limit could never apply, and keeping it would
    // store what the limit refuses.
    if (!parsed && parsed.error().reason == ErrorReason::kTextTooLong) {
      return native::ErrorResponse(request, parsed.error());
    }
    auto result = notifications.Receive(connection, request.body, parsed, request.request_id,
                                        request.traceparent);
    if (!result) return native::ErrorResponse(request, result.error());
    return ResultResponse(request, *result, parse_error);
  }

  Response CreateConnection(Request& request) {
    auto body = ParseObject(request.body);
    if (!body) return native::ErrorResponse(request, body.error());
    auto name = RequiredString(*body, "name", "name", domain::TextKind::kName);
    if (!name) return native::ErrorResponse(request, name.error());
    auto created = connections.Create(request.actor, *name);
    if (!created) return native::ErrorResponse(request, created.error());
    json::object out = ConnectionJson(created->connection);
    out["password"] = created->password;
    out["endpoint"] = kNotificationPath;
    return JsonResponse(201, out);
  }

  Response ListConnections(Request& request) {
    auto list = connections.List(request.actor);
    if (!list) return native::ErrorResponse(request, list.error());
    json::array out;
    for (const auto& c : *list) out.push_back(ConnectionJson(c));
    return JsonResponse(200, json::object{{"connections", std::move(out)}});
  }

  Response RevokeConnection(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) {
      return native::ErrorResponse(
          request, Error::NotFound("3PL connection not found: " + request.path_params[0]));
    }
    Status revoked = connections.Revoke(request.actor, *id);
    if (!revoked) return native::ErrorResponse(request, revoked.error());
    Response response;
    response.status = 204;
    return response;
  }

  Response ListNotifications(Request& request) {
    std::optional<tp::NotificationStatus> status;
    if (auto text = request.Query("status")) {
      if (*text == "applied") {
        status = tp::NotificationStatus::kApplied;
      } else if (*text == "rejected") {
        status = tp::NotificationStatus::kRejected;
      } else {
        return native::ErrorResponse(
            request, Error::Invalid("status must be applied or rejected", "status"));
      }
    }
    int64_t before = 0;
    int64_t limit = 50;
    for (auto [name, target] : {std::pair{"before", &before}, std::pair{"limit", &limit}}) {
      auto text = request.Query(name);
      if (!text) continue;
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), *target);
      if (ec != std::errc() || end != text->data() + text->size() || *target < 0) {
        return native::ErrorResponse(
            request, Error::Invalid(std::string(name) + " must be a non-negative integer", name));
      }
    }
    int page = static_cast<int>(std::clamp<int64_t>(limit, 1, tp::ShipmentNotifications::kMaxPage));
    auto list = notifications.List(request.actor, status, before, page);
    if (!list) return native::ErrorResponse(request, list.error());
    json::array out;
    for (const auto& n : *list) out.push_back(NotificationJson(n, false));
    json::value next = nullptr;
    if (static_cast<int>(list->size()) >= page) next = list->back().id;
    return JsonResponse(200,
                        json::object{{"notifications", std::move(out)}, {"next", std::move(next)}});
  }

  Response GetNotification(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) {
      return native::ErrorResponse(
          request, Error::NotFound("3PL notification not found: " + request.path_params[0]));
    }
    auto found = notifications.Get(request.actor, *id);
    if (!found) return native::ErrorResponse(request, found.error());
    return JsonResponse(200, NotificationJson(*found, true));
  }

  Response Replay(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) {
      return native::ErrorResponse(
          request, Error::NotFound("3PL notification not found: " + request.path_params[0]));
    }
    bool parse_error = false;
    auto result = notifications.Replay(request.actor, *id, [&](std::string_view body) {
      auto parsed = ParseShipmentNotification(body);
      parse_error = !parsed.ok();
      return parsed;
    });
    if (!result) return native::ErrorResponse(request, result.error());
    return ResultResponse(request, *result, parse_error);
  }
};

}  // namespace

void AddThreePlRoutes(Router& router, tp::ThreePlConnections& connections,
                      tp::ShipmentNotifications& notifications, app::IdempotencyKeys* idempotency) {
  auto handlers = std::make_shared<Handlers>(Handlers{connections, notifications, idempotency});
  auto bind = [handlers](Response (Handlers::*fn)(Request&)) {
    return [handlers, fn](Request& request) { return ((*handlers).*fn)(request); };
  };
  const std::string base = "/api/v1/integrations/3pl";
  router.Add({"POST", kNotificationPath, false, bind(&Handlers::Receive), native::NativeError});
  router.Add(Admin({"POST", base + "/connections", true, bind(&Handlers::CreateConnection),
                    native::NativeError}));
  router.Add(
      {"GET", base + "/connections", true, bind(&Handlers::ListConnections), native::NativeError});
  router.Add(Admin({"DELETE", base + "/connections/{connectionId}", true,
                    bind(&Handlers::RevokeConnection), native::NativeError}));
  router.Add({"GET", base + "/notifications", true, bind(&Handlers::ListNotifications),
              native::NativeError});
  router.Add({"GET", base + "/notifications/{notificationId}", true,
              bind(&Handlers::GetNotification), native::NativeError});
  router.Add({"POST", base + "/notifications/{notificationId}/replay", true,
              bind(&Handlers::Replay), native::NativeError});
}

}  // namespace shipline::http::threepl
