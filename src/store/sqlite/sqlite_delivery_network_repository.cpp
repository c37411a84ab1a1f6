#include "store/sqlite/sqlite_delivery_network_repository.hpp"

#include <cmath>

namespace shipline::store::sqlite {

using app::Location;
using app::ProviderRecord;
using domain::OrchestrationRule;

#define SHIPLINE_PREPARE(name, sql)                                \
  auto name##_prepared = db_.Prepare(sql);                         \
  if (!name##_prepared) return std::move(name##_prepared).error(); \
  Statement& name = *name##_prepared

namespace {

constexpr const char* kLocationColumns =
    "SELECT id, tenant_id, external_id, name, street1, street2, apartment_number, city, state, "
    "postal_code, country_code, latitude_e7, longitude_e7, contact_name, contact_phone, "
    "contact_email, created_at, updated_at FROM so_locations ";
const std::string kLocationByExternalId =
    std::string(kLocationColumns) + "WHERE tenant_id = ? AND external_id = ?";
const std::string kLocationPage = std::string(kLocationColumns) +
                                  "WHERE tenant_id = ? AND external_id > ? "
                                  "ORDER BY external_id LIMIT ?";

constexpr const char* kProviderColumns =
    "SELECT id, tenant_id, provider_id, name, display_name, kind, config, enabled, created_at, "
    "updated_at FROM so_providers ";
const std::string kProviderById =
    std::string(kProviderColumns) + "WHERE tenant_id = ? AND provider_id = ?";
const std::string kProvidersOfTenant =
    std::string(kProviderColumns) + "WHERE tenant_id = ? ORDER BY provider_id";
const std::string kProvidersOfKind =
    std::string(kProviderColumns) + "WHERE kind = ? ORDER BY tenant_id, provider_id";

constexpr const char* kRuleColumns =
    "SELECT id, name, location_external_id, priority, enabled, allowed_providers, "
    "excluded_providers, service_types, max_fee, must_meet_pickup_window, "
    "must_meet_delivery_window, require_temperature_control, min_order_value, max_order_value, "
    "objective, fee_weight_milli, time_weight_milli FROM so_rules ";
const std::string kRulesOfTenant =
    std::string(kRuleColumns) + "WHERE tenant_id = ? ORDER BY priority, id";
const std::string kRuleById = std::string(kRuleColumns) + "WHERE tenant_id = ? AND id = ?";

std::optional<int64_t> ToE7(const std::optional<double>& degrees) {
  if (!degrees) return std::nullopt;
  return std::llround(*degrees * 1e7);
}
std::optional<double> FromE7(const Statement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return static_cast<double>(row.Int(column)) / 1e7;
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

Result<std::vector<Location>> SqliteDeliveryNetworkRepository::ReadLocations(Statement& query) {
  std::vector<Location> locations;
  for (;;) {
    auto next = query.Step();
    if (!next) return std::move(next).error();
    if (!*next) break;
    Location l;
    l.id = query.Int(0);
    l.tenant_id = query.Int(1);
    l.external_id = query.Text(2);
    l.name = query.Text(3);
    l.address = {query.Text(4), query.Text(5),  query.Text(6),     query.Text(7),    query.Text(8),
                 query.Text(9), query.Text(10), FromE7(query, 11), FromE7(query, 12)};
    l.contact = {query.Text(13), query.Text(14), query.Text(15)};
    l.created_at = query.Int(16);
    l.updated_at = query.Int(17);
    locations.push_back(std::move(l));
  }
  SHIPLINE_PREPARE(providers,
                   "SELECT p.provider_id FROM so_location_providers lp "
                   "JOIN so_providers p ON p.id = lp.provider_id "
                   "WHERE lp.location_id = ? ORDER BY lp.position");
  for (auto& location : locations) {
    providers.Reset();
    providers.Bind(1, location.id);
    for (;;) {
      auto next = providers.Step();
      if (!next) return std::move(next).error();
      if (!*next) break;
      location.provider_ids.push_back(providers.Text(0));
    }
  }
  return locations;
}

Result<std::optional<Location>> SqliteDeliveryNetworkRepository::FindLocation(
    int64_t tenant_id, std::string_view external_id) {
  SHIPLINE_PREPARE(query, kLocationByExternalId.c_str());
  query.Bind(1, tenant_id).Bind(2, external_id);
  auto found = ReadLocations(query);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<Location>();
  return std::optional<Location>(std::move(found->front()));
}

Result<std::vector<Location>> SqliteDeliveryNetworkRepository::ListLocations(int64_t tenant_id,
                                                                             std::string_view after,
                                                                             int limit) {
  SHIPLINE_PREPARE(query, kLocationPage.c_str());
  query.Bind(1, tenant_id).Bind(2, after).Bind(3, static_cast<int64_t>(limit));
  return ReadLocations(query);
}

Status SqliteDeliveryNetworkRepository::SaveLocation(Location& location, bool replace) {
  const char* sql =
      replace ? "INSERT INTO so_locations (tenant_id, external_id, name, street1, street2, "
                "apartment_number, city, state, postal_code, country_code, latitude_e7, "
                "longitude_e7, contact_name, contact_phone, contact_email, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, "
                "street1 = excluded.street1, street2 = excluded.street2, "
                "apartment_number = excluded.apartment_number, city = excluded.city, "
                "state = excluded.state, postal_code = excluded.postal_code, "
                "country_code = excluded.country_code, latitude_e7 = excluded.latitude_e7, "
                "longitude_e7 = excluded.longitude_e7, contact_name = excluded.contact_name, "
                "contact_phone = excluded.contact_phone, contact_email = excluded.contact_email, "
                "updated_at = excluded.updated_at"
              : "INSERT INTO so_locations (tenant_id, external_id, name, street1, street2, "
                "apartment_number, city, state, postal_code, country_code, latitude_e7, "
                "longitude_e7, contact_name, contact_phone, contact_email, created_at, updated_at) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
  SHIPLINE_PREPARE(upsert, sql);
  const auto& a = location.address;
  upsert.Bind(1, location.tenant_id).Bind(2, location.external_id).Bind(3, location.name);
  upsert.Bind(4, a.street1).Bind(5, a.street2).Bind(6, a.apartment_number).Bind(7, a.city);
  upsert.Bind(8, a.state).Bind(9, a.postal_code).Bind(10, a.country_code);
  upsert.Bind(11, ToE7(a.latitude)).Bind(12, ToE7(a.longitude));
  upsert.Bind(13, location.contact.name).Bind(14, location.contact.phone);
  upsert.Bind(15, location.contact.email).Bind(16, location.created_at);
  upsert.Bind(17, location.updated_at);
  if (auto done = upsert.Run(); !done) {
    if (upsert.UniqueViolation()) {
      return Error::Exists("Resource with provided id already exists: " + location.external_id,
                           "locationExternalId");
    }
    return done;
  }
  SHIPLINE_PREPARE(
      id, "SELECT id, created_at FROM so_locations WHERE tenant_id = ? AND external_id = ?");
  id.Bind(1, location.tenant_id).Bind(2, location.external_id);
  auto row = id.Step();
  if (!row) return std::move(row).error();
  if (!*row) return Error::Internal("location vanished after save");
  location.id = id.Int(0);
  location.created_at = id.Int(1);

  SHIPLINE_PREPARE(clear, "DELETE FROM so_location_providers WHERE location_id = ?");
  clear.Bind(1, location.id);
  SHIPLINE_RETURN_IF_ERROR(clear.Run());
  SHIPLINE_PREPARE(
      link,
      "INSERT OR IGNORE INTO so_location_providers (location_id, provider_id, position) "
      "SELECT ?, id, ? FROM so_providers WHERE tenant_id = ? AND provider_id = ?");
  for (size_t i = 0; i < location.provider_ids.size(); ++i) {
    link.Reset();
    link.Bind(1, location.id).Bind(2, static_cast<int64_t>(i)).Bind(3, location.tenant_id);
    link.Bind(4, location.provider_ids[i]);
    SHIPLINE_RETURN_IF_ERROR(link.Run());
    if (db_.Changes() == 0) {
      return Error::Invalid("no such provider: " + location.provider_ids[i], "providers");
    }
  }
  return Ok();
}

Result<bool> SqliteDeliveryNetworkRepository::DeleteLocation(int64_t tenant_id,
                                                             std::string_view external_id) {
  SHIPLINE_PREPARE(remove, "DELETE FROM so_locations WHERE tenant_id = ? AND external_id = ?");
  remove.Bind(1, tenant_id).Bind(2, external_id);
  SHIPLINE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

Result<std::vector<ProviderRecord>> SqliteDeliveryNetworkRepository::ReadProviders(
    Statement& query) {
  std::vector<ProviderRecord> providers;
  for (;;) {
    auto next = query.Step();
    if (!next) return std::move(next).error();
    if (!*next) return providers;
    providers.push_back({query.Int(0), query.Int(1), query.Text(2), query.Text(3), query.Text(4),
                         query.Text(5), query.Text(6), query.Int(7) != 0, query.Int(8),
                         query.Int(9)});
  }
}

Result<std::optional<ProviderRecord>> SqliteDeliveryNetworkRepository::FindProvider(
    int64_t tenant_id, std::string_view provider_id) {
  SHIPLINE_PREPARE(query, kProviderById.c_str());
  query.Bind(1, tenant_id).Bind(2, provider_id);
  auto found = ReadProviders(query);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<ProviderRecord>();
  return std::optional<ProviderRecord>(std::move(found->front()));
}

Result<std::vector<ProviderRecord>> SqliteDeliveryNetworkRepository::ListProviders(
    int64_t tenant_id) {
  SHIPLINE_PREPARE(query, kProvidersOfTenant.c_str());
  query.Bind(1, tenant_id);
  return ReadProviders(query);
}

Result<std::vector<ProviderRecord>> SqliteDeliveryNetworkRepository::ListProvidersOfKind(
    std::string_view kind) {
  SHIPLINE_PREPARE(query, kProvidersOfKind.c_str());
  query.Bind(1, kind);
  return ReadProviders(query);
}

Status SqliteDeliveryNetworkRepository::SaveProvider(ProviderRecord& p, bool replace) {
  const char* sql =
      replace ? "INSERT INTO so_providers (tenant_id, provider_id, name, display_name, kind, "
                "config, enabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?) "
                "ON CONFLICT (tenant_id, provider_id) DO UPDATE SET name = excluded.name, "
                "display_name = excluded.display_name, kind = excluded.kind, "
                "config = excluded.config, enabled = excluded.enabled, "
                "updated_at = excluded.updated_at"
              : "INSERT INTO so_providers (tenant_id, provider_id, name, display_name, kind, "
                "config, enabled, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)";
  SHIPLINE_PREPARE(upsert, sql);
  upsert.Bind(1, p.tenant_id).Bind(2, p.provider_id).Bind(3, p.name).Bind(4, p.display_name);
  upsert.Bind(5, p.kind).Bind(6, p.config).Bind(7, int64_t{p.enabled ? 1 : 0});
  upsert.Bind(8, p.created_at).Bind(9, p.updated_at);
  if (auto done = upsert.Run(); !done) {
    if (upsert.UniqueViolation()) {
      return Error::Exists("Resource with provided id already exists: " + p.provider_id, "id");
    }
    return done;
  }
  SHIPLINE_PREPARE(
      id, "SELECT id, created_at FROM so_providers WHERE tenant_id = ? AND provider_id = ?");
  id.Bind(1, p.tenant_id).Bind(2, p.provider_id);
  auto row = id.Step();
  if (!row) return std::move(row).error();
  if (!*row) return Error::Internal("provider vanished after save");
  p.id = id.Int(0);
  p.created_at = id.Int(1);
  return Ok();
}

Result<bool> SqliteDeliveryNetworkRepository::DeleteProvider(int64_t tenant_id,
                                                             std::string_view provider_id) {
  SHIPLINE_PREPARE(remove, "DELETE FROM so_providers WHERE tenant_id = ? AND provider_id = ?");
  remove.Bind(1, tenant_id).Bind(2, provider_id);
  SHIPLINE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

Result<std::vector<OrchestrationRule>> SqliteDeliveryNetworkRepository::ReadRules(
    Statement& query) {
  std::vector<OrchestrationRule> rules;
  for (;;) {
    auto next = query.Step();
    if (!next) return std::move(next).error();
    if (!*next) return rules;
    OrchestrationRule r;
    r.id = query.Int(0);
    r.name = query.Text(1);
    r.location_external_id = query.Text(2);
    r.priority = query.Int(3);
    r.enabled = query.Int(4) != 0;
    r.allowed_providers = Split(query.Text(5));
    r.excluded_providers = Split(query.Text(6));
    r.service_types = Split(query.Text(7));
    r.max_fee = query.OptionalInt(8);
    r.must_meet_pickup_window = query.Int(9) != 0;
    r.must_meet_delivery_window = query.Int(10) != 0;
    r.require_temperature_control = query.Int(11) != 0;
    r.min_order_value = query.OptionalInt(12);
    r.max_order_value = query.OptionalInt(13);
    r.objective = domain::ParseObjective(query.Text(14)).value_or(domain::Objective::kCheapest);
    r.fee_weight = static_cast<double>(query.Int(15)) / 1000.0;
    r.time_weight = static_cast<double>(query.Int(16)) / 1000.0;
    rules.push_back(std::move(r));
  }
}

Result<std::vector<OrchestrationRule>> SqliteDeliveryNetworkRepository::ListRules(
    int64_t tenant_id) {
  SHIPLINE_PREPARE(query, kRulesOfTenant.c_str());
  query.Bind(1, tenant_id);
  return ReadRules(query);
}

Result<std::optional<OrchestrationRule>> SqliteDeliveryNetworkRepository::FindRule(
    int64_t tenant_id, int64_t rule_id) {
  SHIPLINE_PREPARE(query, kRuleById.c_str());
  query.Bind(1, tenant_id).Bind(2, rule_id);
  auto found = ReadRules(query);
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<OrchestrationRule>();
  return std::optional<OrchestrationRule>(std::move(found->front()));
}

Result<bool> SqliteDeliveryNetworkRepository::SaveRule(int64_t tenant_id, OrchestrationRule& r) {
  const char* sql =
      r.id == 0 ? "INSERT INTO so_rules (name, location_external_id, priority, enabled, "
                  "allowed_providers, excluded_providers, service_types, max_fee, "
                  "must_meet_pickup_window, must_meet_delivery_window, "
                  "require_temperature_control, min_order_value, max_order_value, objective, "
                  "fee_weight_milli, time_weight_milli, tenant_id) "
                  "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
                : "UPDATE so_rules SET name = ?, location_external_id = ?, priority = ?, "
                  "enabled = ?, allowed_providers = ?, excluded_providers = ?, "
                  "service_types = ?, max_fee = ?, must_meet_pickup_window = ?, "
                  "must_meet_delivery_window = ?, require_temperature_control = ?, "
                  "min_order_value = ?, max_order_value = ?, objective = ?, "
                  "fee_weight_milli = ?, time_weight_milli = ? WHERE tenant_id = ? AND id = ?";
  SHIPLINE_PREPARE(save, sql);
  save.Bind(1, r.name).Bind(2, r.location_external_id).Bind(3, r.priority);
  save.Bind(4, int64_t{r.enabled ? 1 : 0}).Bind(5, Join(r.allowed_providers));
  save.Bind(6, Join(r.excluded_providers)).Bind(7, Join(r.service_types)).Bind(8, r.max_fee);
  save.Bind(9, int64_t{r.must_meet_pickup_window ? 1 : 0});
  save.Bind(10, int64_t{r.must_meet_delivery_window ? 1 : 0});
  save.Bind(11, int64_t{r.require_temperature_control ? 1 : 0});
  save.Bind(12, r.min_order_value).Bind(13, r.max_order_value);
  save.Bind(14, domain::ObjectiveName(r.objective));
  save.Bind(15, static_cast<int64_t>(std::llround(r.fee_weight * 1000)));
  save.Bind(16, static_cast<int64_t>(std::llround(r.time_weight * 1000)));
  save.Bind(17, tenant_id);
  if (r.id != 0) save.Bind(18, r.id);
  SHIPLINE_RETURN_IF_ERROR(save.Run());
  if (r.id == 0) {
    r.id = db_.LastInsertId();
    return true;
  }
  return db_.Changes() > 0;
}

Result<bool> SqliteDeliveryNetworkRepository::DeleteRule(int64_t tenant_id, int64_t rule_id) {
  SHIPLINE_PREPARE(remove, "DELETE FROM so_rules WHERE tenant_id = ? AND id = ?");
  remove.Bind(1, tenant_id).Bind(2, rule_id);
  SHIPLINE_RETURN_IF_ERROR(remove.Run());
  return db_.Changes() > 0;
}

}  // namespace shipline::store::sqlite
