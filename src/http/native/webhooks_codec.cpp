#include "http/native/webhooks_codec.hpp"

#include <charconv>

#include "app/clock.hpp"
#include "http/iso_time.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"

namespace shipline::http::native {

namespace wh = app::webhooks;

namespace {

json::value TimeOrNull(const std::optional<int64_t>& millis) {
  if (!millis) return nullptr;
  return json::value(app::FormatIsoTime(*millis));
}

// A positive integer id from a path segment; nullopt otherwise (answered 404).
std::optional<int64_t> PathId(const std::string& text) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

Result<int64_t> QueryNumber(const Request& request, std::string_view name, int64_t fallback) {
  auto text = request.Query(name);
  if (!text) return fallback;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0) {
    return Error::Invalid(std::string(name) + " must be a non-negative integer", std::string(name));
  }
  return value;
}

json::object SubscriptionJson(const wh::Subscription& s) {
  json::array types;
  for (const auto& type : s.event_types) types.push_back(json::value(type));
  if (types.empty()) types.push_back("*");
  json::value basic = nullptr;
  if (!s.basic_username.empty()) basic = json::object{{"username", s.basic_username}};
  return {{"id", s.id},
          {"url", s.url},
          {"store", StringOrNull(s.store)},
          {"eventTypes", std::move(types)},
          {"format", wh::PayloadFormatName(s.format)},
          {"auth", {{"basic", std::move(basic)}}},
          {"signing", s.signing},
          {"delaySeconds", s.delay_ms / 1000},
          {"enabled", s.enabled},
          {"disabledReason", StringOrNull(s.disabled_reason)},
          {"disabledAt", TimeOrNull(s.disabled_at)},
          {"failingSince", TimeOrNull(s.failing_since)},
          {"description", s.description},
          {"createdAt", app::FormatIsoTime(s.created_at)},
          {"updatedAt", app::FormatIsoTime(s.updated_at)}};
}

json::object DeliveryJson(const wh::Delivery& d, bool with_body) {
  json::array attempts;
  for (const auto& a : d.attempt_log) {
    attempts.push_back(
        {{"at", app::FormatIsoTime(a.attempted_at)},
         {"statusCode", a.status_code == 0 ? json::value(nullptr) : json::value(a.status_code)},
         {"latencyMs", a.latency_ms},
         {"response", a.response_excerpt},
         {"error", StringOrNull(a.error)}});
  }
  json::object out{
      {"id", d.id},
      {"subscriptionId", d.subscription_id},
      {"eventId", d.event_id ? json::value(*d.event_id) : json::value(nullptr)},
      {"eventType", d.event_type},
      {"webhookId", d.message_id},
      {"status", wh::DeliveryStatusName(d.status)},
      {"attemptCount", d.attempts},
      {"nextAttemptAt", TimeOrNull(d.next_attempt_at)},
      {"lastStatusCode", d.last_status == 0 ? json::value(nullptr) : json::value(d.last_status)},
      {"lastError", StringOrNull(d.last_error)},
      {"createdAt", app::FormatIsoTime(d.created_at)},
      {"updatedAt", app::FormatIsoTime(d.updated_at)},
      {"completedAt", TimeOrNull(d.completed_at)},
      {"attempts", std::move(attempts)}};
  if (with_body) out["body"] = StringOrNull(d.body);
  return out;
}

json::object DeliveryPage(const std::vector<wh::Delivery>& deliveries, int limit) {
  json::array list;
  for (const auto& d : deliveries) list.push_back(DeliveryJson(d, false));
  json::value next = nullptr;
  if (!deliveries.empty() && static_cast<int>(deliveries.size()) >= limit) {
    next = deliveries.back().id;
  }
  return {{"deliveries", std::move(list)}, {"next", std::move(next)}};
}

// Reads the writable fields of a subscription body. On create `url` is
// required by the use case; every field is optional here.
Result<wh::SubscriptionInput> InputFromJson(const json::object& body) {
  wh::SubscriptionInput input;
  auto url = OptionalString(body, "url", "url", domain::TextKind::kUrl);
  if (!url) return std::move(url).error();
  input.url = *url;
  auto store = OptionalString(body, "store", "store", domain::TextKind::kId);
  if (!store) return std::move(store).error();
  if (body.contains("store")) input.store = store->value_or("");
  if (const json::value* given = body.if_contains("eventTypes"); given && !given->is_null()) {
    auto types = OptionalStrings(body, "eventTypes", "eventTypes", domain::TextKind::kCode);
    if (!types) return std::move(types).error();
    input.event_types = std::move(*types);
  }
  auto format = OptionalString(body, "format", "format", domain::TextKind::kCode);
  if (!format) return std::move(format).error();
  if (*format) {
    input.format = wh::ParsePayloadFormat(**format);
    if (!input.format) return Error::Invalid("format must be native or 3pl", "format");
  }
  auto auth = OptionalObject(body, "auth", "auth");
  if (!auth) return std::move(auth).error();
  if (*auth != nullptr && (*auth)->contains("basic")) {
    auto basic = OptionalObject(**auth, "basic", "auth.basic");
    if (!basic) return std::move(basic).error();
    if (*basic == nullptr) {
      input.basic_username = "";  // null removes basic auth
    } else {
      auto username =
          OptionalString(**basic, "username", "auth.basic.username", domain::TextKind::kName);
      if (!username) return std::move(username).error();
      auto password =
          OptionalString(**basic, "password", "auth.basic.password", domain::TextKind::kSecret);
      if (!password) return std::move(password).error();
      input.basic_username = username->value_or("");
      input.basic_password = password->value_or("");
      if (input.basic_username->empty()) {
        return Error::Invalid("auth.basic.username is required", "auth.basic.username");
      }
    }
  }
  auto signing = OptionalBool(body, "signing", "signing");
  if (!signing) return std::move(signing).error();
  input.signing = *signing;
  auto secret = OptionalString(body, "secret", "secret", domain::TextKind::kSecret);
  if (!secret) return std::move(secret).error();
  input.secret = *secret;
  auto delay = OptionalInt(body, "delaySeconds", "delaySeconds");
  if (!delay) return std::move(delay).error();
  if (*delay) {
    if (**delay < 0 || **delay > 86'400) {
      return Error::Invalid("delaySeconds must be between 0 and 86400", "delaySeconds");
    }
    input.delay_ms = **delay * 1000;
  }
  auto enabled = OptionalBool(body, "enabled", "enabled");
  if (!enabled) return std::move(enabled).error();
  input.enabled = *enabled;
  auto description = OptionalString(body, "description", "description", domain::TextKind::kNote);
  if (!description) return std::move(description).error();
  input.description = *description;
  return input;
}

json::object WithSecret(const wh::SubscriptionWithSecret& created) {
  json::object out = SubscriptionJson(created.subscription);
  if (!created.secret.empty()) out["secret"] = created.secret;
  return out;
}

Response NotFound(const Request& request, std::string what) {
  return ErrorResponse(request, Error::NotFound(std::move(what)));
}

struct Handlers {
  wh::WebhookSubscriptions& subscriptions;
  wh::WebhookDeliveries& deliveries;

  Response Create(Request& request) {
    auto body = ParseObject(request.body);
    if (!body) return ErrorResponse(request, body.error());
    auto input = InputFromJson(*body);
    if (!input) return ErrorResponse(request, input.error());
    auto created = subscriptions.Create(request.actor, *input);
    if (!created) return ErrorResponse(request, created.error());
    return JsonResponse(201, WithSecret(*created));
  }

  Response List(Request& request) {
    auto list = subscriptions.List(request.actor);
    if (!list) return ErrorResponse(request, list.error());
    json::array out;
    for (const auto& s : *list) out.push_back(SubscriptionJson(s));
    return JsonResponse(200, json::object{{"webhooks", std::move(out)}});
  }

  Response Get(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    auto found = subscriptions.Get(request.actor, *id);
    if (!found) return ErrorResponse(request, found.error());
    return JsonResponse(200, SubscriptionJson(*found));
  }

  Response Update(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    auto body = ParseObject(request.body);
    if (!body) return ErrorResponse(request, body.error());
    auto input = InputFromJson(*body);
    if (!input) return ErrorResponse(request, input.error());
    auto updated = subscriptions.Update(request.actor, *id, *input);
    if (!updated) return ErrorResponse(request, updated.error());
    return JsonResponse(200, WithSecret(*updated));
  }

  Response Delete(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    Status removed = subscriptions.Delete(request.actor, *id);
    if (!removed) return ErrorResponse(request, removed.error());
    Response response;
    response.status = 204;
    return response;
  }

  Response Rotate(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    json::object body;
    if (!request.body.empty()) {
      auto parsed = ParseObject(request.body);
      if (!parsed) return ErrorResponse(request, parsed.error());
      body = std::move(*parsed);
    }
    auto grace = OptionalInt(body, "graceSeconds", "graceSeconds");
    if (!grace) return ErrorResponse(request, grace.error());
    auto secret = OptionalString(body, "secret", "secret", domain::TextKind::kSecret);
    if (!secret) return ErrorResponse(request, secret.error());
    std::optional<int64_t> grace_ms;
    if (*grace) {
      if (**grace < 0 || **grace > 604'800) {
        return ErrorResponse(
            request, Error::Invalid("graceSeconds must be between 0 and 604800", "graceSeconds"));
      }
      grace_ms = **grace * 1000;
    }
    auto rotated = subscriptions.RotateSecret(request.actor, *id, grace_ms, *secret);
    if (!rotated) return ErrorResponse(request, rotated.error());
    return JsonResponse(200, json::object{{"secret", rotated->secret},
                                          {"previousSecretsExpireAt",
                                           app::FormatIsoTime(rotated->previous_expires_at)}});
  }

  Response Test(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    auto sent = deliveries.SendTest(request.actor, *id);
    if (!sent) return ErrorResponse(request, sent.error());
    return JsonResponse(202, DeliveryJson(*sent, true));
  }

  Response ListForSubscription(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    std::optional<wh::DeliveryStatus> status;
    if (auto text = request.Query("status")) {
      status = wh::ParseDeliveryStatus(*text);
      if (!status) {
        return ErrorResponse(
            request, Error::Invalid("status must be pending, delivered or failed", "status"));
      }
    }
    auto before = QueryNumber(request, "before", 0);
    if (!before) return ErrorResponse(request, before.error());
    auto limit = QueryNumber(request, "limit", 50);
    if (!limit) return ErrorResponse(request, limit.error());
    int page = static_cast<int>(std::clamp<int64_t>(*limit, 1, wh::WebhookDeliveries::kMaxPage));
    auto list = deliveries.ForSubscription(request.actor, *id, status, *before, page);
    if (!list) return ErrorResponse(request, list.error());
    return JsonResponse(200, DeliveryPage(*list, page));
  }

  Response ListForEvent(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Event not found: " + request.path_params[0]);
    auto before = QueryNumber(request, "before", 0);
    if (!before) return ErrorResponse(request, before.error());
    auto limit = QueryNumber(request, "limit", 50);
    if (!limit) return ErrorResponse(request, limit.error());
    int page = static_cast<int>(std::clamp<int64_t>(*limit, 1, wh::WebhookDeliveries::kMaxPage));
    auto list = deliveries.ForEvent(request.actor, *id, *before, page);
    if (!list) return ErrorResponse(request, list.error());
    return JsonResponse(200, DeliveryPage(*list, page));
  }

  Response ReplayFailed(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook subscription not found: " + request.path_params[0]);
    auto body = ParseObject(request.body);
    if (!body) return ErrorResponse(request, body.error());
    int64_t since = 0;
    const json::value* value = body->if_contains("since");
    if (value != nullptr && value->is_string()) {
      auto parsed = ParseIsoTime(value->as_string());
      if (!parsed) {
        return ErrorResponse(request, Error::Invalid("since must be an ISO 8601 time", "since"));
      }
      since = *parsed;
    } else if (value != nullptr && value->is_int64() && value->as_int64() >= 0) {
      since = value->as_int64();
    } else {
      return ErrorResponse(request, Error::Invalid("since is required: an ISO 8601 time or epoch "
                                                   "milliseconds",
                                                   "since"));
    }
    auto count = deliveries.ReplayFailedSince(request.actor, *id, since);
    if (!count) return ErrorResponse(request, count.error());
    return JsonResponse(202, json::object{{"replayed", *count}});
  }

  Response GetDelivery(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook delivery not found: " + request.path_params[0]);
    auto found = deliveries.Get(request.actor, *id);
    if (!found) return ErrorResponse(request, found.error());
    return JsonResponse(200, DeliveryJson(*found, true));
  }

  Response ReplayOne(Request& request) {
    auto id = PathId(request.path_params[0]);
    if (!id) return NotFound(request, "Webhook delivery not found: " + request.path_params[0]);
    auto replayed = deliveries.Replay(request.actor, *id);
    if (!replayed) return ErrorResponse(request, replayed.error());
    return JsonResponse(202, DeliveryJson(*replayed, false));
  }
};

}  // namespace

void AddWebhookRoutes(Router& router, wh::WebhookSubscriptions& subscriptions,
                      wh::WebhookDeliveries& deliveries) {
  auto handlers = std::make_shared<Handlers>(Handlers{subscriptions, deliveries});
  auto bind = [handlers](Response (Handlers::*fn)(Request&)) {
    return [handlers, fn](Request& request) { return ((*handlers).*fn)(request); };
  };
  const std::string base = "/api/v1/webhooks";
  router.Add(Admin({"POST", base, true, bind(&Handlers::Create), NativeError}));
  router.Add({"GET", base, true, bind(&Handlers::List), NativeError});
  router.Add({"GET", base + "/{webhookId}", true, bind(&Handlers::Get), NativeError});
  router.Add(Admin({"PATCH", base + "/{webhookId}", true, bind(&Handlers::Update), NativeError}));
  router.Add(Admin({"DELETE", base + "/{webhookId}", true, bind(&Handlers::Delete), NativeError}));
  router.Add(Admin(
      {"POST", base + "/{webhookId}/rotate-secret", true, bind(&Handlers::Rotate), NativeError}));
  router.Add(Admin({"POST", base + "/{webhookId}/test", true, bind(&Handlers::Test), NativeError}));
  router.Add({"GET", base + "/{webhookId}/deliveries", true, bind(&Handlers::ListForSubscription),
              NativeError});
  router.Add(Admin(
      {"POST", base + "/{webhookId}/replay", true, bind(&Handlers::ReplayFailed), NativeError}));
  router.Add({"GET", "/api/v1/webhook-deliveries/{deliveryId}", true, bind(&Handlers::GetDelivery),
              NativeError});
  router.Add(Admin({"POST", "/api/v1/webhook-deliveries/{deliveryId}/replay", true,
                    bind(&Handlers::ReplayOne), NativeError}));
  router.Add({"GET", "/api/v1/events/{eventId}/deliveries", true, bind(&Handlers::ListForEvent),
              NativeError});
}

}  // namespace shipline::http::native
