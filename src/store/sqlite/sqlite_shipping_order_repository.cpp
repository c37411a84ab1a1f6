#include "store/sqlite/sqlite_shipping_order_repository.hpp"

#include "store/sqlite/sqlite_shipping_order_document.hpp"

namespace shipline::store::sqlite {

using domain::ShippingOrder;
using domain::ShippingOrderStatus;

#define SHIPLINE_PREPARE(name, sql)                                \
  auto name##_prepared = db_.Prepare(sql);                         \
  if (!name##_prepared) return std::move(name##_prepared).error(); \
  Statement& name = *name##_prepared

namespace {

constexpr const char* kColumns =
    "SELECT id, tenant_id, public_id, external_id, location_external_id, group_id, status, "
    "sub_status, provider_id, provider_order_id, created_at, last_updated_at, document "
    "FROM so_orders ";

const std::string kByExternalId = std::string(kColumns) + "WHERE tenant_id = ? AND external_id = ?";
const std::string kByProviderOrder = std::string(kColumns) +
                                     "WHERE tenant_id = ? AND provider_id = ? AND "
                                     "provider_order_id = ?";

Status ReadRow(const Statement& row, ShippingOrder& order) {
  order.id = row.Int(0);
  order.tenant_id = row.Int(1);
  order.public_id = row.Text(2);
  order.external_id = row.Text(3);
  order.location_external_id = row.Text(4);
  order.group_id = row.Text(5);
  order.status =
      domain::ParseShippingOrderStatus(row.Text(6)).value_or(ShippingOrderStatus::kRequestReceived);
  order.sub_status = row.Text(7);
  order.provider_order_id = row.Text(9);
  order.created_at = row.Int(10);
  order.last_updated_at = row.Int(11);
  return ReadShippingOrderDocument(row.Text(12), order);
}

// Every row `s` yields, read in place (an order is large: a list page of a
// thousand must not be moved around as the vector grows).
Result<std::vector<ShippingOrder>> ReadAll(Statement& s, size_t expected) {
  std::vector<ShippingOrder> orders;
  orders.reserve(expected);
  for (;;) {
    auto next = s.Step();
    if (!next) return std::move(next).error();
    if (!*next) return orders;
    SHIPLINE_RETURN_IF_ERROR(ReadRow(s, orders.emplace_back()));
  }
}

// Binds an order's columns from position 1: public_id .. document (12 values).
void BindColumns(Statement& s, const ShippingOrder& order) {
  s.Bind(1, order.public_id).Bind(2, order.external_id).Bind(3, order.location_external_id);
  s.BindText(4, order.group_id).Bind(5, domain::ShippingOrderStatusName(order.status));
  s.Bind(6, order.sub_status).BindText(7, order.chosen.provider_id);
  s.BindText(8, order.provider_order_id).Bind(9, order.pickup_time.starts_at);
  s.Bind(10, order.delivery_time.ends_at).Bind(11, order.created_at);
  s.Bind(12, order.last_updated_at).Bind(13, ShippingOrderDocument(order));
}

std::string Placeholders(size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += i == 0 ? "?" : ",?";
  return out;
}

}  // namespace

Result<OwnedStatement> OwnedStatement::Prepare(Connection& db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &raw, nullptr) !=
      SQLITE_OK) {
    Error error = SqliteError(db.handle(), "prepare");
    sqlite3_finalize(raw);
    return error;
  }
  OwnedStatement owned;
  owned.handle_.reset(raw);
  owned.statement_.emplace(db.handle(), raw);
  return owned;
}

Result<std::string> SqliteShippingOrderRepository::TenantName(int64_t tenant_id) {
  SHIPLINE_PREPARE(query, "SELECT name FROM tenants WHERE id = ?");
  query.Bind(1, tenant_id);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  return *row ? query.Text(0) : std::string();
}

Status SqliteShippingOrderRepository::Insert(ShippingOrder& order) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO so_orders (public_id, external_id, location_external_id, "
                   "group_id, status, sub_status, provider_id, provider_order_id, "
                   "pickup_starts_at, delivery_ends_at, created_at, last_updated_at, document, "
                   "tenant_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindColumns(insert, order);
  insert.Bind(14, order.tenant_id);
  if (auto done = insert.Run(); !done) {
    if (insert.UniqueViolation()) {
      return Error::Exists("Resource with provided id already exists: " + order.external_id,
                           "orderExternalId");
    }
    return done;
  }
  order.id = db_.LastInsertId();
  for (const auto& change : order.history)
    SHIPLINE_RETURN_IF_ERROR(AppendHistory(order.id, change));
  return Ok();
}

Status SqliteShippingOrderRepository::Update(const ShippingOrder& order) {
  SHIPLINE_PREPARE(update,
                   "UPDATE so_orders SET public_id = ?, external_id = ?, location_external_id = ?, "
                   "group_id = ?, status = ?, sub_status = ?, provider_id = ?, "
                   "provider_order_id = ?, pickup_starts_at = ?, delivery_ends_at = ?, "
                   "created_at = ?, last_updated_at = ?, document = ? WHERE id = ?");
  BindColumns(update, order);
  update.Bind(14, order.id);
  SHIPLINE_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() == 0) return Error::Internal("shipping order vanished: " + order.external_id);
  return Ok();
}

Status SqliteShippingOrderRepository::AppendHistory(int64_t order_id,
                                                    const domain::ShippingStatusChange& change) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO so_status_changes (order_id, status, sub_status, at, actor, note, "
                   "reason_code, reason_title, reason_note) VALUES (?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, order_id).Bind(2, domain::ShippingOrderStatusName(change.status));
  insert.Bind(3, change.sub_status).Bind(4, change.at).Bind(5, change.by).Bind(6, change.note);
  insert.Bind(7, change.reason_code).Bind(8, change.reason_title).Bind(9, change.reason_note);
  return insert.Run();
}

Status SqliteShippingOrderRepository::LoadHistory(ShippingOrder& order) {
  SHIPLINE_PREPARE(history,
                   "SELECT status, sub_status, at, actor, note, reason_code, reason_title, "
                   "reason_note FROM so_status_changes WHERE order_id = ? ORDER BY id");
  history.Bind(1, order.id);
  for (;;) {
    auto next = history.Step();
    if (!next) return std::move(next).error();
    if (!*next) return Ok();
    domain::ShippingStatusChange change;
    change.status = domain::ParseShippingOrderStatus(history.Text(0))
                        .value_or(ShippingOrderStatus::kRequestReceived);
    change.sub_status = history.Text(1);
    change.at = history.Int(2);
    change.by = history.Text(3);
    change.note = history.Text(4);
    change.reason_code = history.Text(5);
    change.reason_title = history.Text(6);
    change.reason_note = history.Text(7);
    order.history.push_back(std::move(change));
  }
}

Result<std::optional<ShippingOrder>> SqliteShippingOrderRepository::Find(
    int64_t tenant_id, std::string_view external_id, bool with_history) {
  SHIPLINE_PREPARE(query, kByExternalId.c_str());
  query.Bind(1, tenant_id).Bind(2, external_id);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<ShippingOrder>();
  std::optional<ShippingOrder> order(std::in_place);
  SHIPLINE_RETURN_IF_ERROR(ReadRow(query, *order));
  if (with_history) SHIPLINE_RETURN_IF_ERROR(LoadHistory(*order));
  return order;
}

Result<std::optional<ShippingOrder>> SqliteShippingOrderRepository::FindByProviderOrder(
    int64_t tenant_id, std::string_view provider_id, std::string_view provider_order_id) {
  SHIPLINE_PREPARE(query, kByProviderOrder.c_str());
  query.Bind(1, tenant_id).Bind(2, provider_id).Bind(3, provider_order_id);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<ShippingOrder>();
  std::optional<ShippingOrder> order(std::in_place);
  SHIPLINE_RETURN_IF_ERROR(ReadRow(query, *order));
  return order;
}

Result<std::vector<ShippingOrder>> SqliteShippingOrderRepository::List(
    const app::ShippingOrderQuery& q) {
  // Statuses and creation times never choose the index (the unary +): every
  // page walks an index in (last_updated_at, id) order and stops after
  // `limit` rows.
  std::string sql = kColumns;
  // Without statistics SQLite may walk the (last_updated_at, id) index of
  // every order and check the group or location row by row: pages of one
  // group cost 20 ms instead of 2. The index that holds exactly the rows
  // asked for, already in page order, is named instead.
  if (q.group_id) {
    sql += "INDEXED BY so_orders_group ";
  } else if (q.location_ids.size() == 1 && q.external_ids.empty()) {
    sql += "INDEXED BY so_orders_location ";
  }
  sql += "WHERE tenant_id = ?";
  if (!q.external_ids.empty())
    sql += " AND external_id IN (" + Placeholders(q.external_ids.size()) + ")";
  if (!q.location_ids.empty()) {
    sql += " AND location_external_id IN (" + Placeholders(q.location_ids.size()) + ")";
  }
  if (!q.statuses.empty()) sql += " AND +status IN (" + Placeholders(q.statuses.size()) + ")";
  if (q.group_id) sql += " AND group_id = ?";
  if (q.last_updated.starts_at) sql += " AND last_updated_at >= ?";
  if (q.last_updated.ends_at) sql += " AND last_updated_at <= ?";
  if (q.created.starts_at) sql += " AND +created_at >= ?";
  if (q.created.ends_at) sql += " AND +created_at <= ?";
  if (q.pickup_from) sql += " AND pickup_starts_at >= ?";
  if (q.delivery_until) sql += " AND delivery_ends_at <= ?";
  if (q.after) sql += " AND (last_updated_at, id) > (?, ?)";
  if (q.before) sql += " AND (last_updated_at, id) < (?, ?)";
  sql += q.before ? " ORDER BY last_updated_at DESC, id DESC" : " ORDER BY last_updated_at, id";
  sql += " LIMIT ?";

  auto prepared = OwnedStatement::Prepare(db_, sql);
  if (!prepared) return std::move(prepared).error();
  Statement& s = **prepared;
  int at = 1;
  s.Bind(at++, q.tenant_id);
  for (const auto& id : q.external_ids) s.Bind(at++, id);
  for (const auto& id : q.location_ids) s.Bind(at++, id);
  for (auto status : q.statuses) s.Bind(at++, domain::ShippingOrderStatusName(status));
  if (q.group_id) s.Bind(at++, *q.group_id);
  if (q.last_updated.starts_at) s.Bind(at++, *q.last_updated.starts_at);
  if (q.last_updated.ends_at) s.Bind(at++, *q.last_updated.ends_at);
  if (q.created.starts_at) s.Bind(at++, *q.created.starts_at);
  if (q.created.ends_at) s.Bind(at++, *q.created.ends_at);
  if (q.pickup_from) s.Bind(at++, *q.pickup_from);
  if (q.delivery_until) s.Bind(at++, *q.delivery_until);
  for (const auto& key : {q.after, q.before}) {
    if (!key) continue;
    s.Bind(at, key->last_updated_at).Bind(at + 1, key->id);
    at += 2;
  }
  s.Bind(at, static_cast<int64_t>(q.limit));
  return ReadAll(s, static_cast<size_t>(q.limit));
}

Result<std::vector<ShippingOrder>> SqliteShippingOrderRepository::ListInFlight(
    int64_t tenant_id, const std::vector<std::string>& provider_ids, int64_t after_id, int limit) {
  if (provider_ids.empty()) return std::vector<ShippingOrder>();
  std::string sql = std::string(kColumns) + "WHERE tenant_id = ? AND provider_id IN (" +
                    Placeholders(provider_ids.size()) +
                    ") AND status IN ('ORDER_DISPATCHED', 'PICKUP_STARTED', 'PICKUP_COMPLETED', "
                    "'OUT_FOR_DELIVERY') AND id > ? ORDER BY id LIMIT ?";
  auto prepared = OwnedStatement::Prepare(db_, sql);
  if (!prepared) return std::move(prepared).error();
  Statement& s = **prepared;
  int at = 1;
  s.Bind(at++, tenant_id);
  for (const auto& id : provider_ids) s.Bind(at++, id);
  s.Bind(at, after_id).Bind(at + 1, static_cast<int64_t>(limit));
  return ReadAll(s, static_cast<size_t>(limit));
}

}  // namespace shipline::store::sqlite
