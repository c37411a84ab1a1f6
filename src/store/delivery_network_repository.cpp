#include "store/delivery_network_repository.hpp"

#include "store/column_codecs.hpp"

namespace shipline::store {

using app::Location;
using app::ProviderRecord;
using domain::OrchestrationRule;
using sql::Params;

namespace {

const std::string kLocationColumns =
    "SELECT id, tenant_id, external_id, name, street1, street2, apartment_number, city, state, "
    "postal_code, country_code, latitude_e7, longitude_e7, contact_name, contact_phone, "
    "contact_email, created_at, updated_at, time_zone FROM so_locations ";
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

const std::string kLocationInsert =
    "INSERT INTO so_locations (tenant_id, external_id, name, street1, street2, "
    "apartment_number, city, state, postal_code, country_code, latitude_e7, longitude_e7, "
    "contact_name, contact_phone, contact_email, created_at, updated_at, time_zone) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) ";
const std::string kLocationReplace =
    kLocationInsert +
    "ON CONFLICT (tenant_id, external_id) DO UPDATE SET name = excluded.name, "
    "street1 = excluded.street1, street2 = excluded.street2, "
    "apartment_number = excluded.apartment_number, city = excluded.city, "
    "state = excluded.state, postal_code = excluded.postal_code, "
    "country_code = excluded.country_code, latitude_e7 = excluded.latitude_e7, "
    "longitude_e7 = excluded.longitude_e7, contact_name = excluded.contact_name, "
    "contact_phone = excluded.contact_phone, contact_email = excluded.contact_email, "
    "updated_at = excluded.updated_at, time_zone = excluded.time_zone RETURNING id, created_at";
const std::string kLocationCreate =
    kLocationInsert + "ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id, created_at";

const std::string kProviderInsert =
    "INSERT INTO so_providers (tenant_id, provider_id, name, display_name, kind, config, "
    "enabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ";
const std::string kProviderReplace =
    kProviderInsert +
    "ON CONFLICT (tenant_id, provider_id) DO UPDATE SET name = excluded.name, "
    "display_name = excluded.display_name, kind = excluded.kind, "
    "config = excluded.config, enabled = excluded.enabled, "
    "updated_at = excluded.updated_at RETURNING id, created_at";
const std::string kProviderCreate =
    kProviderInsert + "ON CONFLICT (tenant_id, provider_id) DO NOTHING RETURNING id, created_at";

// Rule list columns hold comma-separated ids (ids never contain commas).
constexpr char kIdSeparator = ',';

// Returns the first of `found`, or nullopt when it is empty.
template <typename T>
Result<std::optional<T>> First(Result<std::vector<T>> found) {
  if (!found) return std::move(found).error();
  if (found->empty()) return std::optional<T>();
  return std::optional<T>(std::move(found->front()));
}

// Runs the DELETE `sql`: true when it removed a row.
Result<bool> RemovedAny(sql::Db& db, const std::string& sql, const Params& params) {
  SHIPLINE_SQL_EXECUTE(removed, db, sql, params);
  return removed > 0;
}

Result<std::vector<OrchestrationRule>> ReadRules(sql::Rows& rows) {
  std::vector<OrchestrationRule> rules;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return rules;
    OrchestrationRule rule;
    rule.id = rows.Int(0);
    rule.name = rows.Text(1);
    rule.location_external_id = rows.Text(2);
    rule.priority = rows.Int(3);
    rule.enabled = rows.Bool(4);
    rule.allowed_providers = SplitList(rows.Text(5), kIdSeparator, true);
    rule.excluded_providers = SplitList(rows.Text(6), kIdSeparator, true);
    rule.service_types = SplitList(rows.Text(7), kIdSeparator, true);
    rule.max_fee = rows.OptionalInt(8);
    rule.must_meet_pickup_window = rows.Bool(9);
    rule.must_meet_delivery_window = rows.Bool(10);
    rule.require_temperature_control = rows.Bool(11);
    rule.min_order_value = rows.OptionalInt(12);
    rule.max_order_value = rows.OptionalInt(13);
    rule.objective = domain::ParseObjective(rows.Text(14)).value_or(domain::Objective::kCheapest);
    rule.fee_weight = FromMilli(rows.Int(15));
    rule.time_weight = FromMilli(rows.Int(16));
    rules.push_back(std::move(rule));
  }
}

}  // namespace

Result<std::vector<Location>> DeliveryNetworkRepository::ReadLocations(sql::Rows& rows) {
  std::vector<Location> locations;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    Location l;
    l.id = rows.Int(0);
    l.tenant_id = rows.Int(1);
    l.external_id = rows.Text(2);
    l.name = rows.Text(3);
    l.address = {rows.Text(4),
                 rows.Text(5),
                 rows.Text(6),
                 rows.Text(7),
                 rows.Text(8),
                 rows.Text(9),
                 rows.Text(10),
                 FromE7(rows.OptionalInt(11)),
                 FromE7(rows.OptionalInt(12))};
    l.contact = {rows.Text(13), rows.Text(14), rows.Text(15)};
    l.created_at = rows.Int(16);
    l.updated_at = rows.Int(17);
    l.time_zone = rows.Text(18);
    locations.push_back(std::move(l));
  }
  for (auto& location : locations) {
    SHIPLINE_SQL_QUERY(providers, db_,
                       "SELECT p.provider_id FROM so_location_providers lp "
                       "JOIN so_providers p ON p.id = lp.provider_id "
                       "WHERE lp.location_id = $1 ORDER BY lp.position",
                       Params().Add(location.id));
    for (;;) {
      SHIPLINE_SQL_NEXT(more, providers);
      if (!more) break;
      location.provider_ids.push_back(providers.Text(0));
    }
  }
  return locations;
}

Result<std::optional<Location>> DeliveryNetworkRepository::FindLocation(
    int64_t tenant_id, std::string_view external_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kLocationByExternalId + db_.RowLock(),
                     Params().Add(tenant_id).Add(external_id));
  return First(ReadLocations(rows));
}

Result<std::vector<Location>> DeliveryNetworkRepository::ListLocations(int64_t tenant_id,
                                                                       std::string_view after,
                                                                       int limit) {
  SHIPLINE_SQL_QUERY(rows, db_, kLocationPage, Params().Add(tenant_id).Add(after).Add(limit));
  return ReadLocations(rows);
}

Status DeliveryNetworkRepository::SaveLocation(Location& location, bool replace) {
  // ON CONFLICT keeps the transaction usable either way: a taken id is an
  // answer (kAlreadyExists), not an error that aborts the group.
  const auto& a = location.address;
  SHIPLINE_SQL_QUERY(saved, db_, replace ? kLocationReplace : kLocationCreate,
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
                         .Add(location.updated_at)
                         .Add(location.time_zone));
  SHIPLINE_SQL_NEXT(returned, saved);
  if (!returned) {
    return Error::Exists("Resource with provided id already exists: " + location.external_id,
                         "locationExternalId");
  }
  location.id = saved.Int(0);
  location.created_at = saved.Int(1);
  return LinkProviders(location);
}

Status DeliveryNetworkRepository::LinkProviders(const Location& location) {
  SHIPLINE_SQL_EXECUTE(cleared, db_, "DELETE FROM so_location_providers WHERE location_id = $1",
                       Params().Add(location.id));
  for (size_t i = 0; i < location.provider_ids.size(); ++i) {
    // ON CONFLICT keeps the transaction usable when a provider is given
    // twice; a link that inserts no row (no such provider of the tenant, or a
    // repeat) is the caller's error, not an aborted transaction.
    SHIPLINE_SQL_EXECUTE(linked, db_,
                         "INSERT INTO so_location_providers (location_id, provider_id, position) "
                         "SELECT $1, id, $2 FROM so_providers WHERE tenant_id = $3 "
                         "AND provider_id = $4 ON CONFLICT DO NOTHING",
                         Params()
                             .Add(location.id)
                             .Add(static_cast<int64_t>(i))
                             .Add(location.tenant_id)
                             .Add(location.provider_ids[i]));
    if (linked == 0) {
      return Error::Invalid("no such provider: " + location.provider_ids[i], "providers");
    }
  }
  return Ok();
}

Result<std::string> DeliveryNetworkRepository::TenantTimeZone(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT time_zone FROM tenants WHERE id = $1",
                     Params().Add(tenant_id));
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Text(0) : std::string();
}

Status DeliveryNetworkRepository::SetTenantTimeZone(int64_t tenant_id, std::string_view time_zone) {
  SHIPLINE_SQL_EXECUTE(updated, db_, "UPDATE tenants SET time_zone = $1 WHERE id = $2",
                       Params().Add(time_zone).Add(tenant_id));
  if (updated == 0) return Error::Internal("no tenant " + std::to_string(tenant_id));
  return Ok();
}

Result<bool> DeliveryNetworkRepository::DeleteLocation(int64_t tenant_id,
                                                       std::string_view external_id) {
  return RemovedAny(db_, "DELETE FROM so_locations WHERE tenant_id = $1 AND external_id = $2",
                    Params().Add(tenant_id).Add(external_id));
}

Result<std::vector<ProviderRecord>> DeliveryNetworkRepository::ReadProviders(
    sql::Rows& rows) const {
  std::vector<ProviderRecord> providers;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return providers;
    providers.push_back({rows.Int(0), rows.Int(1), rows.Text(2), rows.Text(3), rows.Text(4),
                         rows.Text(5), rows.Text(6), rows.Bool(7), rows.Int(8), rows.Int(9)});
    SHIPLINE_RETURN_IF_ERROR(secrets_.Open(kProviderConfig, providers.back().config));
  }
}

Result<std::optional<ProviderRecord>> DeliveryNetworkRepository::FindProvider(
    int64_t tenant_id, std::string_view provider_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kProviderById + db_.RowLock(),
                     Params().Add(tenant_id).Add(provider_id));
  return First(ReadProviders(rows));
}

Result<std::vector<ProviderRecord>> DeliveryNetworkRepository::ListProviders(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kProvidersOfTenant, Params().Add(tenant_id));
  return ReadProviders(rows);
}

Result<std::vector<ProviderRecord>> DeliveryNetworkRepository::ListProvidersOfKind(
    std::string_view kind) {
  SHIPLINE_SQL_QUERY(rows, db_, kProvidersOfKind, Params().Add(kind));
  return ReadProviders(rows);
}

Status DeliveryNetworkRepository::SaveProvider(ProviderRecord& p, bool replace) {
  auto config = secrets_.Seal(kProviderConfig, p.config);
  if (!config) return std::move(config).error();
  // As in SaveLocation, a taken id is an answer, not an aborted transaction.
  SHIPLINE_SQL_QUERY(saved, db_, replace ? kProviderReplace : kProviderCreate,
                     Params()
                         .Add(p.tenant_id)
                         .Add(p.provider_id)
                         .Add(p.name)
                         .Add(p.display_name)
                         .Add(p.kind)
                         .Add(*config)
                         .Bool(p.enabled)
                         .Add(p.created_at)
                         .Add(p.updated_at));
  SHIPLINE_SQL_NEXT(returned, saved);
  if (!returned) {
    return Error::Exists("Resource with provided id already exists: " + p.provider_id, "id");
  }
  p.id = saved.Int(0);
  p.created_at = saved.Int(1);
  return Ok();
}

Result<bool> DeliveryNetworkRepository::DeleteProvider(int64_t tenant_id,
                                                       std::string_view provider_id) {
  // Its links to locations go with it (ON DELETE CASCADE).
  return RemovedAny(db_, "DELETE FROM so_providers WHERE tenant_id = $1 AND provider_id = $2",
                    Params().Add(tenant_id).Add(provider_id));
}

Result<std::vector<OrchestrationRule>> DeliveryNetworkRepository::ListRules(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kRulesOfTenant, Params().Add(tenant_id));
  return ReadRules(rows);
}

Result<std::optional<OrchestrationRule>> DeliveryNetworkRepository::FindRule(int64_t tenant_id,
                                                                             int64_t rule_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kRuleById + db_.RowLock(), Params().Add(tenant_id).Add(rule_id));
  return First(ReadRules(rows));
}

Result<bool> DeliveryNetworkRepository::SaveRule(int64_t tenant_id, OrchestrationRule& r) {
  Params params;
  params.Add(r.name)
      .Add(r.location_external_id)
      .Add(r.priority)
      .Bool(r.enabled)
      .Add(JoinList(r.allowed_providers, kIdSeparator))
      .Add(JoinList(r.excluded_providers, kIdSeparator))
      .Add(JoinList(r.service_types, kIdSeparator))
      .Add(r.max_fee)
      .Bool(r.must_meet_pickup_window)
      .Bool(r.must_meet_delivery_window)
      .Bool(r.require_temperature_control)
      .Add(r.min_order_value)
      .Add(r.max_order_value)
      .Add(domain::ObjectiveName(r.objective))
      .Add(ToMilli(r.fee_weight))
      .Add(ToMilli(r.time_weight))
      .Add(tenant_id);
  if (r.id == 0) {
    SHIPLINE_SQL_INSERT(inserted, db_,
                        "INSERT INTO so_rules (name, location_external_id, priority, enabled, "
                        "allowed_providers, excluded_providers, service_types, max_fee, "
                        "must_meet_pickup_window, must_meet_delivery_window, "
                        "require_temperature_control, min_order_value, max_order_value, "
                        "objective, fee_weight_milli, time_weight_milli, tenant_id) VALUES ($1, "
                        "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) ",
                        params);
    if (!inserted) return Error::Internal("rule insert inserted no row");
    r.id = *inserted;
    return true;
  }
  params.Add(r.id);
  SHIPLINE_SQL_EXECUTE(updated, db_,
                       "UPDATE so_rules SET name = $1, location_external_id = $2, priority = $3, "
                       "enabled = $4, allowed_providers = $5, excluded_providers = $6, "
                       "service_types = $7, max_fee = $8, must_meet_pickup_window = $9, "
                       "must_meet_delivery_window = $10, require_temperature_control = $11, "
                       "min_order_value = $12, max_order_value = $13, objective = $14, "
                       "fee_weight_milli = $15, time_weight_milli = $16 "
                       "WHERE tenant_id = $17 AND id = $18",
                       params);
  return updated > 0;
}

Result<bool> DeliveryNetworkRepository::DeleteRule(int64_t tenant_id, int64_t rule_id) {
  return RemovedAny(db_, "DELETE FROM so_rules WHERE tenant_id = $1 AND id = $2",
                    Params().Add(tenant_id).Add(rule_id));
}

}  // namespace shipline::store
