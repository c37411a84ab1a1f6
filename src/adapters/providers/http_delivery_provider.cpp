#include "adapters/providers/http_delivery_provider.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <memory>

#include "adapters/connect_guard.hpp"
#include "adapters/curl_global.hpp"
#include "adapters/curl_perform.hpp"
#include "app/log.hpp"
#include "app/trace_context.hpp"
#include "domain/money.hpp"
#include "domain/shipping_order_rules.hpp"
#include "domain/text_limits.hpp"

namespace shipline::adapters {

namespace json = boost::json;

namespace {

constexpr long kConnectTimeoutMs = 5'000;
constexpr size_t kMaxAnswerBytes = 1 << 20;

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t Collect(char* data, size_t size, size_t count, void* user_data) {
  auto* answer = static_cast<std::string*>(user_data);
  size_t n = size * count;
  if (answer->size() < kMaxAnswerBytes) {
    answer->append(data, std::min(n, kMaxAnswerBytes - answer->size()));
  }
  return n;
}

std::string EncodeSegment(std::string_view segment) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : segment) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string HeaderValue(std::string_view value) {
  std::string out;
  for (char ch : value) {
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) out.push_back(ch);
  }
  return out;
}

json::value OptMillis(const std::optional<int64_t>& v) {
  return v ? json::value(*v) : json::value();
}

json::object AddressJson(const domain::PlaceAddress& a) {
  json::object o{{"street1", a.street1},
                 {"street2", a.street2},
                 {"apartmentNumber", a.apartment_number},
                 {"city", a.city},
                 {"state", a.state},
                 {"postalCode", a.postal_code},
                 {"countryCode", a.country_code}};
  o["latitude"] = a.latitude ? json::value(*a.latitude) : json::value();
  o["longitude"] = a.longitude ? json::value(*a.longitude) : json::value();
  return o;
}

json::object OrderJson(const domain::ShippingOrder& order) {
  int exponent = domain::CurrencyExponent(order.currency);
  json::object package{{"itemQuantity", order.package.item_quantity},
                       {"temperatureControl", order.package.temperature_control},
                       {"description", order.package.description}};
  if (order.package.size) {
    if (auto mm = domain::SizeInMillimetres(*order.package.size)) {
      package["lengthMm"] = (*mm)[0];
      package["widthMm"] = (*mm)[1];
      package["heightMm"] = (*mm)[2];
    }
  }
  if (order.package.weight) {
    if (auto grams = domain::WeightInGrams(*order.package.weight)) package["weightGrams"] = *grams;
  }
  json::array content;
  for (const auto& c : order.package.content) content.push_back(json::value(c));
  package["content"] = std::move(content);
  auto contact = [](const domain::ContactInfo& c) {
    return json::object{{"name", c.name}, {"phone", c.phone}, {"email", c.email}};
  };
  auto window = [](const domain::TimeWindow& w) {
    return json::object{{"startsAt", OptMillis(w.starts_at)}, {"endsAt", OptMillis(w.ends_at)}};
  };
  return json::object{{"orderExternalId", order.external_id},
                      {"currency", order.currency},
                      {"orderValue", order.order_value ? json::value(domain::FormatDecimal(
                                                             *order.order_value, exponent))
                                                       : json::value()},
                      {"pickup",
                       {{"address", AddressJson(order.pickup_address)},
                        {"contact", contact(order.pickup_contact)},
                        {"time", window(order.pickup_time)},
                        {"instructions", order.pickup_instructions}}},
                      {"delivery",
                       {{"address", AddressJson(order.delivery_address)},
                        {"contact", contact(order.delivery_contact)},
                        {"time", window(order.delivery_time)},
                        {"instructions", order.delivery_instructions}}},
                      {"package", std::move(package)}};
}

std::optional<int64_t> MillisField(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->as_uint64());
  return std::nullopt;
}

std::optional<int64_t> FeeField(const json::object& o, std::string_view key, int exponent) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) {
    auto parsed = domain::ParseDecimal(std::string(v->as_string()), exponent);
    if (parsed) return *parsed;
    return std::nullopt;
  }
  if (v->is_number()) {
    double d = v->to_number<double>();
    if (d >= 0 && d < 1e12) return static_cast<int64_t>(std::llround(d * std::pow(10.0, exponent)));
  }
  return std::nullopt;
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v != nullptr && v->is_string()) return std::string(v->as_string());
  if (v != nullptr && (v->is_int64() || v->is_uint64())) return json::serialize(*v);
  return {};
}

Error Unmapped(const std::string& what, long status, const std::string& body) {
  return Error::Of(ErrorReason::kUnintelligibleAnswer,
                   "Request received unidentifiable error response.",
                   what + ": HTTP " + std::to_string(status) + ": " + body.substr(0, 200));
}

Error Refused(const std::string& what, long status, const std::string& body) {
  return Error::Of(ErrorReason::kPlacementFailed,
                   "Failed to place the requested order with the configured providers.",
                   what + ": HTTP " + std::to_string(status) + ": " + body.substr(0, 200));
}

// The JSON object of a 2xx answer, or the failure its status implies.
Result<json::object> Interpret(const std::string& what, long status, const std::string& body) {
  if (status >= 400 && status <= 599) return Refused(what, status, body);
  if (status < 200 || status > 299) return Unmapped(what, status, body);
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec || !value.is_object()) return Unmapped(what, status, body);
  return std::move(value.as_object());
}

}  // namespace

Result<HttpProviderConfig> ParseHttpProviderConfig(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return Error::Invalid("config must be a JSON object", "config");
  const json::object& o = parsed.as_object();
  HttpProviderConfig config;
  const json::value* url = o.if_contains("url");
  if (url == nullptr || !url->is_string() ||
      !(url->as_string().starts_with("http://") || url->as_string().starts_with("https://"))) {
    return Error::Invalid("config.url must be an http:// or https:// URL", "config.url");
  }
  config.url = std::string(url->as_string());
  while (!config.url.empty() && config.url.back() == '/') config.url.pop_back();
  if (const auto* token = o.if_contains("token"); token && !token->is_null()) {
    if (!token->is_string()) return Error::Invalid("config.token must be a string", "config.token");
    SHIPLINE_RETURN_IF_ERROR(
        domain::CheckTextLength(token->as_string(), domain::TextKind::kSecret, "config.token"));
    config.token = std::string(token->as_string());
  }
  if (const auto* timeout = o.if_contains("timeoutMs"); timeout && !timeout->is_null()) {
    if (!timeout->is_int64() || timeout->as_int64() < 100 || timeout->as_int64() > 120'000) {
      return Error::Invalid("config.timeoutMs must be 100 to 120000", "config.timeoutMs");
    }
    config.timeout = std::chrono::milliseconds(timeout->as_int64());
  }
  for (auto [key, target] : {std::pair{"cancelAllowed", &config.cancel_allowed},
                             std::pair{"needsCoordinates", &config.needs_coordinates}}) {
    if (const auto* flag = o.if_contains(key); flag && !flag->is_null()) {
      if (!flag->is_bool()) {
        return Error::Invalid("config." + std::string(key) + " must be true or false",
                              "config." + std::string(key));
      }
      *target = flag->as_bool();
    }
  }
  return config;
}

HttpDeliveryProvider::HttpDeliveryProvider(HttpProviderConfig config, bool allow_private)
    : config_(std::move(config)), allow_private_(allow_private) {
  EnsureCurlGlobalInit();
}

Result<HttpDeliveryProvider::Answer> HttpDeliveryProvider::Call(const char* method,
                                                                const std::string& path,
                                                                const std::string& body,
                                                                const app::ProviderCall& call) {
  std::string url = config_.url + path;
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return Error::Unavailable("provider call failed", "curl_easy_init failed");
  std::vector<std::string> lines = {"Content-Type: application/json", "Accept: application/json"};
  if (!config_.token.empty())
    lines.push_back("Authorization: Bearer " + HeaderValue(config_.token));
  if (!call.idempotency_key.empty()) {
    lines.push_back("Idempotency-Key: " + HeaderValue(call.idempotency_key));
  }
  if (!call.request_id.empty()) lines.push_back("X-Request-Id: " + HeaderValue(call.request_id));
  lines.push_back("traceparent: " + app::OutboundTraceparent(call.traceparent, ids_));
  curl_slist* raw = nullptr;
  for (const auto& line : lines) {
    curl_slist* next = curl_slist_append(raw, line.c_str());
    if (next == nullptr) {
      curl_slist_free_all(raw);
      return Error::Unavailable("provider call failed", "out of memory");
    }
    raw = next;
  }
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
  Answer answer;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
  if (std::string_view(method) != "DELETE") {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_USERAGENT, "shipline");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &Collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   std::min<long>(kConnectTimeoutMs, static_cast<long>(config_.timeout.count())));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  ConnectGuard guard{allow_private_, ""};
  GuardConnections(h, &guard);
  auto started = std::chrono::steady_clock::now();
  CURLcode code = PerformTransfer(h);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  std::string cause;
  if (code != CURLE_OK) {
    cause = !guard.refused.empty()    ? guard.refused
            : error_buffer[0] != '\0' ? error_buffer
                                      : curl_easy_strerror(code);
  }
  app::LogFields fields;
  fields.Add("request_id", call.request_id)
      .Add("method", method)
      .Add("url", app::UrlForLog(config_.url + path))
      .Add("status", static_cast<int64_t>(answer.status))
      .Add("latency_ms", static_cast<int64_t>(millis));
  if (!cause.empty()) fields.Add("error", cause);
  app::LogInfo("provider call", fields);
  if (code != CURLE_OK) return Error::Unavailable("provider call failed", "curl: " + cause);
  return answer;
}

Result<app::Quotes> HttpDeliveryProvider::Quote(const domain::ShippingOrder& order,
                                                const app::ProviderCall& call) {
  auto answer = Call("POST", "/quotes", json::serialize(OrderJson(order)), call);
  if (!answer) {
    return Error::Of(ErrorReason::kPlacementFailed,
                     "Failed to place the requested order with the configured providers.",
                     "quotes: " + answer.error().detail);
  }
  auto object = Interpret("quotes", answer->status, answer->body);
  if (!object) return std::move(object).error();
  const json::value* list = object->if_contains("estimates");
  if (list == nullptr || !list->is_array()) return Unmapped("quotes", answer->status, answer->body);
  int exponent = domain::CurrencyExponent(order.currency);
  app::Quotes quotes;
  for (const auto& item : list->as_array()) {
    if (!item.is_object()) return Unmapped("quotes", answer->status, answer->body);
    const json::object& e = item.as_object();
    domain::Estimate estimate;
    estimate.service_id = Str(e, "serviceId");
    estimate.service_type = Str(e, "serviceType");
    if (estimate.service_type.empty()) estimate.service_type = estimate.service_id;
    estimate.currency = Str(e, "currency");
    if (estimate.currency.empty()) estimate.currency = order.currency;
    auto fee = FeeField(e, "fee", exponent);
    auto pickup = MillisField(e, "pickupAt");
    auto delivery = MillisField(e, "deliveryAt");
    if (estimate.service_id.empty() || !fee || !pickup || !delivery) {
      return Unmapped("quotes", answer->status, answer->body);
    }
    if (estimate.currency != order.currency) continue;  // cannot compare
    estimate.fee = *fee;
    estimate.pickup_at = *pickup;
    estimate.delivery_at = *delivery;
    const json::value* temp = e.if_contains("temperatureControlled");
    estimate.temperature_controlled = temp != nullptr && temp->is_bool() && temp->as_bool();
    estimate.quote_id = Str(e, "quoteId");
    quotes.estimates.push_back(std::move(estimate));
  }
  if (quotes.estimates.empty()) {
    quotes.refusal = Str(*object, "reason");
    if (quotes.refusal.empty()) quotes.refusal = "no estimate";
  }
  return quotes;
}

Result<app::Booking> HttpDeliveryProvider::Book(const domain::ShippingOrder& order,
                                                const domain::Estimate& estimate,
                                                const app::ProviderCall& call) {
  json::object body = OrderJson(order);
  body["serviceId"] = estimate.service_id;
  body["quoteId"] = estimate.quote_id;
  auto answer = Call("POST", "/orders", json::serialize(body), call);
  if (!answer) {
    return Error::Of(ErrorReason::kPlacementFailed,
                     "Failed to place the requested order with the configured providers.",
                     "orders: " + answer.error().detail);
  }
  return ReadBooking("orders", *answer, order, "");
}

Result<app::Booking> HttpDeliveryProvider::Update(const domain::ShippingOrder& order,
                                                  const app::ProviderCall& call) {
  json::object body = OrderJson(order);
  body["serviceId"] = order.chosen.service_id;
  body["quoteId"] = order.chosen.quote_id;
  auto answer =
      Call("PUT", "/orders/" + EncodeSegment(order.provider_order_id), json::serialize(body), call);
  if (!answer) {
    return Error::Of(ErrorReason::kPlacementFailed,
                     "Failed to place the requested order with the configured providers.",
                     "update: " + answer.error().detail);
  }
  return ReadBooking("update", *answer, order, order.provider_order_id);
}

Result<app::Booking> HttpDeliveryProvider::ReadBooking(const std::string& what,
                                                       const Answer& answer,
                                                       const domain::ShippingOrder& order,
                                                       const std::string& known_id) {
  auto object = Interpret(what, answer.status, answer.body);
  if (!object) return std::move(object).error();
  app::Booking booking;
  booking.provider_order_id = Str(*object, "id");
  if (booking.provider_order_id.empty()) booking.provider_order_id = known_id;
  if (booking.provider_order_id.empty()) return Unmapped(what, answer.status, answer.body);
  booking.tracking_id = Str(*object, "trackingId");
  booking.tracking_url = Str(*object, "trackingUrl");
  booking.label_url = Str(*object, "labelUrl");
  booking.fee = FeeField(*object, "fee", domain::CurrencyExponent(order.currency));
  booking.pickup_at = MillisField(*object, "pickupAt");
  booking.delivery_at = MillisField(*object, "deliveryAt");
  return booking;
}

Status HttpDeliveryProvider::Cancel(const domain::ShippingOrder& order,
                                    const app::ProviderCall& call) {
  auto answer = Call("DELETE", "/orders/" + EncodeSegment(order.provider_order_id), "", call);
  if (!answer) {
    return Error::Of(ErrorReason::kCancellationFailed, "Provider failed to cancel order",
                     "cancel: " + answer.error().detail);
  }
  long status = answer->status;
  if (status >= 200 && status <= 299) return {};
  std::string detail =
      "cancel: HTTP " + std::to_string(status) + ": " + answer->body.substr(0, 200);
  if (status == 403 || status == 409 || status == 422) {
    return Error::Of(ErrorReason::kCancellationNotAllowed,
                     "Provider does not allow cancellation of orders.", detail);
  }
  if (status >= 400 && status <= 599) {
    return Error::Of(ErrorReason::kCancellationFailed, "Provider failed to cancel order", detail);
  }
  return Error::Of(ErrorReason::kUnintelligibleAnswer,
                   "Request received unidentifiable error response.", detail);
}

}  // namespace shipline::adapters
