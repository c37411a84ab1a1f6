#include "http/native/delivery_network_codec.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <tuple>

#include "app/clock.hpp"
#include "domain/money.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"

namespace shipline::http::native {

namespace {

constexpr int kRuleMoneyExponent = 2;  // rule amounts are in major units with two decimals

json::value Opt(const std::optional<double>& v) { return v ? json::value(*v) : json::value(); }

Result<std::optional<double>> Number(const json::object& o, std::string_view key,
                                     const std::string& path) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<double>();
  if (!v->is_number()) return Error::Invalid(path + " must be a number", path);
  return std::optional<double>(v->to_number<double>());
}

using domain::TextKind;

Result<std::string> Text(const json::object& o, std::string_view key, const std::string& path,
                         TextKind kind) {
  auto value = OptionalString(o, key, path, kind);
  if (!value) return std::move(value).error();
  return value->value_or("");
}

json::array StringsJson(const std::vector<std::string>& list) {
  json::array out;
  for (const auto& s : list) out.push_back(json::value(s));
  return out;
}

// --- locations --------------------------------------------------------------

Result<app::Location> LocationFromJson(const json::object& body) {
  app::Location l;
  auto id = Text(body, "locationExternalId", "locationExternalId", TextKind::kExternalId);
  if (!id) return std::move(id).error();
  l.external_id = *id;
  auto name = Text(body, "name", "name", TextKind::kName);
  if (!name) return std::move(name).error();
  l.name = *name;
  auto address = OptionalObject(body, "address", "address");
  if (!address) return std::move(address).error();
  if (*address == nullptr) return Error::Invalid("address is required", "address");
  const json::object& a = **address;
  for (auto [key, target] :
       {std::pair{"street1", &l.address.street1}, std::pair{"street2", &l.address.street2},
        std::pair{"apartmentNumber", &l.address.apartment_number},
        std::pair{"city", &l.address.city}, std::pair{"state", &l.address.state},
        std::pair{"postalCode", &l.address.postal_code},
        std::pair{"countryCode", &l.address.country_code}}) {
    auto value = Text(a, key, std::string("address.") + key, TextKind::kAddress);
    if (!value) return std::move(value).error();
    *target = *value;
  }
  auto lat = Number(a, "latitude", "address.latitude");
  if (!lat) return std::move(lat).error();
  auto lon = Number(a, "longitude", "address.longitude");
  if (!lon) return std::move(lon).error();
  l.address.latitude = *lat;
  l.address.longitude = *lon;
  auto contact = OptionalObject(body, "contact", "contact");
  if (!contact) return std::move(contact).error();
  if (*contact != nullptr) {
    for (auto [key, target, kind] : {std::tuple{"name", &l.contact.name, TextKind::kName},
                                     std::tuple{"phone", &l.contact.phone, TextKind::kPhone},
                                     std::tuple{"email", &l.contact.email, TextKind::kEmail}}) {
      auto value = Text(**contact, key, std::string("contact.") + key, kind);
      if (!value) return std::move(value).error();
      *target = *value;
    }
  }
  auto providers = OptionalStrings(body, "providers", "providers", TextKind::kId);
  if (!providers) return std::move(providers).error();
  l.provider_ids = std::move(*providers);
  auto zone = Text(body, "timeZone", "timeZone", TextKind::kCode);
  if (!zone) return std::move(zone).error();
  l.time_zone = *zone;
  return l;
}

json::object LocationToJson(const app::Location& l) {
  const auto& a = l.address;
  return {{"locationExternalId", l.external_id},
          {"name", l.name},
          {"address",
           {{"street1", a.street1},
            {"street2", a.street2},
            {"apartmentNumber", a.apartment_number},
            {"city", a.city},
            {"state", a.state},
            {"postalCode", a.postal_code},
            {"countryCode", a.country_code},
            {"latitude", Opt(a.latitude)},
            {"longitude", Opt(a.longitude)}}},
          {"contact",
           {{"name", l.contact.name}, {"phone", l.contact.phone}, {"email", l.contact.email}}},
          {"providers", StringsJson(l.provider_ids)},
          {"timeZone", l.time_zone.empty() ? json::value() : json::value(l.time_zone)},
          {"createdAt", app::FormatIsoTime(l.created_at)},
          {"updatedAt", app::FormatIsoTime(l.updated_at)}};
}

Response SaveLocation(app::DeliveryNetwork& network, Request& request, bool put) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  if (put && !body->contains("locationExternalId"))
    (*body)["locationExternalId"] = request.path_params[0];
  auto location = LocationFromJson(*body);
  if (!location) return ErrorResponse(request, location.error());
  if (put && location->external_id != request.path_params[0]) {
    return ErrorResponse(
        request, Error::Invalid("locationExternalId must match the path", "locationExternalId"));
  }
  auto saved = put ? network.PutLocation(request.actor, std::move(*location))
                   : network.CreateLocation(request.actor, std::move(*location));
  if (!saved) return ErrorResponse(request, saved.error());
  return JsonResponse(put ? 200 : 201, LocationToJson(*saved));
}

// --- tenant-wide settings ----------------------------------------------------

json::object SettingsToJson(const app::DeliverySettings& settings) {
  return {
      {"timeZone", settings.time_zone.empty() ? json::value() : json::value(settings.time_zone)}};
}

Response PutSettings(app::DeliveryNetwork& network, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  if (!body->contains("timeZone")) {
    return ErrorResponse(request,
                         Error::Invalid("timeZone is required (null for UTC)", "timeZone"));
  }
  auto zone = Text(*body, "timeZone", "timeZone", TextKind::kCode);
  if (!zone) return ErrorResponse(request, zone.error());
  auto saved = network.PutSettings(request.actor, {*zone});
  if (!saved) return ErrorResponse(request, saved.error());
  return JsonResponse(200, SettingsToJson(*saved));
}

// --- providers --------------------------------------------------------------

Result<app::ProviderRecord> ProviderFromJson(const json::object& body) {
  app::ProviderRecord p;
  for (auto [key, target, kind] : {std::tuple{"id", &p.provider_id, TextKind::kId},
                                   std::tuple{"name", &p.name, TextKind::kName},
                                   std::tuple{"displayName", &p.display_name, TextKind::kName},
                                   std::tuple{"kind", &p.kind, TextKind::kCode}}) {
    auto value = Text(body, key, key, kind);
    if (!value) return std::move(value).error();
    *target = *value;
  }
  auto enabled = OptionalBool(body, "enabled", "enabled");
  if (!enabled) return std::move(enabled).error();
  p.enabled = enabled->value_or(true);
  const json::value* config = body.if_contains("config");
  if (config == nullptr || config->is_null()) {
    p.config = "{}";
  } else if (!config->is_object()) {
    return Error::Invalid("config must be an object", "config");
  } else {
    p.config = json::serialize(*config);
  }
  return p;
}

json::object ProviderToJson(const app::ProviderRecord& p) {
  boost::system::error_code ec;
  json::value config = json::parse(p.config, ec);
  if (ec || !config.is_object()) config = json::object();
  // The token is a secret: never shown.
  if (auto* token = config.as_object().if_contains("token"); token && token->is_string()) {
    *token = "[redacted]";
  }
  return {{"id", p.provider_id},
          {"name", p.name},
          {"displayName", p.display_name},
          {"kind", p.kind},
          {"enabled", p.enabled},
          {"config", std::move(config)},
          {"createdAt", app::FormatIsoTime(p.created_at)},
          {"updatedAt", app::FormatIsoTime(p.updated_at)}};
}

Response SaveProvider(app::DeliveryNetwork& network, Request& request, bool put) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  if (put && !body->contains("id")) (*body)["id"] = request.path_params[0];
  auto provider = ProviderFromJson(*body);
  if (!provider) return ErrorResponse(request, provider.error());
  if (put && provider->provider_id != request.path_params[0]) {
    return ErrorResponse(request, Error::Invalid("id must match the path", "id"));
  }
  auto saved = put ? network.PutProvider(request.actor, std::move(*provider))
                   : network.CreateProvider(request.actor, std::move(*provider));
  if (!saved) return ErrorResponse(request, saved.error());
  return JsonResponse(put ? 200 : 201, ProviderToJson(*saved));
}

Response ProviderEvent(app::ShippingOrders& orders, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  app::ProviderUpdate update;
  auto status = RequiredString(*body, "status", "status", TextKind::kCode);
  if (!status) return ErrorResponse(request, status.error());
  auto parsed = domain::ParseShippingOrderStatus(*status);
  if (!parsed) return ErrorResponse(request, Error::Invalid("unknown status " + *status, "status"));
  update.status = *parsed;
  for (auto [key, target, kind] :
       {std::tuple{"orderId", &update.provider_order_id, TextKind::kId},
        std::tuple{"orderExternalId", &update.external_id, TextKind::kId},
        std::tuple{"subStatus", &update.sub_status, TextKind::kCode},
        std::tuple{"note", &update.note, TextKind::kNote},
        std::tuple{"trackingId", &update.tracking_id, TextKind::kId}}) {
    auto value = Text(*body, key, key, kind);
    if (!value) return ErrorResponse(request, value.error());
    *target = *value;
  }
  auto reason = OptionalObject(*body, "eventReason", "eventReason");
  if (!reason) return ErrorResponse(request, reason.error());
  if (*reason != nullptr) {
    for (auto [key, target, kind] : {std::tuple{"code", &update.reason_code, TextKind::kCode},
                                     std::tuple{"title", &update.reason_title, TextKind::kName},
                                     std::tuple{"note", &update.reason_note, TextKind::kNote}}) {
      auto value = Text(**reason, key, std::string("eventReason.") + key, kind);
      if (!value) return ErrorResponse(request, value.error());
      *target = *value;
    }
  }
  auto occurred = OptionalInt(*body, "occurredAt", "occurredAt");
  if (!occurred) return ErrorResponse(request, occurred.error());
  update.occurred_at = *occurred;
  auto applied = orders.ApplyProviderUpdate(request.actor, request.path_params[0], update);
  if (!applied) return ErrorResponse(request, applied.error());
  return JsonResponse(
      200, json::object{{"applied", applied->applied},
                        {"orderExternalId", applied->order.external_id},
                        {"status", domain::ShippingOrderStatusName(applied->order.status)}});
}

// --- rules ------------------------------------------------------------------

Result<std::optional<int64_t>> RuleMoney(const json::object& o, std::string_view key) {
  std::string path = "filters." + std::string(key);
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (v->is_string()) {
    SHIPLINE_RETURN_IF_ERROR(domain::CheckTextLength(v->as_string(), TextKind::kCode, path));
    auto parsed = domain::ParseDecimal(std::string(v->as_string()), kRuleMoneyExponent);
    if (!parsed) return Error::Invalid(path + " must be a non-negative amount", path);
    return std::optional<int64_t>(*parsed);
  }
  if (!v->is_number() || v->to_number<double>() < 0) {
    return Error::Invalid(path + " must be a non-negative amount", path);
  }
  return std::optional<int64_t>(std::llround(v->to_number<double>() * 100));
}

Result<domain::OrchestrationRule> RuleFromJson(const json::object& body) {
  domain::OrchestrationRule r;
  auto name = Text(body, "name", "name", TextKind::kName);
  if (!name) return std::move(name).error();
  r.name = *name;
  auto location = Text(body, "locationExternalId", "locationExternalId", TextKind::kId);
  if (!location) return std::move(location).error();
  r.location_external_id = *location;
  auto priority = OptionalInt(body, "priority", "priority");
  if (!priority) return std::move(priority).error();
  r.priority = priority->value_or(0);
  auto enabled = OptionalBool(body, "enabled", "enabled");
  if (!enabled) return std::move(enabled).error();
  r.enabled = enabled->value_or(true);
  auto objective = Text(body, "objective", "objective", TextKind::kCode);
  if (!objective) return std::move(objective).error();
  auto parsed = domain::ParseObjective(objective->empty() ? "cheapest" : *objective);
  if (!parsed)
    return Error::Invalid("objective must be cheapest, fastest or weighted", "objective");
  r.objective = *parsed;
  auto filters = OptionalObject(body, "filters", "filters");
  if (!filters) return std::move(filters).error();
  if (*filters != nullptr) {
    const json::object& f = **filters;
    for (auto [key, target] : {std::pair{"allowedProviders", &r.allowed_providers},
                               std::pair{"excludedProviders", &r.excluded_providers},
                               std::pair{"serviceTypes", &r.service_types}}) {
      auto list = OptionalStrings(f, key, std::string("filters.") + key, TextKind::kId);
      if (!list) return std::move(list).error();
      *target = std::move(*list);
    }
    for (auto [key, target] :
         {std::pair{"maxFee", &r.max_fee}, std::pair{"minOrderValue", &r.min_order_value},
          std::pair{"maxOrderValue", &r.max_order_value}}) {
      auto money = RuleMoney(f, key);
      if (!money) return std::move(money).error();
      *target = *money;
    }
    for (auto [key, target] :
         {std::pair{"mustMeetPickupWindow", &r.must_meet_pickup_window},
          std::pair{"mustMeetDeliveryWindow", &r.must_meet_delivery_window},
          std::pair{"requireTemperatureControl", &r.require_temperature_control}}) {
      auto flag = OptionalBool(f, key, std::string("filters.") + key);
      if (!flag) return std::move(flag).error();
      *target = flag->value_or(false);
    }
  }
  auto weights = OptionalObject(body, "weights", "weights");
  if (!weights) return std::move(weights).error();
  if (*weights != nullptr) {
    auto fee = Number(**weights, "fee", "weights.fee");
    if (!fee) return std::move(fee).error();
    auto time = Number(**weights, "time", "weights.time");
    if (!time) return std::move(time).error();
    r.fee_weight = fee->value_or(1.0);
    r.time_weight = time->value_or(1.0);
  }
  return r;
}

json::value RuleMoneyJson(const std::optional<int64_t>& v) {
  return v ? json::value(domain::FormatDecimal(*v, kRuleMoneyExponent)) : json::value();
}

json::object RuleToJson(const domain::OrchestrationRule& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"locationExternalId",
           r.location_external_id.empty() ? json::value() : json::value(r.location_external_id)},
          {"priority", r.priority},
          {"enabled", r.enabled},
          {"filters",
           {{"allowedProviders", StringsJson(r.allowed_providers)},
            {"excludedProviders", StringsJson(r.excluded_providers)},
            {"serviceTypes", StringsJson(r.service_types)},
            {"maxFee", RuleMoneyJson(r.max_fee)},
            {"mustMeetPickupWindow", r.must_meet_pickup_window},
            {"mustMeetDeliveryWindow", r.must_meet_delivery_window},
            {"requireTemperatureControl", r.require_temperature_control},
            {"minOrderValue", RuleMoneyJson(r.min_order_value)},
            {"maxOrderValue", RuleMoneyJson(r.max_order_value)}}},
          {"objective", domain::ObjectiveName(r.objective)},
          {"weights", {{"fee", r.fee_weight}, {"time", r.time_weight}}}};
}

Result<int64_t> RuleId(const Request& request) {
  const std::string& text = request.path_params[0];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return Error::NotFound("Rule " + text + " not found");
  }
  return id;
}

}  // namespace

void AddDeliveryNetworkRoutes(Router& router, app::DeliveryNetwork& network,
                              app::ShippingOrders& orders) {
  auto* n = &network;
  auto* o = &orders;
  // Locations, providers and rules are the tenant's administration: reading
  // them needs read, changing them admin.
  auto add = [&router](const char* method, const char* pattern,
                       std::function<Response(Request&)> fn) {
    Route route{method, pattern, true, std::move(fn), NativeError};
    router.Add(route.method == "GET" ? std::move(route) : Admin(std::move(route)));
  };
  add("POST", "/api/v1/locations", [n](Request& r) { return SaveLocation(*n, r, false); });
  add("GET", "/api/v1/locations", [n](Request& r) {
    auto limit = r.Query("limit");
    int count = 100;
    if (limit) {
      auto [end, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), count);
      if (ec != std::errc() || end != limit->data() + limit->size()) count = 100;
    }
    const std::string_view after = r.Query("after").value_or("");
    if (auto bad = domain::CheckTextLength(after, TextKind::kExternalId, "after"); !bad.ok()) {
      return ErrorResponse(r, bad.error());
    }
    auto list = n->ListLocations(r.actor, after, count);
    if (!list) return ErrorResponse(r, list.error());
    json::array out;
    for (const auto& l : *list) out.push_back(LocationToJson(l));
    json::value next = list->empty() ? json::value() : json::value(list->back().external_id);
    return JsonResponse(200, json::object{{"locations", std::move(out)}, {"next", next}});
  });
  add("GET", "/api/v1/locations/{locationExternalId}", [n](Request& r) {
    auto found = n->GetLocation(r.actor, r.path_params[0]);
    if (!found) return ErrorResponse(r, found.error());
    return JsonResponse(200, LocationToJson(*found));
  });
  add("PUT", "/api/v1/locations/{locationExternalId}",
      [n](Request& r) { return SaveLocation(*n, r, true); });
  add("DELETE", "/api/v1/locations/{locationExternalId}", [n](Request& r) {
    auto done = n->DeleteLocation(r.actor, r.path_params[0]);
    if (!done) return ErrorResponse(r, done.error());
    Response response;
    response.status = 204;
    return response;
  });

  add("GET", "/api/v1/delivery-settings", [n](Request& r) {
    auto settings = n->GetSettings(r.actor);
    if (!settings) return ErrorResponse(r, settings.error());
    return JsonResponse(200, SettingsToJson(*settings));
  });
  add("PUT", "/api/v1/delivery-settings", [n](Request& r) { return PutSettings(*n, r); });

  add("POST", "/api/v1/providers", [n](Request& r) { return SaveProvider(*n, r, false); });
  add("GET", "/api/v1/providers", [n](Request& r) {
    auto list = n->ListProviders(r.actor);
    if (!list) return ErrorResponse(r, list.error());
    json::array out;
    for (const auto& p : *list) out.push_back(ProviderToJson(p));
    return JsonResponse(200, json::object{{"providers", std::move(out)}});
  });
  add("GET", "/api/v1/providers/{providerId}", [n](Request& r) {
    auto found = n->GetProvider(r.actor, r.path_params[0]);
    if (!found) return ErrorResponse(r, found.error());
    return JsonResponse(200, ProviderToJson(*found));
  });
  add("PUT", "/api/v1/providers/{providerId}",
      [n](Request& r) { return SaveProvider(*n, r, true); });
  add("DELETE", "/api/v1/providers/{providerId}", [n](Request& r) {
    auto done = n->DeleteProvider(r.actor, r.path_params[0]);
    if (!done) return ErrorResponse(r, done.error());
    Response response;
    response.status = 204;
    return response;
  });
  // A provider's progress on a shipping order: the merchant integration's
  // part, so write.
  router.Add({"POST", "/api/v1/providers/{providerId}/events", true,
              [o](Request& r) { return ProviderEvent(*o, r); }, NativeError});

  add("POST", "/api/v1/orchestration-rules", [n](Request& r) {
    auto body = ParseObject(r.body);
    if (!body) return ErrorResponse(r, body.error());
    auto rule = RuleFromJson(*body);
    if (!rule) return ErrorResponse(r, rule.error());
    auto saved = n->CreateRule(r.actor, std::move(*rule));
    if (!saved) return ErrorResponse(r, saved.error());
    return JsonResponse(201, RuleToJson(*saved));
  });
  add("GET", "/api/v1/orchestration-rules", [n](Request& r) {
    auto list = n->ListRules(r.actor);
    if (!list) return ErrorResponse(r, list.error());
    json::array out;
    for (const auto& rule : *list) out.push_back(RuleToJson(rule));
    return JsonResponse(200, json::object{{"rules", std::move(out)}});
  });
  add("GET", "/api/v1/orchestration-rules/{ruleId}", [n](Request& r) {
    auto id = RuleId(r);
    if (!id) return ErrorResponse(r, id.error());
    auto found = n->GetRule(r.actor, *id);
    if (!found) return ErrorResponse(r, found.error());
    return JsonResponse(200, RuleToJson(*found));
  });
  add("PUT", "/api/v1/orchestration-rules/{ruleId}", [n](Request& r) {
    auto id = RuleId(r);
    if (!id) return ErrorResponse(r, id.error());
    auto body = ParseObject(r.body);
    if (!body) return ErrorResponse(r, body.error());
    auto rule = RuleFromJson(*body);
    if (!rule) return ErrorResponse(r, rule.error());
    rule->id = *id;
    auto saved = n->PutRule(r.actor, std::move(*rule));
    if (!saved) return ErrorResponse(r, saved.error());
    return JsonResponse(200, RuleToJson(*saved));
  });
  add("DELETE", "/api/v1/orchestration-rules/{ruleId}", [n](Request& r) {
    auto id = RuleId(r);
    if (!id) return ErrorResponse(r, id.error());
    auto done = n->DeleteRule(r.actor, *id);
    if (!done) return ErrorResponse(r, done.error());
    Response response;
    response.status = 204;
    return response;
  });
}

}  // namespace shipline::http::native
