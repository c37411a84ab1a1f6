#include "app/shipping_orders/delivery_network.hpp"

#include <algorithm>
#include <cmath>

#include "app/zone_time.hpp"
#include "domain/shipping_order_rules.hpp"
#include "domain/text_limits.hpp"

namespace shipline::app {

namespace {

// Ids end up in comma-separated lists: no commas.
bool IsListableId(std::string_view id) {
  return domain::IsValidExternalId(id) && id.find(',') == std::string_view::npos;
}

Status CheckTimeZone(const std::string& zone) {
  if (!zone.empty() && !IsKnownTimeZone(zone)) {
    return Error::Invalid("timeZone must name a zone of the tz database, e.g. \"America/Chicago\"",
                          "timeZone");
  }
  return Ok();
}

Status CheckLocation(const Location& location) {
  if (!domain::IsValidExternalId(location.external_id)) {
    return Error::Invalid("locationExternalId is required: 1 to 100 characters without '/'",
                          "locationExternalId");
  }
  if (location.name.size() > domain::MaxTextBytes(domain::TextKind::kName))
    return Error::Invalid("name is too long", "name");
  const auto& a = location.address;
  if (a.street1.empty() || a.city.empty() || a.country_code.size() != 2) {
    return Error::Invalid("address needs street1, city and a two-letter countryCode", "address");
  }
  if (a.latitude.has_value() != a.longitude.has_value() ||
      (a.latitude && (!std::isfinite(*a.latitude) || std::fabs(*a.latitude) > 90)) ||
      (a.longitude && (!std::isfinite(*a.longitude) || std::fabs(*a.longitude) > 180))) {
    return Error::Invalid("address needs both latitude (-90..90) and longitude (-180..180)",
                          "address.latitude");
  }
  SHIPLINE_RETURN_IF_ERROR(CheckTimeZone(location.time_zone));
  if (location.provider_ids.size() > 100) {
    return Error::Invalid("providers may hold at most 100 ids", "providers");
  }
  return Ok();
}

Status CheckRule(const domain::OrchestrationRule& rule) {
  if (rule.name.empty() || rule.name.size() > domain::MaxTextBytes(domain::TextKind::kName)) {
    return Error::Invalid("name is required (at most 200 characters)", "name");
  }
  if (!rule.location_external_id.empty() && !domain::IsValidExternalId(rule.location_external_id)) {
    return Error::Invalid("locationExternalId is not a valid id", "locationExternalId");
  }
  for (const auto* list :
       {&rule.allowed_providers, &rule.excluded_providers, &rule.service_types}) {
    if (list->size() > 100) return Error::Invalid("filter lists hold at most 100 ids", "filters");
    for (const auto& id : *list) {
      if (!IsListableId(id)) {
        return Error::Invalid("filter ids must be 1 to 100 characters without ',' or '/'",
                              "filters");
      }
    }
  }
  if (rule.max_fee && *rule.max_fee < 0)
    return Error::Invalid("maxFee must be zero or more", "filters.maxFee");
  if (!(rule.fee_weight >= 0 && rule.fee_weight <= 1000) ||
      !(rule.time_weight >= 0 && rule.time_weight <= 1000)) {
    return Error::Invalid("weights must be between 0 and 1000", "weights");
  }
  return Ok();
}

template <typename T>
Result<T> Found(std::optional<T> value, const std::string& what) {
  if (!value) return Error::NotFound(what + " not found");
  return std::move(*value);
}

}  // namespace

Result<DeliverySettings> DeliveryNetwork::GetSettings(const Actor& actor) {
  DeliverySettings settings;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto zone = reader.DeliveryNetwork().TenantTimeZone(actor.tenant_id);
    if (!zone) return std::move(zone).error();
    settings.time_zone = std::move(*zone);
    return Ok();
  }));
  return settings;
}

Result<DeliverySettings> DeliveryNetwork::PutSettings(const Actor& actor,
                                                      DeliverySettings settings) {
  SHIPLINE_RETURN_IF_ERROR(CheckTimeZone(settings.time_zone));
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    return tx.DeliveryNetwork().SetTenantTimeZone(actor.tenant_id, settings.time_zone);
  }));
  return settings;
}

Result<Location> DeliveryNetwork::SaveLocation(const Actor& actor, Location location,
                                               bool replace) {
  SHIPLINE_RETURN_IF_ERROR(CheckLocation(location));
  location.tenant_id = actor.tenant_id;
  location.created_at = location.updated_at = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    for (size_t i = 0; i < location.provider_ids.size(); ++i) {
      auto provider = tx.DeliveryNetwork().FindProvider(actor.tenant_id, location.provider_ids[i]);
      if (!provider) return std::move(provider).error();
      if (!*provider) {
        return Error::Invalid("no such provider: " + location.provider_ids[i],
                              "providers[" + std::to_string(i) + "]");
      }
    }
    return tx.DeliveryNetwork().SaveLocation(location, replace);
  }));
  return location;
}

Result<Location> DeliveryNetwork::CreateLocation(const Actor& actor, Location location) {
  return SaveLocation(actor, std::move(location), false);
}
Result<Location> DeliveryNetwork::PutLocation(const Actor& actor, Location location) {
  return SaveLocation(actor, std::move(location), true);
}

Result<Location> DeliveryNetwork::GetLocation(const Actor& actor, std::string_view external_id) {
  std::optional<Location> location;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().FindLocation(actor.tenant_id, external_id);
    if (!found) return std::move(found).error();
    location = std::move(*found);
    return Ok();
  }));
  return Found(std::move(location), "Location " + std::string(external_id));
}

Result<std::vector<Location>> DeliveryNetwork::ListLocations(const Actor& actor,
                                                             std::string_view after, int limit) {
  std::vector<Location> locations;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found =
        reader.DeliveryNetwork().ListLocations(actor.tenant_id, after, std::clamp(limit, 1, 1000));
    if (!found) return std::move(found).error();
    locations = std::move(*found);
    return Ok();
  }));
  return locations;
}

Status DeliveryNetwork::DeleteLocation(const Actor& actor, std::string_view external_id) {
  bool deleted = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.DeliveryNetwork().DeleteLocation(actor.tenant_id, external_id);
    if (!done) return std::move(done).error();
    deleted = *done;
    return Ok();
  }));
  if (!deleted) return Error::NotFound("Location " + std::string(external_id) + " not found");
  return Ok();
}

Result<ProviderRecord> DeliveryNetwork::SaveProvider(const Actor& actor, ProviderRecord provider,
                                                     bool replace) {
  if (!IsListableId(provider.provider_id)) {
    return Error::Invalid("id is required: 1 to 100 characters without ',' or '/'", "id");
  }
  if (provider.name.empty()) provider.name = provider.provider_id;
  SHIPLINE_RETURN_IF_ERROR(
      domain::CheckTextLengths({{provider.name, domain::TextKind::kName, "name"},
                                {provider.display_name, domain::TextKind::kName, "displayName"}}));
  SHIPLINE_RETURN_IF_ERROR(factory_.Validate(provider.kind, provider.config));
  provider.tenant_id = actor.tenant_id;
  provider.created_at = provider.updated_at = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write(
      [&](StoreWriter& tx) { return tx.DeliveryNetwork().SaveProvider(provider, replace); }));
  return provider;
}

Result<ProviderRecord> DeliveryNetwork::CreateProvider(const Actor& actor,
                                                       ProviderRecord provider) {
  return SaveProvider(actor, std::move(provider), false);
}
Result<ProviderRecord> DeliveryNetwork::PutProvider(const Actor& actor, ProviderRecord provider) {
  return SaveProvider(actor, std::move(provider), true);
}

Result<ProviderRecord> DeliveryNetwork::GetProvider(const Actor& actor,
                                                    std::string_view provider_id) {
  std::optional<ProviderRecord> provider;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().FindProvider(actor.tenant_id, provider_id);
    if (!found) return std::move(found).error();
    provider = std::move(*found);
    return Ok();
  }));
  return Found(std::move(provider), "Provider " + std::string(provider_id));
}

Result<std::vector<ProviderRecord>> DeliveryNetwork::ListProviders(const Actor& actor) {
  std::vector<ProviderRecord> providers;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().ListProviders(actor.tenant_id);
    if (!found) return std::move(found).error();
    providers = std::move(*found);
    return Ok();
  }));
  return providers;
}

Status DeliveryNetwork::DeleteProvider(const Actor& actor, std::string_view provider_id) {
  bool deleted = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.DeliveryNetwork().DeleteProvider(actor.tenant_id, provider_id);
    if (!done) return std::move(done).error();
    deleted = *done;
    return Ok();
  }));
  if (!deleted) return Error::NotFound("Provider " + std::string(provider_id) + " not found");
  return Ok();
}

Result<domain::OrchestrationRule> DeliveryNetwork::SaveRule(const Actor& actor,
                                                            domain::OrchestrationRule rule) {
  SHIPLINE_RETURN_IF_ERROR(CheckRule(rule));
  bool saved = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.DeliveryNetwork().SaveRule(actor.tenant_id, rule);
    if (!done) return std::move(done).error();
    saved = *done;
    return Ok();
  }));
  if (!saved) return Error::NotFound("Rule " + std::to_string(rule.id) + " not found");
  return rule;
}

Result<domain::OrchestrationRule> DeliveryNetwork::CreateRule(const Actor& actor,
                                                              domain::OrchestrationRule rule) {
  rule.id = 0;
  return SaveRule(actor, std::move(rule));
}
Result<domain::OrchestrationRule> DeliveryNetwork::PutRule(const Actor& actor,
                                                           domain::OrchestrationRule rule) {
  if (rule.id <= 0) return Error::NotFound("Rule not found");
  return SaveRule(actor, std::move(rule));
}

Result<domain::OrchestrationRule> DeliveryNetwork::GetRule(const Actor& actor, int64_t rule_id) {
  std::optional<domain::OrchestrationRule> rule;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().FindRule(actor.tenant_id, rule_id);
    if (!found) return std::move(found).error();
    rule = std::move(*found);
    return Ok();
  }));
  return Found(std::move(rule), "Rule " + std::to_string(rule_id));
}

Result<std::vector<domain::OrchestrationRule>> DeliveryNetwork::ListRules(const Actor& actor) {
  std::vector<domain::OrchestrationRule> rules;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.DeliveryNetwork().ListRules(actor.tenant_id);
    if (!found) return std::move(found).error();
    rules = std::move(*found);
    return Ok();
  }));
  return rules;
}

Status DeliveryNetwork::DeleteRule(const Actor& actor, int64_t rule_id) {
  bool deleted = false;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto done = tx.DeliveryNetwork().DeleteRule(actor.tenant_id, rule_id);
    if (!done) return std::move(done).error();
    deleted = *done;
    return Ok();
  }));
  if (!deleted) return Error::NotFound("Rule " + std::to_string(rule_id) + " not found");
  return Ok();
}

}  // namespace shipline::app
