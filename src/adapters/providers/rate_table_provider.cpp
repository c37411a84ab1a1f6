#include "adapters/providers/rate_table_provider.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <functional>

#include "domain/money.hpp"
#include "domain/shipping_order_rules.hpp"
#include "domain/text_limits.hpp"

namespace shipline::adapters {

namespace json = boost::json;

namespace {

Error Bad(const std::string& field, const std::string& what) {
  return Error::Invalid("config." + field + " " + what, "config." + field);
}

// A money amount given as a decimal string ("2.50") or a number (2.5).
Result<int64_t> Money(const json::object& o, std::string_view key, const std::string& path,
                      int exponent) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return int64_t{0};
  if (v->is_string()) {
    auto parsed = domain::ParseDecimal(std::string(v->as_string()), exponent);
    if (!parsed) return Bad(path, "must be a non-negative decimal amount");
    return *parsed;
  }
  if (v->is_number()) {
    double d = v->to_number<double>();
    if (!(d >= 0) || d > 1e12) return Bad(path, "must be a non-negative amount");
    return static_cast<int64_t>(std::llround(d * std::pow(10.0, exponent)));
  }
  return Bad(path, "must be an amount");
}

Result<double> Number(const json::object& o, std::string_view key, const std::string& path,
                      double fallback) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_number()) return Bad(path, "must be a number");
  double d = v->to_number<double>();
  if (!(d >= 0) || d > 1e9) return Bad(path, "must be a non-negative number");
  return d;
}

Result<std::vector<std::string>> Strings(const json::object& o, std::string_view key,
                                         const std::string& path) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) return Bad(path, "must be an array of strings");
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return Bad(path, "must be an array of strings");
    out.emplace_back(item.as_string());
  }
  return out;
}

std::string Hex(uint64_t value, size_t digits) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out(digits, '0');
  for (size_t i = digits; i-- > 0; value >>= 4) out[i] = kHex[value & 15];
  return out;
}

}  // namespace

Result<domain::RateTable> ParseRateTable(std::string_view config) {
  boost::system::error_code ec;
  json::value parsed = json::parse(config, ec);
  if (ec || !parsed.is_object()) return Error::Invalid("config must be a JSON object", "config");
  const json::object& o = parsed.as_object();
  domain::RateTable table;
  if (const auto* currency = o.if_contains("currency"); currency && currency->is_string()) {
    table.currency = std::string(currency->as_string());
  }
  if (!domain::IsCurrencyCode(table.currency)) return Bad("currency", "must be an ISO 4217 code");
  int exponent = domain::CurrencyExponent(table.currency);

  const json::value* services = o.if_contains("services");
  if (services == nullptr || !services->is_array() || services->as_array().empty()) {
    return Bad("services", "must be a non-empty array");
  }
  for (size_t i = 0; i < services->as_array().size(); ++i) {
    std::string path = "services[" + std::to_string(i) + "]";
    const json::value& value = services->as_array()[i];
    if (!value.is_object()) return Bad(path, "must be an object");
    const json::object& s = value.as_object();
    domain::RateService service;
    const json::value* id = s.if_contains("id");
    if (id == nullptr || !id->is_string() || id->as_string().empty()) {
      return Bad(path + ".id", "is required");
    }
    SHIPLINE_RETURN_IF_ERROR(
        domain::CheckTextLength(id->as_string(), domain::TextKind::kId, "config." + path + ".id"));
    service.id = std::string(id->as_string());
    service.service_type = service.id;
    if (const auto* type = s.if_contains("serviceType"); type && type->is_string()) {
      SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(type->as_string(), domain::TextKind::kId,
                                                       "config." + path + ".serviceType"));
      service.service_type = std::string(type->as_string());
    }
    auto base = Money(s, "baseFee", path + ".baseFee", exponent);
    if (!base) return std::move(base).error();
    auto per_km = Money(s, "perKm", path + ".perKm", exponent);
    if (!per_km) return std::move(per_km).error();
    auto per_kg = Money(s, "perKg", path + ".perKg", exponent);
    if (!per_kg) return std::move(per_kg).error();
    auto pickup = Number(s, "pickupLeadMinutes", path + ".pickupLeadMinutes", 0);
    if (!pickup) return std::move(pickup).error();
    auto delivery = Number(s, "deliveryLeadMinutes", path + ".deliveryLeadMinutes", 0);
    if (!delivery) return std::move(delivery).error();
    auto speed = Number(s, "speedKmh", path + ".speedKmh", 0);
    if (!speed) return std::move(speed).error();
    auto max_km = Number(s, "maxDistanceKm", path + ".maxDistanceKm", -1);
    if (!max_km) return std::move(max_km).error();
    auto temperatures = Strings(s, "temperatureControl", path + ".temperatureControl");
    if (!temperatures) return std::move(temperatures).error();
    service.base_fee = *base;
    service.per_km_fee = *per_km;
    service.per_kg_fee = *per_kg;
    service.pickup_lead_minutes = std::llround(*pickup);
    service.delivery_lead_minutes = std::llround(*delivery);
    service.speed_kmh = *speed;
    if (*max_km >= 0) service.max_distance_km = *max_km;
    if (!temperatures->empty()) service.temperature_controls = std::move(*temperatures);
    table.services.push_back(std::move(service));
  }

  if (const auto* area = o.if_contains("serviceArea"); area && !area->is_null()) {
    if (!area->is_array()) return Bad("serviceArea", "must be an array");
    for (size_t i = 0; i < area->as_array().size(); ++i) {
      std::string path = "serviceArea[" + std::to_string(i) + "]";
      const json::value& value = area->as_array()[i];
      if (!value.is_object()) return Bad(path, "must be an object");
      const json::value* country = value.as_object().if_contains("countryCode");
      if (country == nullptr || !country->is_string() || country->as_string().size() != 2) {
        return Bad(path + ".countryCode", "must be a two-letter code");
      }
      auto prefixes = Strings(value.as_object(), "postalPrefixes", path + ".postalPrefixes");
      if (!prefixes) return std::move(prefixes).error();
      table.area.push_back({std::string(country->as_string()), std::move(*prefixes)});
    }
  }

  if (const auto* max = o.if_contains("maxPackage"); max && !max->is_null()) {
    if (!max->is_object()) return Bad("maxPackage", "must be an object");
    const json::object& m = max->as_object();
    auto length = Number(m, "length", "maxPackage.length", 0);
    auto width = Number(m, "width", "maxPackage.width", 0);
    auto height = Number(m, "height", "maxPackage.height", 0);
    auto weight = Number(m, "weight", "maxPackage.weight", 0);
    if (!length || !width || !height || !weight) return Bad("maxPackage", "needs numbers");
    std::string unit = "cm";
    std::string weight_unit = "kg";
    if (const auto* u = m.if_contains("unit"); u && u->is_string())
      unit = std::string(u->as_string());
    if (const auto* u = m.if_contains("weightUnit"); u && u->is_string()) {
      weight_unit = std::string(u->as_string());
    }
    auto mm = domain::SizeInMillimetres({*length, *width, *height, unit});
    auto grams = domain::WeightInGrams({*weight, weight_unit});
    if (!mm) return Bad("maxPackage.unit", "must be in, cm or mm");
    if (!grams) return Bad("maxPackage.weightUnit", "must be lb, oz, kg or g");
    table.max_size_mm = *mm;
    table.max_weight_g = *grams;
  }
  if (const auto* cancel = o.if_contains("cancelAfterDispatch"); cancel && !cancel->is_null()) {
    if (!cancel->is_bool()) return Bad("cancelAfterDispatch", "must be true or false");
    table.cancel_after_dispatch = cancel->as_bool();
  }
  auto pickup_minutes = Number(o, "pickupMinutes", "pickupMinutes", 10);
  if (!pickup_minutes) return std::move(pickup_minutes).error();
  table.pickup_minutes = std::llround(*pickup_minutes);
  return table;
}

Result<app::Quotes> RateTableProvider::Quote(const domain::ShippingOrder& order,
                                             const app::ProviderCall& call) {
  app::Quotes quotes;
  domain::RateRefusal refusal;
  for (const auto& rate : domain::QuoteRates(table_, order, call.now, &refusal)) {
    domain::Estimate estimate;
    estimate.service_id = rate.service->id;
    estimate.service_type = rate.service->service_type;
    estimate.fee = rate.fee;
    estimate.currency = table_.currency;
    estimate.pickup_at = rate.pickup_at;
    estimate.delivery_at = rate.delivery_at;
    const auto& temps = rate.service->temperature_controls;
    estimate.temperature_controlled =
        std::any_of(temps.begin(), temps.end(), [](const auto& t) { return t != "none"; });
    quotes.estimates.push_back(std::move(estimate));
  }
  if (quotes.estimates.empty()) quotes.refusal = refusal.reason;
  return quotes;
}

Result<app::Booking> RateTableProvider::Book(const domain::ShippingOrder&,
                                             const domain::Estimate& estimate,
                                             const app::ProviderCall& call) {
  app::Booking booking;
  booking.provider_order_id = "RT" + Hex(std::hash<std::string>{}(call.idempotency_key), 16);
  booking.tracking_id = booking.provider_order_id;
  booking.fee = estimate.fee;
  booking.pickup_at = estimate.pickup_at;
  booking.delivery_at = estimate.delivery_at;
  return booking;
}

Status RateTableProvider::Cancel(const domain::ShippingOrder& order, const app::ProviderCall&) {
  if (!table_.cancel_after_dispatch) {
    return Error::Of(ErrorReason::kCancellationNotAllowed,
                     "Provider does not allow cancellation of orders.");
  }
  if (domain::PickupHasStarted(order.status)) {
    return Error::Of(ErrorReason::kCancellationNotAllowed,
                     "Provider does not allow cancellation once the pickup has started.");
  }
  return {};
}

Result<std::optional<app::ProviderStatus>> RateTableProvider::Status(
    const domain::ShippingOrder& order, const app::ProviderCall& call) {
  if (!demo_ || !order.estimated_pickup.starts_at || !order.estimated_delivery.ends_at) {
    return std::optional<app::ProviderStatus>();
  }
  app::ProviderStatus status;
  status.status = domain::SimulatedStatus(table_, *order.estimated_pickup.starts_at,
                                          *order.estimated_delivery.ends_at, call.now);
  status.note = "simulated progress (demo mode)";
  return std::optional<app::ProviderStatus>(status);
}

}  // namespace shipline::adapters
