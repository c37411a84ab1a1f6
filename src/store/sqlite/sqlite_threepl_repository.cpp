// The inbound 3PL half of SqliteWebhookRepository: connections, received
// notifications and shipment packages (the outbound half is in
// sqlite_webhook_repository.cpp).

#include <cmath>

#include "store/sqlite/sqlite_webhook_repository.hpp"

namespace shipline::store::sqlite {

namespace tp = app::threepl;

// Evaluates a Result<Statement> expression into a named statement or returns
// its error.
#define SHIPLINE_WH_PREPARE(name, sql)                             \
  auto name##_prepared = db_.Prepare(sql);                         \
  if (!name##_prepared) return std::move(name##_prepared).error(); \
  Statement& name = *name##_prepared

namespace {

// -- 3PL --------------------------------------------------------------------

constexpr const char* kNotificationColumns =
    "SELECT id, tenant_id, connection_id, order_number, shipment_number, status, error_code, "
    "reason, body, body_hash, times_received, received_at, updated_at FROM threepl_notifications ";
const std::string kFindNotification =
    std::string(kNotificationColumns) + "WHERE tenant_id = ? AND id = ?";
const std::string kListNotifications =
    std::string(kNotificationColumns) +
    "WHERE tenant_id = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 = 0 OR id < ?3) "
    "ORDER BY id DESC LIMIT ?4";

std::string_view NotificationStatusText(tp::NotificationStatus status) {
  return status == tp::NotificationStatus::kApplied ? "applied" : "rejected";
}

tp::InboundNotification ReadNotification(const Statement& row) {
  tp::InboundNotification n;
  n.id = row.Int(0);
  n.tenant_id = row.Int(1);
  n.connection_id = row.Int(2);
  n.order_number = row.Text(3);
  n.shipment_number = row.Text(4);
  n.status = row.Text(5) == "applied" ? tp::NotificationStatus::kApplied
                                      : tp::NotificationStatus::kRejected;
  n.error_code = row.Text(6);
  n.reason = row.Text(7);
  n.body = row.Text(8);
  n.body_hash = row.Text(9);
  n.times_received = row.Int(10);
  n.received_at = row.Int(11);
  n.updated_at = row.Int(12);
  return n;
}

tp::Connection ReadConnection(const Statement& row) {
  tp::Connection c;
  c.id = row.Int(0);
  c.tenant_id = row.Int(1);
  c.name = row.Text(2);
  c.username = row.Text(3);
  c.password_hash = row.Text(4);
  c.created_at = row.Int(5);
  c.revoked_at = row.OptionalInt(6);
  return c;
}

// Sizes and weights are kept as integer thousandths of their unit, so that
// they round-trip exactly without floating-point columns.
std::optional<int64_t> ToMilli(const std::optional<double>& value) {
  if (!value) return std::nullopt;
  return static_cast<int64_t>(std::llround(*value * 1000.0));
}

std::optional<double> FromMilli(const std::optional<int64_t>& value) {
  if (!value) return std::nullopt;
  return static_cast<double>(*value) / 1000.0;
}

}  // namespace

// -- 3PL ---------------------------------------------------------------------

Status SqliteWebhookRepository::InsertConnection(tp::Connection& c) {
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO threepl_connections (tenant_id, name, username, "
                      "password_hash, created_at) VALUES (?, ?, ?, ?, ?)");
  insert.Bind(1, c.tenant_id).Bind(2, c.name).Bind(3, c.username).Bind(4, c.password_hash);
  insert.Bind(5, c.created_at);
  if (auto done = insert.Run(); !done) {
    if (insert.UniqueViolation()) return Error::Exists("username is taken", "username");
    return done;
  }
  c.id = db_.LastInsertId();
  return Ok();
}

Result<std::optional<tp::Connection>> SqliteWebhookRepository::FindConnection(
    std::string_view username) {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT id, tenant_id, name, username, password_hash, created_at, "
                      "revoked_at FROM threepl_connections WHERE username = ?");
  query.Bind(1, username);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<tp::Connection>();
  return std::optional<tp::Connection>(ReadConnection(query));
}

Result<std::vector<tp::Connection>> SqliteWebhookRepository::ListConnections(int64_t tenant_id) {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT id, tenant_id, name, username, password_hash, created_at, "
                      "revoked_at FROM threepl_connections WHERE tenant_id = ? ORDER BY id");
  query.Bind(1, tenant_id);
  std::vector<tp::Connection> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(ReadConnection(query));
  }
}

Result<bool> SqliteWebhookRepository::RevokeConnection(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_WH_PREPARE(revoke,
                      "UPDATE threepl_connections SET revoked_at = ? "
                      "WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL");
  revoke.Bind(1, now).Bind(2, tenant_id).Bind(3, id);
  SHIPLINE_RETURN_IF_ERROR(revoke.Run());
  return db_.Changes() == 1;
}

Status SqliteWebhookRepository::RecordNotification(tp::InboundNotification& n) {
  if (n.id != 0) {
    SHIPLINE_WH_PREPARE(update,
                        "UPDATE threepl_notifications SET status = ?, error_code = ?, "
                        "reason = ?, shipment_number = ?, updated_at = ? "
                        "WHERE tenant_id = ? AND id = ?");
    update.Bind(1, NotificationStatusText(n.status)).Bind(2, n.error_code);
    update.Bind(3, n.reason).Bind(4, n.shipment_number).Bind(5, n.updated_at);
    update.Bind(6, n.tenant_id).Bind(7, n.id);
    return update.Run();
  }
  if (n.status == tp::NotificationStatus::kRejected) {
    SHIPLINE_WH_PREPARE(bump,
                        "UPDATE threepl_notifications SET times_received = times_received + 1, "
                        "error_code = ?, reason = ?, updated_at = ? "
                        "WHERE tenant_id = ? AND body_hash = ? AND status = 'rejected' "
                        "RETURNING id, times_received");
    bump.Bind(1, n.error_code).Bind(2, n.reason).Bind(3, n.updated_at);
    bump.Bind(4, n.tenant_id).Bind(5, n.body_hash);
    auto row = bump.Step();
    if (!row) return std::move(row).error();
    if (*row) {
      n.id = bump.Int(0);
      n.times_received = bump.Int(1);
      return Ok();
    }
  }
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO threepl_notifications (tenant_id, connection_id, "
                      "order_number, shipment_number, status, error_code, reason, body, "
                      "body_hash, times_received, received_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)");
  insert.Bind(1, n.tenant_id).Bind(2, n.connection_id).Bind(3, n.order_number);
  insert.Bind(4, n.shipment_number).Bind(5, NotificationStatusText(n.status));
  insert.Bind(6, n.error_code).Bind(7, n.reason).Bind(8, n.body).Bind(9, n.body_hash);
  insert.Bind(10, n.received_at).Bind(11, n.updated_at);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());
  n.id = db_.LastInsertId();
  n.times_received = 1;
  return Ok();
}

Result<std::optional<tp::InboundNotification>> SqliteWebhookRepository::FindNotification(
    int64_t tenant_id, int64_t id) {
  SHIPLINE_WH_PREPARE(query, kFindNotification.c_str());
  query.Bind(1, tenant_id).Bind(2, id);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<tp::InboundNotification>();
  return std::optional<tp::InboundNotification>(ReadNotification(query));
}

Result<std::vector<tp::InboundNotification>> SqliteWebhookRepository::ListNotifications(
    int64_t tenant_id, std::optional<tp::NotificationStatus> status, int64_t before_id, int limit) {
  SHIPLINE_WH_PREPARE(query, kListNotifications.c_str());
  query.Bind(1, tenant_id);
  if (status) {
    query.Bind(2, NotificationStatusText(*status));
  } else {
    query.BindNull(2);
  }
  query.Bind(3, before_id).Bind(4, static_cast<int64_t>(limit));
  std::vector<tp::InboundNotification> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(ReadNotification(query));
  }
}

// -- packages ------------------------------------------------------------------

Result<int> SqliteWebhookRepository::InsertPackages(int64_t shipment_id,
                                                    const std::vector<domain::Package>& packages) {
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO shipment_packages (shipment_id, tracking_number, carrier, "
                      "service, tracking_url, weight_milli, weight_unit, length_milli, "
                      "width_milli, height_milli, dimension_unit, shipped_at) "
                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                      "ON CONFLICT (shipment_id, tracking_number) DO NOTHING");
  int added = 0;
  for (const auto& p : packages) {
    insert.Reset();
    insert.Bind(1, shipment_id).Bind(2, p.tracking_number).Bind(3, p.carrier).Bind(4, p.service);
    insert.Bind(5, p.tracking_url).Bind(6, ToMilli(p.weight)).Bind(7, p.weight_unit);
    insert.Bind(8, ToMilli(p.length)).Bind(9, ToMilli(p.width)).Bind(10, ToMilli(p.height));
    insert.Bind(11, p.dimension_unit).Bind(12, p.shipped_at);
    SHIPLINE_RETURN_IF_ERROR(insert.Run());
    added += db_.Changes();
  }
  return added;
}

Result<std::vector<domain::Package>> SqliteWebhookRepository::ListPackages(int64_t shipment_id) {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT tracking_number, carrier, service, tracking_url, weight_milli, "
                      "weight_unit, length_milli, width_milli, height_milli, dimension_unit, "
                      "shipped_at FROM shipment_packages WHERE shipment_id = ? ORDER BY id");
  query.Bind(1, shipment_id);
  std::vector<domain::Package> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    domain::Package p;
    p.tracking_number = query.Text(0);
    p.carrier = query.Text(1);
    p.service = query.Text(2);
    p.tracking_url = query.Text(3);
    p.weight = FromMilli(query.OptionalInt(4));
    p.weight_unit = query.Text(5);
    p.length = FromMilli(query.OptionalInt(6));
    p.width = FromMilli(query.OptionalInt(7));
    p.height = FromMilli(query.OptionalInt(8));
    p.dimension_unit = query.Text(9);
    p.shipped_at = query.OptionalInt(10);
    out.push_back(std::move(p));
  }
}

}  // namespace shipline::store::sqlite
