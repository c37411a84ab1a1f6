#include "http/native/storefronts_codec.hpp"

#include "app/clock.hpp"
#include "http/json_io.hpp"
#include "http/native/native_errors.hpp"

namespace shipline::http::native {

namespace {

json::value TimeOrNull(int64_t millis) {
  if (millis == 0) return nullptr;
  return json::value(app::FormatIsoTime(millis));
}

// The ship-from address's fields under their native names.
std::vector<std::pair<const char*, std::string*>> ShipFromFields(domain::ShipFrom& a) {
  return {{"name", &a.name},
          {"company", &a.company},
          {"line1", &a.line1},
          {"line2", &a.line2},
          {"city", &a.city},
          {"region", &a.region},
          {"postalCode", &a.postal_code},
          {"country", &a.country},
          {"phone", &a.phone},
          {"email", &a.email}};
}

json::value ShipFromJson(domain::ShipFrom ship_from) {
  if (ship_from.Empty()) return nullptr;
  json::object out;
  for (const auto& [key, value] : ShipFromFields(ship_from)) out[key] = StringOrNull(*value);
  return out;
}

Result<domain::ShipFrom> ShipFromFromJson(const json::object& object) {
  domain::ShipFrom ship_from;
  for (const auto& [key, target] : ShipFromFields(ship_from)) {
    const std::string_view name = key;
    const domain::TextKind kind = name == "phone"   ? domain::TextKind::kPhone
                                  : name == "email" ? domain::TextKind::kEmail
                                  : name == "name" || name == "company"
                                      ? domain::TextKind::kName
                                      : domain::TextKind::kAddress;
    auto value = OptionalString(object, key, std::string("shipFrom.") + key, kind);
    if (!value) return std::move(value).error();
    *target = value->value_or("");
  }
  return ship_from;
}

json::object SettingsToJson(const app::StorefrontSettings& settings) {
  json::array carriers;
  for (const auto& carrier : settings.carriers) {
    json::array aliases;
    for (const auto& alias : carrier.aliases) aliases.push_back(json::value(alias));
    carriers.push_back({{"code", carrier.code},
                        {"name", carrier.name},
                        {"trackingUrlTemplate", StringOrNull(carrier.tracking_url_template)},
                        {"aliases", std::move(aliases)}});
  }
  return json::object{{"name", settings.name},
                      {"sendShippingConfirmation", settings.send_shipping_confirmation},
                      {"sender", StringOrNull(settings.sender)},
                      {"carriers", std::move(carriers)},
                      {"shipFrom", ShipFromJson(settings.ship_from)},
                      {"createdAt", TimeOrNull(settings.created_at)},
                      {"updatedAt", TimeOrNull(settings.updated_at)}};
}

Result<domain::Carrier> CarrierFromJson(const json::value& raw, const std::string& path) {
  if (!raw.is_object()) return Error::Invalid(path + " must be an object", path);
  const json::object& object = raw.as_object();
  domain::Carrier carrier;
  auto code = RequiredString(object, "code", path + ".code", domain::TextKind::kCode);
  if (!code) return std::move(code).error();
  carrier.code = std::move(*code);
  auto name = RequiredString(object, "name", path + ".name", domain::TextKind::kName);
  if (!name) return std::move(name).error();
  carrier.name = std::move(*name);
  auto url = OptionalString(object, "trackingUrlTemplate", path + ".trackingUrlTemplate",
                            domain::TextKind::kUrl);
  if (!url) return std::move(url).error();
  carrier.tracking_url_template = url->value_or("");
  auto aliases = OptionalStrings(object, "aliases", path + ".aliases", domain::TextKind::kId);
  if (!aliases) return std::move(aliases).error();
  carrier.aliases = std::move(*aliases);
  return carrier;
}

Result<app::StorefrontUpdate> UpdateFromJson(const json::object& body) {
  app::StorefrontUpdate update;
  auto send = OptionalBool(body, "sendShippingConfirmation", "sendShippingConfirmation");
  if (!send) return std::move(send).error();
  update.send_shipping_confirmation = *send;
  if (body.contains("sender")) {
    auto sender = OptionalString(body, "sender", "sender", domain::TextKind::kEmail);
    if (!sender) return std::move(sender).error();
    update.sender = sender->value_or("");  // null clears it
  }
  if (body.contains("shipFrom")) {
    auto object = OptionalObject(body, "shipFrom", "shipFrom");
    if (!object) return std::move(object).error();
    update.ship_from = domain::ShipFrom();  // null clears it
    if (*object != nullptr) {
      auto ship_from = ShipFromFromJson(**object);
      if (!ship_from) return std::move(ship_from).error();
      update.ship_from = std::move(*ship_from);
    }
  }
  auto carriers = OptionalArray(body, "carriers", "carriers");
  if (!carriers) return std::move(carriers).error();
  if (*carriers != nullptr) {
    if ((*carriers)->size() > app::Storefronts::kMaxCarriers) {
      return Error::Invalid("a store has at most 100 carriers of its own", "carriers");
    }
    std::vector<domain::Carrier> list;
    for (size_t i = 0; i < (*carriers)->size(); ++i) {
      auto carrier = CarrierFromJson((**carriers)[i], "carriers[" + std::to_string(i) + "]");
      if (!carrier) return std::move(carrier).error();
      list.push_back(std::move(*carrier));
    }
    update.carriers = std::move(list);
  }
  return update;
}

Response GetSettings(app::Storefronts& storefronts, Request& request) {
  auto settings = storefronts.Get(request.actor, request.path_params[0]);
  if (!settings) return ErrorResponse(request, settings.error());
  return JsonResponse(200, SettingsToJson(*settings));
}

Response PutSettings(app::Storefronts& storefronts, Request& request) {
  auto body = ParseObject(request.body);
  if (!body) return ErrorResponse(request, body.error());
  auto update = UpdateFromJson(*body);
  if (!update) return ErrorResponse(request, update.error());
  auto settings = storefronts.Update(request.actor, request.path_params[0], *update);
  if (!settings) return ErrorResponse(request, settings.error());
  return JsonResponse(200, SettingsToJson(*settings));
}

}  // namespace

void AddStorefrontRoutes(Router& router, app::Storefronts& storefronts) {
  router.Add({"GET", "/api/v1/stores/{store}", true,
              [&storefronts](Request& request) { return GetSettings(storefronts, request); },
              NativeError});
  router.Add(Admin({"PUT", "/api/v1/stores/{store}", true,
                    [&storefronts](Request& request) { return PutSettings(storefronts, request); },
                    NativeError}));
}

}  // namespace shipline::http::native
