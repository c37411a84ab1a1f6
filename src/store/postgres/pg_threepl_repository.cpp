// The inbound side of shipment notifications on PostgreSQL: 3PL connections,
// the notifications they sent, and the packages of a shipment.

#include <cmath>

#include "store/postgres/pg_webhook_repository.hpp"

namespace shipline::store::postgres {

namespace tp = app::threepl;

namespace {

constexpr const char* kConnectionColumns =
    "SELECT id, tenant_id, name, username, password_hash, created_at, revoked_at "
    "FROM threepl_connections ";

const std::string kNotificationColumns =
    "SELECT id, tenant_id, connection_id, order_number, shipment_number, status, error_code, "
    "reason, body, body_hash, times_received, received_at, updated_at "
    "FROM threepl_notifications ";
const std::string kFindNotification = kNotificationColumns + "WHERE tenant_id = $1 AND id = $2";
const std::string kListNotifications =
    kNotificationColumns +
    "WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2::text) "
    "AND ($3::bigint = 0 OR id < $3::bigint) ORDER BY id DESC LIMIT $4";

std::string_view NotificationStatusText(tp::NotificationStatus status) {
  return status == tp::NotificationStatus::kApplied ? "applied" : "rejected";
}

tp::InboundNotification ReadNotification(const Rows& rows, int r) {
  tp::InboundNotification n;
  n.id = rows.Int(r, 0);
  n.tenant_id = rows.Int(r, 1);
  n.connection_id = rows.Int(r, 2);
  n.order_number = rows.Text(r, 3);
  n.shipment_number = rows.Text(r, 4);
  n.status = rows.Text(r, 5) == "applied" ? tp::NotificationStatus::kApplied
                                          : tp::NotificationStatus::kRejected;
  n.error_code = rows.Text(r, 6);
  n.reason = rows.Text(r, 7);
  n.body = rows.Text(r, 8);
  n.body_hash = rows.Text(r, 9);
  n.times_received = rows.Int(r, 10);
  n.received_at = rows.Int(r, 11);
  n.updated_at = rows.Int(r, 12);
  return n;
}

tp::Connection ReadConnection(const Rows& rows, int r) {
  tp::Connection c;
  c.id = rows.Int(r, 0);
  c.tenant_id = rows.Int(r, 1);
  c.name = rows.Text(r, 2);
  c.username = rows.Text(r, 3);
  c.password_hash = rows.Text(r, 4);
  c.created_at = rows.Int(r, 5);
  c.revoked_at = rows.OptionalInt(r, 6);
  return c;
}

// Sizes and weights are kept as integer thousandths of their unit, so that
// they round-trip exactly without floating-point columns (as on SQLite).
std::optional<int64_t> ToMilli(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  return static_cast<int64_t>(std::llround(*value * 1000.0));
}

std::optional<double> FromMilli(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value) / 1000.0;
}

}  // namespace

Status PgWebhookRepository::InsertConnection(tp::Connection& c) {
  SHIPLINE_PG_QUERY(
      inserted,
      "INSERT INTO threepl_connections (tenant_id, name, username, "
      "password_hash, created_at) VALUES ($1, $2, $3, $4, $5) "
      "ON CONFLICT (username) DO NOTHING RETURNING id",
      Params().Add(c.tenant_id).Add(c.name).Add(c.username).Add(c.password_hash).Add(c.created_at));
  if (inserted.empty()) return Error::Exists("username is taken", "username");
  c.id = inserted.Int(0, 0);
  return Ok();
}

Result<std::optional<tp::Connection>> PgWebhookRepository::FindConnection(
    std::string_view username) {
  SHIPLINE_PG_QUERY(rows, std::string(kConnectionColumns) + "WHERE username = $1",
                    Params().Add(username));
  if (rows.empty()) return std::optional<tp::Connection>();
  return std::optional<tp::Connection>(ReadConnection(rows, 0));
}

Result<std::vector<tp::Connection>> PgWebhookRepository::ListConnections(int64_t tenant_id) {
  SHIPLINE_PG_QUERY(rows, std::string(kConnectionColumns) + "WHERE tenant_id = $1 ORDER BY id",
                    Params().Add(tenant_id));
  std::vector<tp::Connection> out;
  for (int r = 0; r < rows.size(); ++r) out.push_back(ReadConnection(rows, r));
  return out;
}

Result<bool> PgWebhookRepository::RevokeConnection(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_PG_QUERY(revoked,
                    "UPDATE threepl_connections SET revoked_at = $1 "
                    "WHERE tenant_id = $2 AND id = $3 AND revoked_at IS NULL",
                    Params().Add(now).Add(tenant_id).Add(id));
  return revoked.Affected() == 1;
}

Status PgWebhookRepository::RecordNotification(tp::InboundNotification& n) {
  if (n.id != 0) {
    SHIPLINE_PG_QUERY(updated,
                      "UPDATE threepl_notifications SET status = $1, error_code = $2, "
                      "reason = $3, shipment_number = $4, updated_at = $5 "
                      "WHERE tenant_id = $6 AND id = $7",
                      Params()
                          .Add(NotificationStatusText(n.status))
                          .Add(n.error_code)
                          .Add(n.reason)
                          .Add(n.shipment_number)
                          .Add(n.updated_at)
                          .Add(n.tenant_id)
                          .Add(n.id));
    return Ok();
  }
  if (n.status == tp::NotificationStatus::kRejected) {
    SHIPLINE_PG_QUERY(bumped,
                      "UPDATE threepl_notifications SET times_received = times_received + 1, "
                      "error_code = $1, reason = $2, updated_at = $3 "
                      "WHERE tenant_id = $4 AND body_hash = $5 AND status = 'rejected' "
                      "RETURNING id, times_received",
                      Params()
                          .Add(n.error_code)
                          .Add(n.reason)
                          .Add(n.updated_at)
                          .Add(n.tenant_id)
                          .Add(n.body_hash));
    if (!bumped.empty()) {
      n.id = bumped.Int(0, 0);
      n.times_received = bumped.Int(0, 1);
      return Ok();
    }
  }
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO threepl_notifications (tenant_id, connection_id, "
                    "order_number, shipment_number, status, error_code, reason, body, "
                    "body_hash, times_received, received_at, updated_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) RETURNING id",
                    Params()
                        .Add(n.tenant_id)
                        .Add(n.connection_id)
                        .Add(n.order_number)
                        .Add(n.shipment_number)
                        .Add(NotificationStatusText(n.status))
                        .Add(n.error_code)
                        .Add(n.reason)
                        .Add(n.body)
                        .Add(n.body_hash)
                        .Add(n.received_at)
                        .Add(n.updated_at));
  n.id = inserted.Int(0, 0);
  n.times_received = 1;
  return Ok();
}

Result<std::optional<tp::InboundNotification>> PgWebhookRepository::FindNotification(
    int64_t tenant_id, int64_t id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kFindNotification + " FOR NO KEY UPDATE" : kFindNotification,
                    Params().Add(tenant_id).Add(id));
  if (rows.empty()) return std::optional<tp::InboundNotification>();
  return std::optional<tp::InboundNotification>(ReadNotification(rows, 0));
}

Result<std::vector<tp::InboundNotification>> PgWebhookRepository::ListNotifications(
    int64_t tenant_id, std::optional<tp::NotificationStatus> status, int64_t before_id, int limit) {
  Params params;
  params.Add(tenant_id);
  if (status) {
    params.Add(NotificationStatusText(*status));
  } else {
    params.Null();
  }
  params.Add(before_id).Add(static_cast<int64_t>(limit));
  SHIPLINE_PG_QUERY(rows, kListNotifications, params);
  std::vector<tp::InboundNotification> out;
  for (int r = 0; r < rows.size(); ++r) out.push_back(ReadNotification(rows, r));
  return out;
}

Result<int> PgWebhookRepository::InsertPackages(int64_t shipment_id,
                                                const std::vector<domain::Package>& packages) {
  int added = 0;
  for (const auto& p : packages) {
    SHIPLINE_PG_QUERY(inserted,
                      "INSERT INTO shipment_packages (shipment_id, tracking_number, carrier, "
                      "service, tracking_url, weight_milli, weight_unit, length_milli, "
                      "width_milli, height_milli, dimension_unit, shipped_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
                      "ON CONFLICT (shipment_id, tracking_number) DO NOTHING",
                      Params()
                          .Add(shipment_id)
                          .Add(p.tracking_number)
                          .Add(p.carrier)
                          .Add(p.service)
                          .Add(p.tracking_url)
                          .Add(ToMilli(p.weight))
                          .Add(p.weight_unit)
                          .Add(ToMilli(p.length))
                          .Add(ToMilli(p.width))
                          .Add(ToMilli(p.height))
                          .Add(p.dimension_unit)
                          .Add(p.shipped_at));
    added += static_cast<int>(inserted.Affected());
  }
  return added;
}

Result<std::vector<domain::Package>> PgWebhookRepository::ListPackages(int64_t shipment_id) {
  SHIPLINE_PG_QUERY(rows,
                    "SELECT tracking_number, carrier, service, tracking_url, weight_milli, "
                    "weight_unit, length_milli, width_milli, height_milli, dimension_unit, "
                    "shipped_at FROM shipment_packages WHERE shipment_id = $1 ORDER BY id",
                    Params().Add(shipment_id));
  std::vector<domain::Package> out;
  for (int r = 0; r < rows.size(); ++r) {
    domain::Package p;
    p.tracking_number = rows.Text(r, 0);
    p.carrier = rows.Text(r, 1);
    p.service = rows.Text(r, 2);
    p.tracking_url = rows.Text(r, 3);
    p.weight = FromMilli(rows.OptionalInt(r, 4));
    p.weight_unit = rows.Text(r, 5);
    p.length = FromMilli(rows.OptionalInt(r, 6));
    p.width = FromMilli(rows.OptionalInt(r, 7));
    p.height = FromMilli(rows.OptionalInt(r, 8));
    p.dimension_unit = rows.Text(r, 9);
    p.shipped_at = rows.OptionalInt(r, 10);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace shipline::store::postgres
