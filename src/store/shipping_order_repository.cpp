#include "store/shipping_order_repository.hpp"

#include <algorithm>

#include "store/shipping_order_document.hpp"
#include "store/sql/conditions.hpp"

namespace shipline::store {

using domain::ShippingOrder;
using domain::ShippingOrderStatus;
using sql::Conditions;
using sql::Params;

namespace {

const std::string kColumns =
    "SELECT id, tenant_id, public_id, external_id, location_external_id, group_id, status, "
    "sub_status, provider_id, provider_order_id, created_at, last_updated_at, document "
    "FROM so_orders";

const std::string kByExternalId = kColumns + " WHERE tenant_id = $1 AND external_id = $2";
const std::string kByProviderOrder =
    kColumns + " WHERE tenant_id = $1 AND provider_id = $2 AND provider_order_id = $3";

ShippingOrderStatus StatusFromText(const std::string& text) {
  return domain::ParseShippingOrderStatus(text).value_or(ShippingOrderStatus::kRequestReceived);
}

Status ReadRow(const sql::Rows& row, ShippingOrder& order) {
  order.id = row.Int(0);
  order.tenant_id = row.Int(1);
  order.public_id = row.Text(2);
  order.external_id = row.Text(3);
  order.location_external_id = row.Text(4);
  order.group_id = row.Text(5);
  order.status = StatusFromText(row.Text(6));
  order.sub_status = row.Text(7);
  order.provider_order_id = row.Text(9);
  order.created_at = row.Int(10);
  order.last_updated_at = row.Int(11);
  return ReadShippingOrderDocument(row.Text(12), order);
}

// Every row of `rows`, read in place (an order is large: a list page of a
// thousand must not be moved around as the vector grows).
Result<std::vector<ShippingOrder>> ReadAll(sql::Rows& rows, int expected) {
  std::vector<ShippingOrder> orders;
  orders.reserve(static_cast<size_t>(expected));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return orders;
    SHIPLINE_RETURN_IF_ERROR(ReadRow(rows, orders.emplace_back()));
  }
}

// An order's columns as parameters $1..$13: public_id .. document.
Params ColumnParams(const ShippingOrder& order) {
  Params params;
  params.Add(order.public_id)
      .Add(order.external_id)
      .Add(order.location_external_id)
      .Text(order.group_id)
      .Add(domain::ShippingOrderStatusName(order.status))
      .Add(order.sub_status)
      .Text(order.chosen.provider_id)
      .Text(order.provider_order_id)
      .Add(order.pickup_time.starts_at)
      .Add(order.delivery_time.ends_at)
      .Add(order.created_at)
      .Add(order.last_updated_at)
      .Add(ShippingOrderDocument(order));
  return params;
}

}  // namespace

Result<std::string> ShippingOrderRepository::TenantName(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT name FROM tenants WHERE id = $1", Params().Add(tenant_id));
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Text(0) : std::string();
}

Status ShippingOrderRepository::Insert(ShippingOrder& order) {
  Params params = ColumnParams(order);
  params.Add(order.tenant_id);
  {
    SHIPLINE_SQL_INSERT(inserted, db_,
                        "INSERT INTO so_orders (public_id, external_id, location_external_id, "
                        "group_id, status, sub_status, provider_id, provider_order_id, "
                        "pickup_starts_at, delivery_ends_at, created_at, last_updated_at, "
                        "document, tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                        "$11, $12, $13, $14) ON CONFLICT (tenant_id, external_id) DO NOTHING ",
                        params);
    if (!inserted) {
      return Error::Exists("Resource with provided id already exists: " + order.external_id,
                           "orderExternalId");
    }
    order.id = *inserted;
  }
  for (const auto& change : order.history) {
    SHIPLINE_RETURN_IF_ERROR(AppendHistory(order.id, change));
  }
  return Ok();
}

Status ShippingOrderRepository::Update(const ShippingOrder& order) {
  Params params = ColumnParams(order);
  params.Add(order.id);
  SHIPLINE_SQL_EXECUTE(updated, db_,
                       "UPDATE so_orders SET public_id = $1, external_id = $2, "
                       "location_external_id = $3, group_id = $4, status = $5, sub_status = $6, "
                       "provider_id = $7, provider_order_id = $8, pickup_starts_at = $9, "
                       "delivery_ends_at = $10, created_at = $11, last_updated_at = $12, "
                       "document = $13 WHERE id = $14",
                       params);
  if (updated == 0) return Error::Internal("shipping order vanished: " + order.external_id);
  return Ok();
}

Status ShippingOrderRepository::AppendHistory(int64_t order_id,
                                              const domain::ShippingStatusChange& change) {
  SHIPLINE_SQL_EXECUTE(inserted, db_,
                       "INSERT INTO so_status_changes (order_id, status, sub_status, at, actor, "
                       "note, reason_code, reason_title, reason_note) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       Params()
                           .Add(order_id)
                           .Add(domain::ShippingOrderStatusName(change.status))
                           .Add(change.sub_status)
                           .Add(change.at)
                           .Add(change.by)
                           .Add(change.note)
                           .Add(change.reason_code)
                           .Add(change.reason_title)
                           .Add(change.reason_note));
  return Ok();
}

Status ShippingOrderRepository::LoadHistory(ShippingOrder& order) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT status, sub_status, at, actor, note, reason_code, reason_title, "
                     "reason_note FROM so_status_changes WHERE order_id = $1 ORDER BY id",
                     Params().Add(order.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) return Ok();
    order.history.push_back({StatusFromText(rows.Text(0)), rows.Text(1), rows.Int(2), rows.Text(3),
                             rows.Text(4), rows.Text(5), rows.Text(6), rows.Text(7)});
  }
}

Result<std::optional<ShippingOrder>> ShippingOrderRepository::FindOne(const std::string& sql,
                                                                      const Params& params) {
  SHIPLINE_SQL_QUERY(row, db_, sql, params);
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<ShippingOrder>();
  std::optional<ShippingOrder> order(std::in_place);
  SHIPLINE_RETURN_IF_ERROR(ReadRow(row, *order));
  return order;
}

Result<std::optional<ShippingOrder>> ShippingOrderRepository::Find(int64_t tenant_id,
                                                                   std::string_view external_id,
                                                                   bool with_history) {
  auto order = FindOne(kByExternalId + db_.RowLock(), Params().Add(tenant_id).Add(external_id));
  if (order && *order && with_history) SHIPLINE_RETURN_IF_ERROR(LoadHistory(**order));
  return order;
}

Result<std::optional<ShippingOrder>> ShippingOrderRepository::FindByProviderOrder(
    int64_t tenant_id, std::string_view provider_id, std::string_view provider_order_id) {
  return FindOne(kByProviderOrder + db_.RowLock(),
                 Params().Add(tenant_id).Add(provider_id).Add(provider_order_id));
}

Result<std::vector<ShippingOrder>> ShippingOrderRepository::List(const app::ShippingOrderQuery& q) {
  // Only the filters given become conditions, so that each page walks an
  // index in (last_updated_at, id) order and stops after `limit` rows; no
  // index holds statuses or creation times, so those never choose one. The
  // connection prepares each distinct shape once.
  std::string sql = kColumns;
  // Without statistics SQLite may walk the (last_updated_at, id) index of
  // every order and check the group or location row by row: pages of one
  // group cost 20 ms instead of 2. The index that holds exactly the rows
  // asked for, already in page order, is named instead (PostgreSQL's
  // planner, which keeps statistics, finds it unaided).
  if (q.group_id) {
    sql += db_.IndexHint("so_orders_group");
  } else if (q.location_ids.size() == 1 && q.external_ids.empty()) {
    sql += db_.IndexHint("so_orders_location");
  }
  sql += " WHERE tenant_id = $1";
  Params params;
  params.Add(q.tenant_id);
  Conditions where(sql, params);
  if (!q.external_ids.empty()) where.In("external_id", q.external_ids);
  if (!q.location_ids.empty()) where.In("location_external_id", q.location_ids);
  if (!q.statuses.empty()) {
    std::vector<std::string> names;
    for (auto status : q.statuses) names.emplace_back(domain::ShippingOrderStatusName(status));
    where.In("status", names);
  }
  if (q.group_id) where.Add("group_id =", *q.group_id);
  if (q.last_updated.starts_at) where.Add("last_updated_at >=", *q.last_updated.starts_at);
  if (q.last_updated.ends_at) where.Add("last_updated_at <=", *q.last_updated.ends_at);
  if (q.created.starts_at) where.Add("created_at >=", *q.created.starts_at);
  if (q.created.ends_at) where.Add("created_at <=", *q.created.ends_at);
  if (q.pickup_from) where.Add("pickup_starts_at >=", *q.pickup_from);
  if (q.delivery_until) where.Add("delivery_ends_at <=", *q.delivery_until);
  if (q.after) where.Key("last_updated_at, id", ">", q.after->last_updated_at, q.after->id);
  if (q.before) where.Key("last_updated_at, id", "<", q.before->last_updated_at, q.before->id);
  sql += q.before ? " ORDER BY last_updated_at DESC, id DESC" : " ORDER BY last_updated_at, id";
  params.Add(q.limit);
  sql += " LIMIT $" + std::to_string(params.size());
  SHIPLINE_SQL_QUERY(rows, db_, sql, params);
  return ReadAll(rows, q.limit);
}

Result<std::vector<ShippingOrder>> ShippingOrderRepository::ListInFlight(
    int64_t tenant_id, const std::vector<std::string>& provider_ids, int64_t after_id, int limit) {
  if (provider_ids.empty()) return std::vector<ShippingOrder>();
  std::string sql = kColumns + " WHERE tenant_id = $1";
  Params params;
  params.Add(tenant_id);
  Conditions where(sql, params);
  where.In("provider_id", provider_ids);
  // The statuses are written out as so_orders_in_flight's own condition, so
  // that both engines can read that partial index.
  sql +=
      " AND status IN ('ORDER_DISPATCHED', 'PICKUP_STARTED', 'PICKUP_COMPLETED', "
      "'OUT_FOR_DELIVERY')";
  where.Add("id >", after_id);
  params.Add(limit);
  sql += " ORDER BY id LIMIT $" + std::to_string(params.size());
  SHIPLINE_SQL_QUERY(rows, db_, sql, params);
  return ReadAll(rows, limit);
}

}  // namespace shipline::store
