#include "store/order_queries.hpp"

#include <algorithm>
#include <map>

#include "store/order_rows.hpp"
#include "store/sql/conditions.hpp"

namespace shipline::store {

using app::Keyset;
using app::SortTime;
using sql::Conditions;
using sql::Params;

namespace {

// Order numbers hold letters, digits and "-_./" only (domain::IsValidReference),
// all below this byte: [prefix, prefix + kAfterReference) is exactly the
// numbers that start with prefix, a range both engines read from an index
// (PostgreSQL under the C collation, as shipline's databases are created).
constexpr char kAfterReference = '\x7f';

std::string SortColumn(char alias, SortTime sort) {
  std::string column(1, alias);
  switch (sort) {
    case SortTime::kCreated:
      return column + ".created_at";
    case SortTime::kUpdated:
      return column + ".updated_at";
    case SortTime::kShipped:
      return column + ".shipped_at";
  }
  return column + ".created_at";
}

void AddRange(Conditions& where, const std::string& column, const app::TimeRange& range) {
  if (range.from) where.Add(column + " >=", *range.from);
  if (range.to) where.Add(column + " <=", *range.to);
}

// Appends the keyset bound, the order and the limit, and reads the keys.
Result<std::vector<Keyset>> ReadKeys(sql::Db& db, std::string sql, Params& params,
                                     const std::string& sort, char alias,
                                     const std::optional<Keyset>& after, int limit) {
  Conditions where(sql, params);
  std::string id = std::string(1, alias) + ".id";
  if (after) where.Key(sort + ", " + id, "<", after->at, after->id);
  params.Add(limit);
  sql += " ORDER BY " + sort + " DESC, " + id + " DESC LIMIT $" + std::to_string(params.size());
  SHIPLINE_SQL_QUERY(rows, db, sql, params);
  std::vector<Keyset> keys;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    keys.push_back({rows.Int(0), rows.Int(1)});
  }
  return keys;
}

// Runs `one` once without a value, or once per value, and keeps the newest
// `limit` keys of all.
template <typename OneRange>
Result<std::vector<Keyset>> MergedKeys(const std::vector<std::string>& values, size_t limit,
                                       OneRange one) {
  if (values.empty()) return one(nullptr);
  std::vector<Keyset> keys;
  for (const auto& value : values) {
    auto part = one(&value);
    if (!part) return std::move(part).error();
    keys.insert(keys.end(), part->begin(), part->end());
  }
  std::sort(keys.begin(), keys.end(), [](const Keyset& a, const Keyset& b) {
    return a.at != b.at ? a.at > b.at : a.id > b.id;
  });
  if (keys.size() > limit) keys.resize(limit);
  return keys;
}

std::vector<int64_t> Ids(const std::vector<Keyset>& keys) {
  std::vector<int64_t> ids;
  for (const auto& key : keys) ids.push_back(key.id);
  return ids;
}

// Puts `rows` (read in any order) in the order of `keys`.
template <typename T>
std::vector<T> InKeyOrder(std::vector<T> rows, const std::vector<Keyset>& keys) {
  std::map<int64_t, size_t> position;
  for (size_t i = 0; i < keys.size(); ++i) position[keys[i].id] = i;
  std::sort(rows.begin(), rows.end(),
            [&](const T& a, const T& b) { return position[a.id] < position[b.id]; });
  return rows;
}

}  // namespace

Result<std::vector<domain::Order>> QueryRepository::ListOrders(const app::OrderListQuery& q) {
  auto keys = MergedKeys(q.states, static_cast<size_t>(q.limit),
                         [&](const std::string* state) { return OrderKeys(q, state); });
  if (!keys) return std::move(keys).error();
  return LoadOrders(*keys);
}

Result<std::vector<Keyset>> QueryRepository::OrderKeys(const app::OrderListQuery& q,
                                                       const std::string* state) {
  bool by_created = q.sort == SortTime::kCreated;
  // The index whose range holds the fewest rows besides the page's: a
  // customer's orders, then a number prefix's, a state's, a store's.
  std::string index;
  if (q.email_key) {
    index = "orders_email_created";
  } else if (q.number_prefix) {
    index = "orders_number";
  } else if (state != nullptr) {
    index = by_created ? "orders_state_created" : "orders_state_updated";
  } else if (q.store && by_created) {
    index = "orders_store_created";
  } else {
    index = by_created ? "orders_created" : "orders_updated";
  }
  std::string sort = SortColumn('o', q.sort);
  std::string sql =
      "SELECT " + sort + ", o.id FROM orders o" + db_.IndexHint(index) + " WHERE o.tenant_id = $1";
  Params params;
  params.Add(q.tenant_id);
  Conditions where(sql, params);
  if (q.email_key) where.Add("o.customer_email_key =", *q.email_key);
  if (q.number_prefix) {
    where.Add("o.order_number >=", *q.number_prefix);
    where.Add("o.order_number <", *q.number_prefix + kAfterReference);
  }
  if (state != nullptr) where.Add("o.shipping_state =", *state);
  if (q.store) where.Add("o.store =", *q.store);
  AddRange(where, "o.created_at", q.created);
  AddRange(where, "o.updated_at", q.updated);
  return ReadKeys(db_, std::move(sql), params, sort, 'o', q.after, q.limit);
}

Result<std::vector<domain::Order>> QueryRepository::LoadOrders(const std::vector<Keyset>& keys) {
  std::vector<domain::Order> orders;
  if (keys.empty()) return orders;
  std::string sql = "SELECT " + kOrderFields + " FROM orders o WHERE TRUE";
  Params params;
  Conditions(sql, params).In("o.id", Ids(keys));
  SHIPLINE_SQL_QUERY(rows, db_, sql, params);
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    ReadOrderHeader(rows, 0, orders.emplace_back());
  }
  orders = InKeyOrder(std::move(orders), keys);
  SHIPLINE_RETURN_IF_ERROR(LoadOrderParts(orders));
  return orders;
}

// Line items with their components, and shipments with their items, of every
// order of a page: one statement each.
Status QueryRepository::LoadOrderParts(std::vector<domain::Order>& orders) {
  std::vector<int64_t> ids;
  std::map<int64_t, domain::Order*> by_id;
  for (auto& order : orders) {
    ids.push_back(order.id);
    by_id[order.id] = &order;
  }
  std::map<int64_t, domain::LineItem*> lines;
  {
    std::string sql =
        "SELECT li.order_id, li.id, li.sku, li.title, li.quantity, li.unit_price "
        "FROM line_items li WHERE TRUE";
    Params params;
    Conditions(sql, params).In("li.order_id", ids);
    sql += " ORDER BY li.order_id, li.position";
    SHIPLINE_SQL_QUERY(rows, db_, sql, params);
    for (;;) {
      SHIPLINE_SQL_NEXT(more, rows);
      if (!more) break;
      by_id[rows.Int(0)]->line_items.push_back(
          {rows.Int(1), rows.Text(2), rows.Text(3), rows.Int(4), rows.Int(5)});
    }
    for (auto& order : orders) {
      for (auto& line : order.line_items) lines[line.id] = &line;
    }
  }
  {
    std::string sql =
        "SELECT c.line_item_id, c.sku, c.quantity FROM line_item_components c "
        "JOIN line_items li ON li.id = c.line_item_id WHERE TRUE";
    Params params;
    Conditions(sql, params).In("li.order_id", ids);
    sql += " ORDER BY c.line_item_id, c.position";
    SHIPLINE_SQL_QUERY(rows, db_, sql, params);
    for (;;) {
      SHIPLINE_SQL_NEXT(more, rows);
      if (!more) break;
      lines[rows.Int(0)]->components.push_back({rows.Text(1), rows.Int(2)});
    }
  }
  {
    std::string sql = "SELECT " + kShipmentFields + kShipmentFrom + "WHERE TRUE";
    Params params;
    Conditions(sql, params).In("s.order_id", ids);
    sql += " ORDER BY s.order_id, s.id";
    SHIPLINE_SQL_QUERY(rows, db_, sql, params);
    for (;;) {
      SHIPLINE_SQL_NEXT(more, rows);
      if (!more) break;
      domain::Shipment shipment;
      ReadShipmentRow(rows, shipment);
      by_id[shipment.order_id]->shipments.push_back(std::move(shipment));
    }
  }
  std::vector<domain::Shipment*> shipments;
  for (auto& order : orders) {
    for (auto& shipment : order.shipments) shipments.push_back(&shipment);
  }
  return LoadShipmentItems(shipments);
}

Status QueryRepository::LoadShipmentItems(std::vector<domain::Shipment*>& shipments) {
  if (shipments.empty()) return Ok();
  std::vector<int64_t> ids;
  std::map<int64_t, domain::Shipment*> by_id;
  for (auto* shipment : shipments) {
    ids.push_back(shipment->id);
    by_id[shipment->id] = shipment;
  }
  std::string sql = "SELECT " + kItemFields +
                    ", si.shipment_id FROM shipment_items si "
                    "JOIN line_items li ON li.id = si.line_item_id WHERE TRUE";
  Params params;
  Conditions(sql, params).In("si.shipment_id", ids);
  sql += " ORDER BY si.shipment_id, li.position, si.id";
  SHIPLINE_SQL_QUERY(rows, db_, sql, params);
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    by_id[rows.Int(kItemFieldCount)]->items.push_back(ReadShipmentItem(rows));
  }
  return Ok();
}

Result<std::vector<domain::Shipment>> QueryRepository::ListShipments(
    const app::ShipmentListQuery& q) {
  auto keys = MergedKeys(q.statuses, static_cast<size_t>(q.limit),
                         [&](const std::string* status) { return ShipmentKeys(q, status); });
  if (!keys) return std::move(keys).error();
  return LoadShipments(*keys);
}

Result<std::vector<Keyset>> QueryRepository::ShipmentKeys(const app::ShipmentListQuery& q,
                                                          const std::string* status) {
  // As for orders: an exact tracking number or order holds a handful of
  // shipments; then a status's range, a carrier's, or all of them.
  std::string index;
  if (q.tracking) {
    index = "shipments_tracking";
  } else if (q.order) {
    index = "shipments_order";
  } else if (status != nullptr && q.sort != SortTime::kShipped) {
    index = q.sort == SortTime::kCreated ? "shipments_status_created" : "shipments_status_updated";
  } else if (q.carrier && q.sort == SortTime::kCreated) {
    index = "shipments_carrier_created";
  } else {
    index = q.sort == SortTime::kCreated   ? "shipments_created"
            : q.sort == SortTime::kUpdated ? "shipments_updated"
                                           : "shipments_shipped";
  }
  std::string sort = SortColumn('s', q.sort);
  std::string sql = "SELECT " + sort + ", s.id FROM shipments s" + db_.IndexHint(index) +
                    " WHERE s.tenant_id = $1";
  Params params;
  params.Add(q.tenant_id);
  Conditions where(sql, params);
  if (q.tracking) where.Add("s.tracking_number =", *q.tracking);
  if (q.order) {
    where.Add("s.order_id = (SELECT id FROM orders WHERE tenant_id = $1 AND order_number =",
              *q.order);
    sql += ")";
  }
  if (status != nullptr) where.Add("s.status =", *status);
  if (q.carrier) where.Add("s.carrier =", *q.carrier);
  AddRange(where, "s.shipped_at", q.shipped);
  AddRange(where, "s.updated_at", q.updated);
  return ReadKeys(db_, std::move(sql), params, sort, 's', q.after, q.limit);
}

Result<std::vector<domain::Shipment>> QueryRepository::LoadShipments(
    const std::vector<Keyset>& keys) {
  std::vector<domain::Shipment> shipments;
  if (keys.empty()) return shipments;
  std::string sql = "SELECT " + kShipmentFields + kShipmentFrom + "WHERE TRUE";
  Params params;
  Conditions(sql, params).In("s.id", Ids(keys));
  SHIPLINE_SQL_QUERY(rows, db_, sql, params);
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    ReadShipmentRow(rows, shipments.emplace_back());
  }
  shipments = InKeyOrder(std::move(shipments), keys);
  std::vector<domain::Shipment*> pointers;
  for (auto& shipment : shipments) pointers.push_back(&shipment);
  SHIPLINE_RETURN_IF_ERROR(LoadShipmentItems(pointers));
  return shipments;
}

Result<std::string> QueryRepository::ServerSecret(std::string_view name, std::string_view candidate,
                                                  int64_t now) {
  auto sealed = secrets_.Seal(kServerSecret, candidate);
  if (!sealed) return std::move(sealed).error();
  SHIPLINE_SQL_EXECUTE(inserted, db_,
                       "INSERT INTO server_secrets (name, secret, created_at) VALUES ($1, $2, $3) "
                       "ON CONFLICT (name) DO NOTHING",
                       Params().Add(name).Add(*sealed).Add(now));
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT secret FROM server_secrets WHERE name = $1",
                     Params().Add(name));
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return Error::Internal("server secret missing after insert");
  std::string secret = rows.Text(0);
  SHIPLINE_RETURN_IF_ERROR(secrets_.Open(kServerSecret, secret));
  return secret;
}

}  // namespace shipline::store
