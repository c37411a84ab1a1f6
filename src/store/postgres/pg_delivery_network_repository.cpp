#include "store/postgres/pg_delivery_network_repository.hpp"

#include <cmath>

namespace shipline::store::postgres {

using app::Location;
using app::ProviderRecord;
using domain::OrchestrationRule;

namespace {

const std::string kLocationColumns =
    "SELECT id, tenant_id, external_id, name, street1, street2, apartment_number, city, state, "
    "postal_code, country_code, latitude_e7, longitude_e7, contact_name, contact_phone, "
    "contact_email, created_at, updated_at FROM so_locations ";
const std::string kLocationByExternalId =
    kLocationColumns + "WHERE tenant_id = $1 AND external_id = $2";
const std::string kLocationPage = kLocationColumns +
                                  "WHERE tenant_id = $1 AND external_id > $2 "
                                  "ORDER BY external_id LIMIT $3";

const std::string kProviderColumns =
    "SELECT id, tenant_id, provider_id, name, display_name, kind, config, enabled, created_at, "
    "updated_at FROM so_providers ";
const std::string kProviderById = kProviderColumns + "WHERE tenant_id = $1 AND provider_id = $2";
const std::string kProvidersOfTenant =
    kProviderColumns + "WHERE tenant_id = $1 ORDER BY provider_id";
const std::string kProvidersOfKind =
    kProviderColumns + "WHERE kind = $1 ORDER BY tenant_id, provider_id";

const std::string kRuleColumns =
    "SELECT id, name, location_external_id, priority, enabled, allowed_providers, "
    "excluded_providers, service_types, max_fee, must_meet_pickup_window, "
    "must_meet_delivery_window, require_temperature_control, min_order_value, max_order_value, "
    "objective, fee_weight_milli, time_weight_milli FROM so_rules ";
const std::string kRulesOfTenant = kRuleColumns + "WHERE tenant_id = $1 ORDER BY priority, id";
const std::string kRuleById = kRuleColumns + "WHERE tenant_id = $1 AND id = $2";

const std::string kLock = " FOR NO KEY UPDATE";

const char* kLocationInsert =
    "INSERT INTO so_locations (tenant_id, external_id, name, street1, street2, "
    "apartment_number, city, state, postal_code, country_code, latitude_e7, longitude_e7, "
    "contact_name, contact_phone, contact_email, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ";

const char* kProviderInsert =
    "INSERT INTO so_providers (tenant_id, provider_id, name, display_name, kind, config, "
    "enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ";

std::optional<int64_t> ToE7(const std::optional<double>& degrees) {
  if (!degrees) return std::nullopt;
  return std::llround(*degrees * 1e7);
}

std::optional<double> FromE7(const Rows& rows, int r, int column) {
  if (rows.IsNull(r, column)) return std::nullopt;
  return static_cast<double>(rows.Int(r, column)) / 1e7;
}

std::string Join(const std::vector<std::string>& list) {
  std::string out;
  for (const auto& item : list) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

std::vector<std::string> Split(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

Result<std::vector<Location>> PgDeliveryNetworkRepository::ReadLocations(const Rows& rows) {
  std::vector<Location> locations;
  for (int r = 0; r < rows.size(); ++r) {
    Location l;
    l.id = rows.Int(r, 0);
    l.tenant_id = rows.Int(r, 1);
    l.external_id = rows.Text(r, 2);
    l.name = rows.Text(r, 3);
    l.address = {rows.Text(r, 4),  rows.Text(r, 5),     rows.Text(r, 6),
                 rows.Text(r, 7),  rows.Text(r, 8),     rows.Text(r, 9),
                 rows.Text(r, 10), FromE7(rows, r, 11), FromE7(rows, r, 12)};
    l.contact = {rows.Text(r, 13), rows.Text(r, 14), rows.Text(r, 15)};
    l.created_at = rows.Int(r, 16);
    l.updated_at = rows.Int(r, 17);
    locations.push_back(std::move(l));
  }
  for (auto& location : locations) {
    SHIPLINE_PG_QUERY(providers,
                      "SELECT p.provider_id FROM so_location_providers lp "
                      "JOIN so_providers p ON p.id = lp.provider_id "
                      "WHERE lp.location_id = $1 ORDER BY lp.position",
                      Params().Add(location.id));
    for (int r = 0; r < providers.size(); ++r) {
      location.provider_ids.push_back(providers.Text(r, 0));
    }
  }
  return locations;
}

Result<std::optional<Location>> PgDeliveryNetworkRepository::FindLocation(
    int64_t tenant_id, std::string_view external_id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kLocationByExternalId + kLock : kLocationByExternalId,
                    Params().Add(tenant_id).Add(external_id));
  auto found = ReadLocations(rows);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<Location>();
  return std::optional<Location>(std::move(found->front()));
}

Result<std::vector<Location>> PgDeliveryNetworkRepository::ListLocations(int64_t tenant_id,
                                                                         std::string_view after,
                                                                         int limit) {
  SHIPLINE_PG_QUERY(rows, kLocationPage,
                    Params().Add(tenant_id).Add(after).Add(static_cast<int64_t>(limit)));
  return ReadLocations(rows);
}

Status PgDeliveryNetworkRepository::SaveLocation(Location& location, bool replace) {
  // ON CONFLICT keeps the transaction usable either way: a taken id is an
  // answer (kAlreadyExists), not an error that aborts the group.
  const std::string sql =
      std::string(kLocationInsert) +
      (replace ? "ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, "
                 "street1 = excluded.street1, street2 = excluded.street2, "
                 "apartment_number = excluded.apartment_number, city = excluded.city, "
                 "state = excluded.state, postal_code = excluded.postal_code, "
                 "country_code = excluded.country_code, latitude_e7 = excluded.latitude_e7, "
                 "longitude_e7 = excluded.longitude_e7, contact_name = excluded.contact_name, "
                 "contact_phone = excluded.contact_phone, contact_email = excluded.contact_email, "
                 "updated_at = excluded.updated_at RETURNING id, created_at"
               : "ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id, created_at");
  const auto& a = location.address;
  SHIPLINE_PG_QUERY(saved, sql,
                    Params()
                        .Add(location.tenant_id)
                        .Add(location.external_id)
                        .Add(location.name)
                        .Add(a.street1)
                        .Add(a.street2)
                        .Add(a.apartment_number)
                        .Add(a.city)
                        .Add(a.state)
                        .Add(a.postal_code)
                        .Add(a.country_code)
                        .Add(ToE7(a.latitude))
                        .Add(ToE7(a.longitude))
                        .Add(location.contact.name)
                        .Add(location.contact.phone)
                        .Add(location.contact.email)
                        .Add(location.created_at)
                        .Add(location.updated_at));
  if (saved.empty()) {
    return Error::Exists("Resource with provided id already exists: " + location.external_id,
                         "locationExternalId");
  }
  location.id = saved.Int(0, 0);
  location.created_at = saved.Int(0, 1);

  SHIPLINE_PG_QUERY(cleared, "DELETE FROM so_location_providers WHERE location_id = $1",
                    Params().Add(location.id));
  for (size_t i = 0; i < location.provider_ids.size(); ++i) {
    SHIPLINE_PG_QUERY(linked,
                      "INSERT INTO so_location_providers (location_id, provider_id, position) "
                      "SELECT $1, id, $2 FROM so_providers WHERE tenant_id = $3 "
                      "AND provider_id = $4 ON CONFLICT DO NOTHING",
                      Params()
                          .Add(location.id)
                          .Add(static_cast<int64_t>(i))
                          .Add(location.tenant_id)
                          .Add(location.provider_ids[i]));
    if (linked.Affected() == 0) {
      return Error::Invalid("no such provider: " + location.provider_ids[i], "providers");
    }
  }
  return Ok();
}

Result<bool> PgDeliveryNetworkRepository::DeleteLocation(int64_t tenant_id,
                                                         std::string_view external_id) {
  SHIPLINE_PG_QUERY(removed, "DELETE FROM so_locations WHERE tenant_id = $1 AND external_id = $2",
                    Params().Add(tenant_id).Add(external_id));
  return removed.Affected() > 0;
}

Result<std::vector<ProviderRecord>> PgDeliveryNetworkRepository::ReadProviders(const Rows& rows) {
  std::vector<ProviderRecord> providers;
  for (int r = 0; r < rows.size(); ++r) {
    providers.push_back({rows.Int(r, 0), rows.Int(r, 1), rows.Text(r, 2), rows.Text(r, 3),
                         rows.Text(r, 4), rows.Text(r, 5), rows.Text(r, 6), rows.Bool(r, 7),
                         rows.Int(r, 8), rows.Int(r, 9)});
  }
  return providers;
}

Result<std::optional<ProviderRecord>> PgDeliveryNetworkRepository::FindProvider(
    int64_t tenant_id, std::string_view provider_id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kProviderById + kLock : kProviderById,
                    Params().Add(tenant_id).Add(provider_id));
  auto found = ReadProviders(rows);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<ProviderRecord>();
  return std::optional<ProviderRecord>(std::move(found->front()));
}

Result<std::vector<ProviderRecord>> PgDeliveryNetworkRepository::ListProviders(int64_t tenant_id) {
  SHIPLINE_PG_QUERY(rows, kProvidersOfTenant, Params().Add(tenant_id));
  return ReadProviders(rows);
}

Result<std::vector<ProviderRecord>> PgDeliveryNetworkRepository::ListProvidersOfKind(
    std::string_view kind) {
  SHIPLINE_PG_QUERY(rows, kProvidersOfKind, Params().Add(kind));
  return ReadProviders(rows);
}

Status PgDeliveryNetworkRepository::SaveProvider(ProviderRecord& p, bool replace) {
  const std::string sql =
      std::string(kProviderInsert) +
      (replace ? "ON CONFLICT (tenant_id, provider_id) DO UPDATE SET name = excluded.name, "
                 "display_name = excluded.display_name, kind = excluded.kind, "
                 "config = excluded.config, enabled = excluded.enabled, "
                 "updated_at = excluded.updated_at RETURNING id, created_at"
               : "ON CONFLICT (tenant_id, provider_id) DO NOTHING RETURNING id, created_at");
  SHIPLINE_PG_QUERY(saved, sql,
                    Params()
                        .Add(p.tenant_id)
                        .Add(p.provider_id)
                        .Add(p.name)
                        .Add(p.display_name)
                        .Add(p.kind)
                        .Add(p.config)
                        .Bool(p.enabled)
                        .Add(p.created_at)
                        .Add(p.updated_at));
  if (saved.empty()) {
    return Error::Exists("Resource with provided id already exists: " + p.provider_id, "id");
  }
  p.id = saved.Int(0, 0);
  p.created_at = saved.Int(0, 1);
  return Ok();
}

Result<bool> PgDeliveryNetworkRepository::DeleteProvider(int64_t tenant_id,
                                                         std::string_view provider_id) {
  SHIPLINE_PG_QUERY(removed, "DELETE FROM so_providers WHERE tenant_id = $1 AND provider_id = $2",
                    Params().Add(tenant_id).Add(provider_id));
  return removed.Affected() > 0;
}

Result<std::vector<OrchestrationRule>> PgDeliveryNetworkRepository::ReadRules(const Rows& rows) {
  std::vector<OrchestrationRule> rules;
  for (int r = 0; r < rows.size(); ++r) {
    OrchestrationRule rule;
    rule.id = rows.Int(r, 0);
    rule.name = rows.Text(r, 1);
    rule.location_external_id = rows.Text(r, 2);
    rule.priority = rows.Int(r, 3);
    rule.enabled = rows.Bool(r, 4);
    rule.allowed_providers = Split(rows.Text(r, 5));
    rule.excluded_providers = Split(rows.Text(r, 6));
    rule.service_types = Split(rows.Text(r, 7));
    rule.max_fee = rows.OptionalInt(r, 8);
    rule.must_meet_pickup_window = rows.Bool(r, 9);
    rule.must_meet_delivery_window = rows.Bool(r, 10);
    rule.require_temperature_control = rows.Bool(r, 11);
    rule.min_order_value = rows.OptionalInt(r, 12);
    rule.max_order_value = rows.OptionalInt(r, 13);
    rule.objective =
        domain::ParseObjective(rows.Text(r, 14)).value_or(domain::Objective::kCheapest);
    rule.fee_weight = static_cast<double>(rows.Int(r, 15)) / 1000.0;
    rule.time_weight = static_cast<double>(rows.Int(r, 16)) / 1000.0;
    rules.push_back(std::move(rule));
  }
  return rules;
}

Result<std::vector<OrchestrationRule>> PgDeliveryNetworkRepository::ListRules(int64_t tenant_id) {
  SHIPLINE_PG_QUERY(rows, kRulesOfTenant, Params().Add(tenant_id));
  return ReadRules(rows);
}

Result<std::optional<OrchestrationRule>> PgDeliveryNetworkRepository::FindRule(int64_t tenant_id,
                                                                               int64_t rule_id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kRuleById + kLock : kRuleById,
                    Params().Add(tenant_id).Add(rule_id));
  auto found = ReadRules(rows);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<OrchestrationRule>();
  return std::optional<OrchestrationRule>(std::move(found->front()));
}

Result<bool> PgDeliveryNetworkRepository::SaveRule(int64_t tenant_id, OrchestrationRule& r) {
  Params params;
  params.Add(r.name)
      .Add(r.location_external_id)
      .Add(r.priority)
      .Bool(r.enabled)
      .Add(Join(r.allowed_providers))
      .Add(Join(r.excluded_providers))
      .Add(Join(r.service_types))
      .Add(r.max_fee)
      .Bool(r.must_meet_pickup_window)
      .Bool(r.must_meet_delivery_window)
      .Bool(r.require_temperature_control)
      .Add(r.min_order_value)
      .Add(r.max_order_value)
      .Add(domain::ObjectiveName(r.objective))
      .Add(static_cast<int64_t>(std::llround(r.fee_weight * 1000)))
      .Add(static_cast<int64_t>(std::llround(r.time_weight * 1000)))
      .Add(tenant_id);
  if (r.id == 0) {
    SHIPLINE_PG_QUERY(inserted,
                      "INSERT INTO so_rules (name, location_external_id, priority, enabled, "
                      "allowed_providers, excluded_providers, service_types, max_fee, "
                      "must_meet_pickup_window, must_meet_delivery_window, "
                      "require_temperature_control, min_order_value, max_order_value, objective, "
                      "fee_weight_milli, time_weight_milli, tenant_id) VALUES ($1, $2, $3, $4, "
                      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id",
                      params);
    r.id = inserted.Int(0, 0);
    return true;
  }
  params.Add(r.id);
  SHIPLINE_PG_QUERY(updated,
                    "UPDATE so_rules SET name = $1, location_external_id = $2, priority = $3, "
                    "enabled = $4, allowed_providers = $5, excluded_providers = $6, "
                    "service_types = $7, max_fee = $8, must_meet_pickup_window = $9, "
                    "must_meet_delivery_window = $10, require_temperature_control = $11, "
                    "min_order_value = $12, max_order_value = $13, objective = $14, "
                    "fee_weight_milli = $15, time_weight_milli = $16 "
                    "WHERE tenant_id = $17 AND id = $18",
                    params);
  return updated.Affected() > 0;
}

Result<bool> PgDeliveryNetworkRepository::DeleteRule(int64_t tenant_id, int64_t rule_id) {
  SHIPLINE_PG_QUERY(removed, "DELETE FROM so_rules WHERE tenant_id = $1 AND id = $2",
                    Params().Add(tenant_id).Add(rule_id));
  return removed.Affected() > 0;
}

}  // namespace shipline::store::postgres
