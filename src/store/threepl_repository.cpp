#include "store/threepl_repository.hpp"

#include <cmath>

#include "store/ship_from_columns.hpp"
#include "store/webhook_rows.hpp"

namespace shipline::store {

namespace tp = app::threepl;
using sql::Params;

namespace {

constexpr const char* kConnectionColumns =
    "SELECT id, tenant_id, name, username, password_hash, created_at, revoked_at "
    "FROM threepl_connections ";

const std::string kNotificationColumns =
    "SELECT id, tenant_id, connection_id, order_number, shipment_number, status, error_code, "
    "reason, body, body_hash, times_received, received_at, updated_at "
    "FROM threepl_notifications ";
const std::string kFindNotification = kNotificationColumns + "WHERE tenant_id = $1 AND id = $2";
// $2: a status or NULL for every status; $3: the id to list below, 0 for none.
const std::string kListNotifications =
    kNotificationColumns +
    "WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) "
    "AND (CAST($3 AS BIGINT) = 0 OR id < $3) ORDER BY id DESC LIMIT $4";

std::string_view NotificationStatusText(tp::NotificationStatus status) {
  return status == tp::NotificationStatus::kApplied ? "applied" : "rejected";
}

tp::InboundNotification ReadNotification(const sql::Rows& row) {
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

tp::Connection ReadConnection(const sql::Rows& row) {
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

domain::Package ReadPackage(const sql::Rows& row) {
  domain::Package p;
  p.tracking_number = row.Text(0);
  p.carrier = row.Text(1);
  p.service = row.Text(2);
  p.tracking_url = row.Text(3);
  p.weight = FromMilli(row.OptionalInt(4));
  p.weight_unit = row.Text(5);
  p.length = FromMilli(row.OptionalInt(6));
  p.width = FromMilli(row.OptionalInt(7));
  p.height = FromMilli(row.OptionalInt(8));
  p.dimension_unit = row.Text(9);
  p.shipped_at = row.OptionalInt(10);
  return p;
}

}  // namespace

Status ThreePlRepository::InsertConnection(tp::Connection& c) {
  // ON CONFLICT keeps the transaction usable: a taken username is an answer.
  SHIPLINE_SQL_INSERT(
      inserted, db_,
      "INSERT INTO threepl_connections (tenant_id, name, username, password_hash, created_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING",
      Params().Add(c.tenant_id).Add(c.name).Add(c.username).Add(c.password_hash).Add(c.created_at));
  if (!inserted) return Error::Exists("username is taken", "username");
  c.id = *inserted;
  return Ok();
}

Result<std::optional<tp::Connection>> ThreePlRepository::FindConnection(std::string_view username) {
  SHIPLINE_SQL_QUERY(row, db_, std::string(kConnectionColumns) + "WHERE username = $1",
                     Params().Add(username));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<tp::Connection>();
  return std::optional<tp::Connection>(ReadConnection(row));
}

Result<std::vector<tp::Connection>> ThreePlRepository::ListConnections(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     std::string(kConnectionColumns) + "WHERE tenant_id = $1 ORDER BY id",
                     Params().Add(tenant_id));
  return ReadAll(rows, ReadConnection);
}

Result<bool> ThreePlRepository::RevokeConnection(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_SQL_EXECUTE(revoked, db_,
                       "UPDATE threepl_connections SET revoked_at = $1 "
                       "WHERE tenant_id = $2 AND id = $3 AND revoked_at IS NULL",
                       Params().Add(now).Add(tenant_id).Add(id));
  return revoked == 1;
}

Status ThreePlRepository::ReplacePasswordHash(int64_t id, std::string_view old_hash,
                                              std::string_view new_hash) {
  SHIPLINE_SQL_EXECUTE(replaced, db_,
                       "UPDATE threepl_connections SET password_hash = $1 "
                       "WHERE id = $2 AND password_hash = $3",
                       Params().Add(new_hash).Add(id).Add(old_hash));
  return Ok();
}

Status ThreePlRepository::RecordNotification(tp::InboundNotification& n) {
  if (n.id != 0) {
    SHIPLINE_SQL_EXECUTE(updated, db_,
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
    SHIPLINE_SQL_QUERY(bumped, db_,
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
    SHIPLINE_SQL_NEXT(bumped_one, bumped);
    if (bumped_one) {
      n.id = bumped.Int(0);
      n.times_received = bumped.Int(1);
      return Ok();
    }
  }
  SHIPLINE_SQL_INSERT(inserted, db_,
                      "INSERT INTO threepl_notifications (tenant_id, connection_id, "
                      "order_number, shipment_number, status, error_code, reason, body, "
                      "body_hash, times_received, received_at, updated_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11)",
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
  if (!inserted) return Error::Internal("notification insert inserted no row");
  n.id = *inserted;
  n.times_received = 1;
  return Ok();
}

Result<std::optional<tp::InboundNotification>> ThreePlRepository::FindNotification(
    int64_t tenant_id, int64_t id) {
  SHIPLINE_SQL_QUERY(row, db_, kFindNotification + db_.RowLock(), Params().Add(tenant_id).Add(id));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<tp::InboundNotification>();
  return std::optional<tp::InboundNotification>(ReadNotification(row));
}

Result<std::vector<tp::InboundNotification>> ThreePlRepository::ListNotifications(
    int64_t tenant_id, std::optional<tp::NotificationStatus> status, int64_t before_id, int limit) {
  Params params;
  params.Add(tenant_id);
  if (status) {
    params.Add(NotificationStatusText(*status));
  } else {
    params.Null();
  }
  params.Add(before_id).Add(limit);
  SHIPLINE_SQL_QUERY(rows, db_, kListNotifications, params);
  return ReadAll(rows, ReadNotification);
}

Result<int> ThreePlRepository::InsertPackages(int64_t shipment_id,
                                              const std::vector<domain::Package>& packages) {
  int added = 0;
  for (const auto& p : packages) {
    SHIPLINE_SQL_EXECUTE(inserted, db_,
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
    added += static_cast<int>(inserted);
  }
  return added;
}

Result<std::vector<domain::Package>> ThreePlRepository::ListPackages(int64_t shipment_id) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT tracking_number, carrier, service, tracking_url, weight_milli, "
                     "weight_unit, length_milli, width_milli, height_milli, dimension_unit, "
                     "shipped_at FROM shipment_packages WHERE shipment_id = $1 ORDER BY id",
                     Params().Add(shipment_id));
  return ReadAll(rows, ReadPackage);
}

Status ThreePlRepository::SaveReport(int64_t shipment_id, const tp::ShipmentReport& report) {
  if (!report.ship_from.Empty() || !report.pallets.empty()) {
    // A later notification that leaves one of them out keeps the earlier.
    SHIPLINE_SQL_EXECUTE(
        upserted, db_,
        "INSERT INTO shipment_reports (shipment_id, " + std::string(kShipFromColumns) +
            ", pallets) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
            "ON CONFLICT (shipment_id) DO UPDATE SET pallets = CASE WHEN excluded.pallets = '' "
            "THEN shipment_reports.pallets ELSE excluded.pallets END" +
            (report.ship_from.Empty() ? std::string() : ", " + ShipFromUpdate()),
        AddShipFrom(Params().Add(shipment_id), report.ship_from).Add(report.pallets));
  }
  for (const auto& [sku, serial_numbers] : report.serial_numbers) {
    SHIPLINE_SQL_EXECUTE(upserted, db_,
                         "INSERT INTO shipment_serial_numbers (shipment_id, sku, serial_numbers) "
                         "VALUES ($1, $2, $3) ON CONFLICT (shipment_id, sku) DO UPDATE SET "
                         "serial_numbers = excluded.serial_numbers",
                         Params().Add(shipment_id).Add(sku).Add(serial_numbers));
  }
  return Ok();
}

Result<tp::ShipmentReport> ThreePlRepository::FindReport(int64_t shipment_id) {
  tp::ShipmentReport report;
  SHIPLINE_SQL_QUERY(row, db_,
                     "SELECT " + std::string(kShipFromColumns) +
                         ", pallets FROM shipment_reports WHERE shipment_id = $1",
                     Params().Add(shipment_id));
  SHIPLINE_SQL_NEXT(found, row);
  if (found) {
    report.ship_from = ReadShipFrom(row, 0);
    report.pallets = row.Text(10);
  }
  SHIPLINE_SQL_QUERY(serials, db_,
                     "SELECT sku, serial_numbers FROM shipment_serial_numbers "
                     "WHERE shipment_id = $1 ORDER BY sku",
                     Params().Add(shipment_id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, serials);
    if (!more) break;
    report.serial_numbers.emplace_back(serials.Text(0), serials.Text(1));
  }
  return report;
}

Status ThreePlRepository::ResizeShipmentItem(int64_t shipment_id,
                                             const domain::ShipmentItem& item) {
  std::string component = item.bundle_sku.empty() ? std::string() : item.sku;
  auto params = Params().Add(shipment_id).Add(item.line_item_id).Add(component);
  if (item.quantity <= 0) {
    SHIPLINE_SQL_EXECUTE(deleted, db_,
                         "DELETE FROM shipment_items WHERE shipment_id = $1 AND line_item_id = $2 "
                         "AND component_sku = $3",
                         params);
    return Ok();
  }
  SHIPLINE_SQL_EXECUTE(updated, db_,
                       "UPDATE shipment_items SET quantity = $4 WHERE shipment_id = $1 "
                       "AND line_item_id = $2 AND component_sku = $3",
                       params.Add(item.quantity));
  return Ok();
}

}  // namespace shipline::store
