#include "store/postgres/pg_shipping_order_repository.hpp"

#include "store/sqlite/sqlite_shipping_order_document.hpp"

namespace shipline::store::postgres {

using domain::ShippingOrder;
using domain::ShippingOrderStatus;

namespace {

// The document format is the same on both backends; its code lives with the
// SQLite store, where it started.
using sqlite::ReadShippingOrderDocument;
using sqlite::ShippingOrderDocument;

const std::string kColumns =
    "SELECT id, tenant_id, public_id, external_id, location_external_id, group_id, status, "
    "sub_status, provider_id, provider_order_id, created_at, last_updated_at, document "
    "FROM so_orders ";

const std::string kByExternalId = kColumns + "WHERE tenant_id = $1 AND external_id = $2";
const std::string kByProviderOrder =
    kColumns + "WHERE tenant_id = $1 AND provider_id = $2 AND provider_order_id = $3";
const std::string kLock = " FOR NO KEY UPDATE";

Status ReadRow(const Rows& rows, int r, ShippingOrder& order) {
  order.id = rows.Int(r, 0);
  order.tenant_id = rows.Int(r, 1);
  order.public_id = rows.Text(r, 2);
  order.external_id = rows.Text(r, 3);
  order.location_external_id = rows.Text(r, 4);
  order.group_id = rows.Text(r, 5);
  order.status = domain::ParseShippingOrderStatus(rows.Text(r, 6))
                     .value_or(ShippingOrderStatus::kRequestReceived);
  order.sub_status = rows.Text(r, 7);
  order.provider_order_id = rows.Text(r, 9);
  order.created_at = rows.Int(r, 10);
  order.last_updated_at = rows.Int(r, 11);
  return ReadShippingOrderDocument(rows.Text(r, 12), order);
}

// Read in place: an order is large, and a list page holds a thousand.
Result<std::vector<ShippingOrder>> ReadRows(const Rows& rows) {
  std::vector<ShippingOrder> orders(static_cast<size_t>(rows.size()));
  for (int r = 0; r < rows.size(); ++r) {
    SHIPLINE_RETURN_IF_ERROR(ReadRow(rows, r, orders[static_cast<size_t>(r)]));
  }
  return orders;
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

// Appends " AND <column> <op> $n" and the value, numbering as it goes.
class Filter {
 public:
  Filter(std::string& sql, Params& params) : sql_(sql), params_(params) {}

  void Add(const char* condition, int64_t value) {
    params_.Add(value);
    sql_ += " AND ";
    sql_ += Placeholder(condition);
  }
  void Add(const char* condition, const std::string& value) {
    params_.Add(value);
    sql_ += " AND ";
    sql_ += Placeholder(condition);
  }
  void AddList(const char* column, const std::vector<std::string>& values) {
    params_.TextArray(values);
    sql_ +=
        std::string(" AND ") + column + " = ANY($" + std::to_string(params_.size()) + "::text[])";
  }

 private:
  // `condition` names its one parameter "$": replaced by its number.
  std::string Placeholder(const char* condition) {
    std::string text = condition;
    text.replace(text.find('$'), 1, "$" + std::to_string(params_.size()));
    return text;
  }

  std::string& sql_;
  Params& params_;
};

}  // namespace

Result<std::string> PgShippingOrderRepository::TenantName(int64_t tenant_id) {
  SHIPLINE_PG_QUERY(rows, "SELECT name FROM tenants WHERE id = $1", Params().Add(tenant_id));
  return rows.empty() ? std::string() : rows.Text(0, 0);
}

Status PgShippingOrderRepository::Insert(ShippingOrder& order) {
  Params params = ColumnParams(order);
  params.Add(order.tenant_id);
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO so_orders (public_id, external_id, location_external_id, "
                    "group_id, status, sub_status, provider_id, provider_order_id, "
                    "pickup_starts_at, delivery_ends_at, created_at, last_updated_at, document, "
                    "tenant_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                    "$14) ON CONFLICT (tenant_id, external_id) DO NOTHING RETURNING id",
                    params);
  if (inserted.empty()) {
    return Error::Exists("Resource with provided id already exists: " + order.external_id,
                         "orderExternalId");
  }
  order.id = inserted.Int(0, 0);
  for (const auto& change : order.history) {
    SHIPLINE_RETURN_IF_ERROR(AppendHistory(order.id, change));
  }
  return Ok();
}

Status PgShippingOrderRepository::Update(const ShippingOrder& order) {
  Params params = ColumnParams(order);
  params.Add(order.id);
  SHIPLINE_PG_QUERY(updated,
                    "UPDATE so_orders SET public_id = $1, external_id = $2, "
                    "location_external_id = $3, group_id = $4, status = $5, sub_status = $6, "
                    "provider_id = $7, provider_order_id = $8, pickup_starts_at = $9, "
                    "delivery_ends_at = $10, created_at = $11, last_updated_at = $12, "
                    "document = $13 WHERE id = $14",
                    params);
  if (updated.Affected() == 0) {
    return Error::Internal("shipping order vanished: " + order.external_id);
  }
  return Ok();
}

Status PgShippingOrderRepository::AppendHistory(int64_t order_id,
                                                const domain::ShippingStatusChange& change) {
  SHIPLINE_PG_QUERY(inserted,
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

Status PgShippingOrderRepository::LoadHistory(ShippingOrder& order) {
  SHIPLINE_PG_QUERY(rows,
                    "SELECT status, sub_status, at, actor, note, reason_code, reason_title, "
                    "reason_note FROM so_status_changes WHERE order_id = $1 ORDER BY id",
                    Params().Add(order.id));
  for (int r = 0; r < rows.size(); ++r) {
    domain::ShippingStatusChange change;
    change.status = domain::ParseShippingOrderStatus(rows.Text(r, 0))
                        .value_or(ShippingOrderStatus::kRequestReceived);
    change.sub_status = rows.Text(r, 1);
    change.at = rows.Int(r, 2);
    change.by = rows.Text(r, 3);
    change.note = rows.Text(r, 4);
    change.reason_code = rows.Text(r, 5);
    change.reason_title = rows.Text(r, 6);
    change.reason_note = rows.Text(r, 7);
    order.history.push_back(std::move(change));
  }
  return Ok();
}

Result<std::optional<ShippingOrder>> PgShippingOrderRepository::Find(int64_t tenant_id,
                                                                     std::string_view external_id,
                                                                     bool with_history) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kByExternalId + kLock : kByExternalId,
                    Params().Add(tenant_id).Add(external_id));
  if (rows.empty()) return std::optional<ShippingOrder>();
  std::optional<ShippingOrder> order(std::in_place);
  SHIPLINE_RETURN_IF_ERROR(ReadRow(rows, 0, *order));
  if (with_history) SHIPLINE_RETURN_IF_ERROR(LoadHistory(*order));
  return order;
}

Result<std::optional<ShippingOrder>> PgShippingOrderRepository::FindByProviderOrder(
    int64_t tenant_id, std::string_view provider_id, std::string_view provider_order_id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kByProviderOrder + kLock : kByProviderOrder,
                    Params().Add(tenant_id).Add(provider_id).Add(provider_order_id));
  if (rows.empty()) return std::optional<ShippingOrder>();
  std::optional<ShippingOrder> order(std::in_place);
  SHIPLINE_RETURN_IF_ERROR(ReadRow(rows, 0, *order));
  return order;
}

Result<std::vector<ShippingOrder>> PgShippingOrderRepository::List(
    const app::ShippingOrderQuery& q) {
  // Only the filters given become conditions, so that each page walks an
  // index in (last_updated_at, id) order and stops after `limit` rows. The
  // connection prepares each distinct shape once.
  std::string sql = kColumns + "WHERE tenant_id = $1";
  Params params;
  params.Add(q.tenant_id);
  Filter filter(sql, params);
  if (!q.external_ids.empty()) filter.AddList("external_id", q.external_ids);
  if (!q.location_ids.empty()) filter.AddList("location_external_id", q.location_ids);
  if (!q.statuses.empty()) {
    std::vector<std::string> names;
    for (auto status : q.statuses) names.emplace_back(domain::ShippingOrderStatusName(status));
    filter.AddList("status", names);
  }
  if (q.group_id) filter.Add("group_id = $", *q.group_id);
  if (q.last_updated.starts_at) filter.Add("last_updated_at >= $", *q.last_updated.starts_at);
  if (q.last_updated.ends_at) filter.Add("last_updated_at <= $", *q.last_updated.ends_at);
  if (q.created.starts_at) filter.Add("created_at >= $", *q.created.starts_at);
  if (q.created.ends_at) filter.Add("created_at <= $", *q.created.ends_at);
  if (q.pickup_from) filter.Add("pickup_starts_at >= $", *q.pickup_from);
  if (q.delivery_until) filter.Add("delivery_ends_at <= $", *q.delivery_until);
  for (const auto& [key, op] : {std::pair{q.after, ">"}, std::pair{q.before, "<"}}) {
    if (!key) continue;
    params.Add(key->last_updated_at).Add(key->id);
    sql += std::string(" AND (last_updated_at, id) ") + op + " ($" +
           std::to_string(params.size() - 1) + ", $" + std::to_string(params.size()) + ")";
  }
  sql += q.before ? " ORDER BY last_updated_at DESC, id DESC" : " ORDER BY last_updated_at, id";
  params.Add(static_cast<int64_t>(q.limit));
  sql += " LIMIT $" + std::to_string(params.size());
  SHIPLINE_PG_QUERY(rows, sql, params);
  return ReadRows(rows);
}

Result<std::vector<ShippingOrder>> PgShippingOrderRepository::ListInFlight(
    int64_t tenant_id, const std::vector<std::string>& provider_ids, int64_t after_id, int limit) {
  if (provider_ids.empty()) return std::vector<ShippingOrder>();
  SHIPLINE_PG_QUERY(rows,
                    kColumns +
                        "WHERE tenant_id = $1 AND provider_id = ANY($2::text[]) "
                        "AND status IN ('ORDER_DISPATCHED', 'PICKUP_STARTED', "
                        "'PICKUP_COMPLETED', 'OUT_FOR_DELIVERY') AND id > $3 ORDER BY id LIMIT $4",
                    Params()
                        .Add(tenant_id)
                        .TextArray(provider_ids)
                        .Add(after_id)
                        .Add(static_cast<int64_t>(limit)));
  return ReadRows(rows);
}

}  // namespace shipline::store::postgres
