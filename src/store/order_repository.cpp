#include "store/order_repository.hpp"

#include <algorithm>

#include "domain/order_rules.hpp"
#include "store/order_rows.hpp"

namespace shipline::store {

using domain::ShipmentStatus;
using sql::Params;

namespace {

const std::string kOrderColumns = "SELECT " + kOrderFields + " FROM orders o ";
const std::string kOrderByNumber = kOrderColumns + "WHERE o.tenant_id = $1 AND o.order_number = $2";
const std::string kOrderById = kOrderColumns + "WHERE o.tenant_id = $1 AND o.id = $2";

const std::string kShipmentColumns = "SELECT " + kShipmentFields + kShipmentFrom;
const std::string kShipmentByNumber =
    kShipmentColumns + "WHERE s.tenant_id = $1 AND s.shipment_number = $2";
const std::string kShipmentsOfOrder = kShipmentColumns + "WHERE s.order_id = $1 ORDER BY s.id";
// The shipment and its order's header in one row.
const std::string kShipmentInOrder = "SELECT " + kShipmentFields + ", " + kOrderFields +
                                     kShipmentFrom +
                                     "WHERE s.tenant_id = $1 AND s.shipment_number = $2";

// An order's shipping state as domain::DeriveShippingState decides it, from
// the shipped counts the store keeps (migration 0012) for `orders.id`: no
// unit shipped is unshipped (or cancelled when every shipment is), a line
// still short of its quantity is partially shipped. The store keeps the state
// in the order's row for the queries to filter on.
std::string ShippingState(const std::string& shipped_units) {
  return "CASE WHEN " + shipped_units +
         " = 0 THEN "
         "CASE WHEN EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id) "
         "AND NOT EXISTS (SELECT 1 FROM shipments s WHERE s.order_id = orders.id "
         "AND s.status <> 'CANCELLED') THEN 'cancelled' ELSE 'unshipped' END "
         "WHEN EXISTS (SELECT 1 FROM line_items li WHERE li.order_id = orders.id "
         "AND li.shipped_quantity < li.quantity) THEN 'partially_shipped' ELSE 'shipped' END";
}

// What a shipment ($1) that moves to SHIPPED adds to its lines' shipped
// counts, each statement touching only the rows of the lines it holds: its
// plain lines' units, and its bundles' component units, then the complete
// sets those make. TouchOrder adds to the order's total.
const std::string kUnitsOfItem =
    "(SELECT CAST(coalesce(sum(si.quantity), 0) AS BIGINT) FROM shipment_items si "
    "WHERE si.shipment_id = $1 AND si.line_item_id = ";
const std::string kShipPlainUnits = "UPDATE line_items SET shipped_quantity = shipped_quantity + " +
                                    kUnitsOfItem +
                                    "line_items.id AND si.component_sku = '') "
                                    "WHERE id IN (SELECT line_item_id FROM shipment_items "
                                    "WHERE shipment_id = $1 AND component_sku = '')";
const std::string kShipComponentUnits =
    "UPDATE line_item_components SET shipped_quantity = shipped_quantity + " + kUnitsOfItem +
    "line_item_components.line_item_id AND si.component_sku = line_item_components.sku) "
    "WHERE line_item_id IN (SELECT line_item_id FROM shipment_items "
    "WHERE shipment_id = $1 AND component_sku <> '')";
const std::string kShipBundleSets =
    "UPDATE line_items SET shipped_quantity = (SELECT min(CASE WHEN c.quantity <= 0 THEN 0 "
    "ELSE c.shipped_quantity / c.quantity END) FROM line_item_components c "
    "WHERE c.line_item_id = line_items.id) "
    "WHERE id IN (SELECT line_item_id FROM shipment_items "
    "WHERE shipment_id = $1 AND component_sku <> '') "
    "AND EXISTS (SELECT 1 FROM line_item_components c WHERE c.line_item_id = line_items.id)";
// All the units of shipment $2.
const std::string kUnitsOfShipment =
    "(SELECT CAST(coalesce(sum(quantity), 0) AS BIGINT) FROM shipment_items "
    "WHERE shipment_id = $2)";

// The components of every line item of an order, or ($1 a shipment's id) of
// those the shipment's items name.
const std::string kComponentsOfOrder =
    "SELECT c.line_item_id, c.sku, c.quantity FROM line_item_components c "
    "JOIN line_items li ON li.id = c.line_item_id "
    "WHERE li.order_id = $1 ORDER BY c.line_item_id, c.position";
// The reads of FindShipmentInOrder after the shipment's own row name the
// shipment by tenant ($1) and number ($2), not by the id that row holds, so
// that they need not wait for its answer (Db::Prefetch).
const std::string kShipmentNamed =
    "SELECT named.id FROM shipments named WHERE named.tenant_id = $1 "
    "AND named.shipment_number = $2";
// The shipment's items and, on each, its line item's title, quantity and price.
const std::string kCompletionLines =
    "SELECT " + kItemFields +
    ", li.title, li.quantity, li.unit_price "
    "FROM shipment_items si JOIN line_items li ON li.id = si.line_item_id "
    "WHERE si.shipment_id = (" +
    kShipmentNamed + ") ORDER BY li.position, si.id";
const std::string kComponentsOfShipment =
    "SELECT c.line_item_id, c.sku, c.quantity FROM line_item_components c "
    "WHERE c.line_item_id IN (SELECT line_item_id FROM shipment_items WHERE shipment_id = (" +
    kShipmentNamed + ")) ORDER BY c.line_item_id, c.position";
// The items that the order's other shipped shipments hold of the bundles the
// shipment names, with those shipments' ids and statuses.
const std::string kShippedBundleItems =
    "SELECT " + kItemFields +
    ", s.id, s.status FROM shipment_items si "
    "JOIN shipments s ON s.id = si.shipment_id "
    "JOIN line_items li ON li.id = si.line_item_id "
    "JOIN shipments mine_s ON mine_s.order_id = s.order_id AND mine_s.id <> s.id "
    "WHERE mine_s.tenant_id = $1 AND mine_s.shipment_number = $2 "
    "AND s.status IN ('SHIPPED', 'DELIVERED') "
    "AND si.line_item_id IN (SELECT mine.line_item_id FROM shipment_items mine "
    "JOIN line_item_components c ON c.line_item_id = mine.line_item_id "
    "WHERE mine.shipment_id = mine_s.id) "
    "ORDER BY s.id, li.position, si.id";

const std::string kInsertLineItem =
    "INSERT INTO line_items (order_id, position, sku, title, quantity, unit_price) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
// ON CONFLICT keeps the transaction usable (see Insert).
const std::string kInsertShipment =
    "INSERT INTO shipments (tenant_id, order_id, shipment_number, status, carrier, "
    "tracking_number, created_at, updated_at, carrier_code, service, package_count, "
    "tracking_url, return_tracking_number, internal_comment, note, dispatched_at, "
    "dispatched_offset_minutes, dispatched_date_only) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
    "$18) "
    "ON CONFLICT (tenant_id, shipment_number) DO NOTHING";

Params ShipmentInsertParams(int64_t tenant_id, const domain::Shipment& shipment) {
  return Params()
      .Add(tenant_id)
      .Add(shipment.order_id)
      .Add(shipment.shipment_number)
      .Add(domain::ShipmentStatusName(shipment.status))
      .Text(shipment.carrier)
      .Text(shipment.tracking_number)
      .Add(shipment.created_at)
      .Add(shipment.updated_at)
      .Add(shipment.carrier_code)
      .Add(shipment.service)
      .Add(shipment.package_count)
      .Add(shipment.tracking_url)
      .Add(shipment.return_tracking_number)
      .Add(shipment.internal_comment)
      .Add(shipment.note)
      .Add(shipment.dispatched_at)
      .Add(int64_t{shipment.dispatched_offset_minutes})
      .Add(int64_t{shipment.dispatched_date_only ? 1 : 0});
}

}  // namespace

Result<std::optional<domain::Order>> OrderRepository::LoadOrder(sql::Rows& row) {
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<domain::Order>();
  domain::Order order;
  ReadOrderHeader(row, 0, order);

  SHIPLINE_SQL_QUERY(lines, db_,
                     "SELECT id, sku, title, quantity, unit_price FROM line_items "
                     "WHERE order_id = $1 ORDER BY position",
                     Params().Add(order.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, lines);
    if (!more) break;
    order.line_items.push_back(
        {lines.Int(0), lines.Text(1), lines.Text(2), lines.Int(3), lines.Int(4)});
  }
  SHIPLINE_RETURN_IF_ERROR(LoadLineComponents(order, kComponentsOfOrder, Params().Add(order.id)));

  SHIPLINE_SQL_QUERY(shipments, db_, kShipmentsOfOrder, Params().Add(order.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, shipments);
    if (!more) break;
    ReadShipmentRow(shipments, order.shipments.emplace_back());
  }
  for (auto& shipment : order.shipments) {
    SHIPLINE_RETURN_IF_ERROR(LoadShipmentItems(shipment));
    SHIPLINE_RETURN_IF_ERROR(LoadShipmentHistory(shipment));
  }
  return std::optional<domain::Order>(std::move(order));
}

Result<std::optional<domain::Order>> OrderRepository::Find(int64_t tenant_id,
                                                           std::string_view order_number) {
  SHIPLINE_SQL_QUERY(row, db_, kOrderByNumber + db_.RowLock(),
                     Params().Add(tenant_id).Add(order_number));
  return LoadOrder(row);
}

Result<std::optional<domain::Order>> OrderRepository::FindById(int64_t tenant_id,
                                                               int64_t order_id) {
  SHIPLINE_SQL_QUERY(row, db_, kOrderById + db_.RowLock(), Params().Add(tenant_id).Add(order_id));
  return LoadOrder(row);
}

Status OrderRepository::LoadLineComponents(domain::Order& order, const std::string& query,
                                           const Params& params) {
  SHIPLINE_SQL_QUERY(components, db_, query, params);
  for (;;) {
    SHIPLINE_SQL_NEXT(more, components);
    if (!more) break;
    for (auto& line : order.line_items) {
      if (line.id == components.Int(0)) {
        line.components.push_back({components.Text(1), components.Int(2)});
      }
    }
  }
  return Ok();
}

Status OrderRepository::LoadShipmentItems(domain::Shipment& shipment) {
  SHIPLINE_SQL_QUERY(items, db_,
                     "SELECT " + kItemFields +
                         " FROM shipment_items si JOIN line_items li ON li.id = si.line_item_id "
                         "WHERE si.shipment_id = $1 ORDER BY li.position, si.id",
                     Params().Add(shipment.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, items);
    if (!more) break;
    shipment.items.push_back(ReadShipmentItem(items));
  }
  return Ok();
}

Status OrderRepository::LoadShipmentHistory(domain::Shipment& shipment) {
  SHIPLINE_SQL_QUERY(history, db_,
                     "SELECT status, at, actor, note FROM status_changes "
                     "WHERE shipment_id = $1 ORDER BY id",
                     Params().Add(shipment.id));
  for (;;) {
    SHIPLINE_SQL_NEXT(more, history);
    if (!more) break;
    shipment.history.push_back({history.Text(0), history.Int(1), history.Text(2), history.Text(3)});
  }
  return Ok();
}

Result<std::optional<domain::Shipment>> OrderRepository::FindShipment(
    int64_t tenant_id, std::string_view shipment_number) {
  SHIPLINE_SQL_QUERY(row, db_, kShipmentByNumber + db_.RowLock("s"),
                     Params().Add(tenant_id).Add(shipment_number));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<domain::Shipment>();
  domain::Shipment shipment;
  ReadShipmentRow(row, shipment);
  SHIPLINE_RETURN_IF_ERROR(LoadShipmentItems(shipment));
  SHIPLINE_RETURN_IF_ERROR(LoadShipmentHistory(shipment));
  return std::optional<domain::Shipment>(std::move(shipment));
}

Result<std::optional<int64_t>> OrderRepository::FindOrderIdOfShipment(int64_t tenant_id,
                                                                      int64_t shipment_id) {
  SHIPLINE_SQL_QUERY(row, db_, "SELECT order_id FROM shipments WHERE tenant_id = $1 AND id = $2",
                     Params().Add(tenant_id).Add(shipment_id));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<int64_t>();
  return std::optional<int64_t>(row.Int(0));
}

Result<std::optional<app::ShipmentInOrder>> OrderRepository::FindShipmentInOrder(
    int64_t tenant_id, std::string_view shipment_number) {
  // One round trip on PostgreSQL: the shipment's row (locked first, inside a
  // write), then what it holds, read in that order. The bundle items are
  // read only when the lines turn out to be bundles; where a prefetch is
  // free of round trips they are started anyway.
  const Params named = Params().Add(tenant_id).Add(shipment_number);
  const std::string shipment_sql = kShipmentInOrder + db_.RowLock("s");
  SHIPLINE_RETURN_IF_ERROR(db_.Prefetch(shipment_sql, named));
  SHIPLINE_RETURN_IF_ERROR(db_.Prefetch(kCompletionLines, named));
  SHIPLINE_RETURN_IF_ERROR(db_.Prefetch(kComponentsOfShipment, named));
  SHIPLINE_RETURN_IF_ERROR(db_.Prefetch(kShippedBundleItems, named));
  SHIPLINE_SQL_QUERY(row, db_, shipment_sql, named);
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<app::ShipmentInOrder>();
  app::ShipmentInOrder result;
  ReadShipmentRow(row, result.shipment);
  ReadOrderHeader(row, kShipmentFieldCount, result.order);
  SHIPLINE_RETURN_IF_ERROR(LoadCompletionLines(result, named));
  SHIPLINE_RETURN_IF_ERROR(LoadLineComponents(result.order, kComponentsOfShipment, named));
  const auto& lines = result.order.line_items;
  if (std::any_of(lines.begin(), lines.end(), domain::IsBundle)) {
    SHIPLINE_RETURN_IF_ERROR(LoadShippedBundleItems(result, named));
  }
  return std::optional<app::ShipmentInOrder>(std::move(result));
}

// The shipment's items and, once each, the line items they name.
Status OrderRepository::LoadCompletionLines(app::ShipmentInOrder& found, const Params& named) {
  SHIPLINE_SQL_QUERY(items, db_, kCompletionLines, named);
  auto& lines = found.order.line_items;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, items);
    if (!more) break;
    domain::ShipmentItem item = ReadShipmentItem(items);
    // Rows come in line order, so a line item's rows are adjacent.
    if (lines.empty() || lines.back().id != item.line_item_id) {
      lines.push_back(
          {item.line_item_id, items.Text(1), items.Text(4), items.Int(5), items.Int(6)});
    }
    found.shipment.items.push_back(std::move(item));
  }
  return Ok();
}

// The items that the order's other shipped shipments hold of the bundles the
// shipment names, grouped into those shipments (id, status and items only).
Status OrderRepository::LoadShippedBundleItems(app::ShipmentInOrder& found, const Params& named) {
  SHIPLINE_SQL_QUERY(items, db_, kShippedBundleItems, named);
  auto& shipments = found.order.shipments;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, items);
    if (!more) break;
    if (shipments.empty() || shipments.back().id != items.Int(4)) {
      domain::Shipment& other = shipments.emplace_back();
      other.id = items.Int(4);
      other.order_id = found.order.id;
      other.status = StatusFromText(items.Text(5));
    }
    shipments.back().items.push_back(ReadShipmentItem(items));
  }
  return Ok();
}

Status OrderRepository::Insert(int64_t tenant_id, domain::Order& order) {
  const auto& a = order.shipping_address;
  // ON CONFLICT keeps the transaction usable: a taken number is an answer,
  // not an error that would abort every other caller of a group.
  SHIPLINE_SQL_INSERT(
      inserted, db_,
      "INSERT INTO orders (tenant_id, order_number, store, currency, customer_name, "
      "customer_email, ship_name, ship_line1, ship_line2, ship_city, ship_region, "
      "ship_postal_code, ship_country, ship_phone, payment_provider, payment_reference, "
      "amount_authorized, amount_captured, created_at, updated_at, shipping_state, "
      "customer_email_key) "
      "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$19,$20,$21) "
      "ON CONFLICT (tenant_id, order_number) DO NOTHING",
      Params()
          .Add(tenant_id)
          .Add(order.order_number)
          .Add(order.store)
          .Add(order.currency)
          .Add(order.customer.name)
          .Add(order.customer.email)
          .Add(a.name)
          .Add(a.line1)
          .Add(a.line2)
          .Add(a.city)
          .Add(a.region)
          .Add(a.postal_code)
          .Add(a.country)
          .Add(a.phone)
          .Add(order.payment.provider)
          .Add(order.payment.reference)
          .Add(order.payment.amount_authorized)
          .Add(order.payment.amount_captured)
          .Add(order.created_at)
          .Add(domain::ShippingStateName(domain::DeriveShippingState(order)))
          .Add(domain::CustomerEmailKey(order.customer.email)));
  if (!inserted) {
    return Error::Exists("Order already exists: " + order.order_number, "orderNumber");
  }
  order.id = *inserted;
  order.tenant_id = tenant_id;
  order.updated_at = order.created_at;

  // The line items and the shipments need only the order's id: on
  // PostgreSQL their INSERTs all go out in one round trip (Db::PrefetchInsert),
  // and what needs their ids is deferred.
  std::vector<Params> lines;
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    const auto& item = order.line_items[i];
    lines.push_back(Params()
                        .Add(order.id)
                        .Add(static_cast<int64_t>(i))
                        .Add(item.sku)
                        .Add(item.title)
                        .Add(item.quantity)
                        .Add(item.unit_price));
    SHIPLINE_RETURN_IF_ERROR(db_.PrefetchInsert(kInsertLineItem, lines.back()));
  }
  std::vector<Params> shipments;
  for (auto& shipment : order.shipments) {
    shipment.order_id = order.id;
    shipments.push_back(ShipmentInsertParams(tenant_id, shipment));
    SHIPLINE_RETURN_IF_ERROR(db_.PrefetchInsert(kInsertShipment, shipments.back()));
  }
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    SHIPLINE_SQL_INSERT(line, db_, kInsertLineItem, lines[i]);
    if (!line) return Error::Internal("line item insert inserted no row");
    order.line_items[i].id = *line;
  }
  for (const auto& item : order.line_items) {
    for (size_t k = 0; k < item.components.size(); ++k) {
      SHIPLINE_SQL_DEFER(db_,
                         "INSERT INTO line_item_components (line_item_id, position, sku, "
                         "quantity) VALUES ($1, $2, $3, $4)",
                         Params()
                             .Add(item.id)
                             .Add(static_cast<int64_t>(k))
                             .Add(item.components[k].sku)
                             .Add(item.components[k].quantity));
    }
  }

  for (size_t i = 0; i < order.shipments.size(); ++i) {
    auto& shipment = order.shipments[i];
    // Items name their line item by sku until the line items have ids.
    for (auto& item : shipment.items) {
      const std::string& line_sku = item.bundle_sku.empty() ? item.sku : item.bundle_sku;
      for (const auto& line_item : order.line_items) {
        if (line_item.sku == line_sku) item.line_item_id = line_item.id;
      }
    }
    SHIPLINE_RETURN_IF_ERROR(InsertShipmentRows(shipments[i], shipment));
  }
  return Ok();
}

Status OrderRepository::InsertShipment(int64_t tenant_id, domain::Shipment& shipment) {
  SHIPLINE_RETURN_IF_ERROR(InsertShipmentRows(ShipmentInsertParams(tenant_id, shipment), shipment));
  return TouchOrder(shipment.id, shipment.updated_at, OrderChange::kShipments);
}

Status OrderRepository::TouchOrder(int64_t shipment_id, int64_t at, OrderChange change) {
  std::string sql =
      "UPDATE orders SET updated_at = CASE WHEN updated_at < $1 THEN $1 "
      "ELSE updated_at END";
  if (change == OrderChange::kShipped) {
    // The state reads the total with the shipment's units added (every SET
    // expression sees the row as it was).
    sql += ", shipped_units = shipped_units + " + kUnitsOfShipment +
           ", shipping_state = " + ShippingState("(shipped_units + " + kUnitsOfShipment + ")");
  } else if (change == OrderChange::kShipments) {
    sql += ", shipping_state = " + ShippingState("shipped_units");
  }
  sql += " WHERE id = (SELECT order_id FROM shipments WHERE id = $2)";
  SHIPLINE_SQL_DEFER(db_, sql, Params().Add(at).Add(shipment_id));
  return Ok();
}

Status OrderRepository::CountShipped(int64_t shipment_id, bool bundle_parts) {
  SHIPLINE_SQL_DEFER(db_, kShipPlainUnits, Params().Add(shipment_id));
  if (!bundle_parts) return Ok();
  SHIPLINE_SQL_DEFER(db_, kShipComponentUnits, Params().Add(shipment_id));
  SHIPLINE_SQL_DEFER(db_, kShipBundleSets, Params().Add(shipment_id));
  return Ok();
}

Status OrderRepository::InsertShipmentRows(const Params& insert, domain::Shipment& shipment) {
  SHIPLINE_SQL_INSERT(inserted, db_, kInsertShipment, insert);
  if (!inserted) {
    return Error::Exists("Shipment already exists: " + shipment.shipment_number, "shipmentNumber");
  }
  shipment.id = *inserted;
  for (const auto& item : shipment.items) {
    SHIPLINE_SQL_DEFER(db_,
                       "INSERT INTO shipment_items (shipment_id, line_item_id, component_sku, "
                       "quantity) VALUES ($1, $2, $3, $4)",
                       Params()
                           .Add(shipment.id)
                           .Add(item.line_item_id)
                           .Add(item.bundle_sku.empty() ? std::string() : item.sku)
                           .Add(item.quantity));
  }
  for (const auto& change : shipment.history) {
    SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(shipment.id, change));
  }
  return Ok();
}

Result<bool> OrderRepository::UpdateShipmentDetails(int64_t tenant_id,
                                                    const domain::Shipment& shipment) {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE shipments SET carrier = $1, carrier_code = $2, "
                       "tracking_number = $3, tracking_url = $4, service = $5, "
                       "package_count = $6, return_tracking_number = $7, note = $8, "
                       "dispatched_at = $9, updated_at = $10, dispatched_offset_minutes = $11, "
                       "dispatched_date_only = $12 WHERE id = $13 AND tenant_id = $14",
                       Params()
                           .Text(shipment.carrier)
                           .Add(shipment.carrier_code)
                           .Text(shipment.tracking_number)
                           .Add(shipment.tracking_url)
                           .Add(shipment.service)
                           .Add(shipment.package_count)
                           .Add(shipment.return_tracking_number)
                           .Add(shipment.note)
                           .Add(shipment.dispatched_at)
                           .Add(shipment.updated_at)
                           .Add(int64_t{shipment.dispatched_offset_minutes})
                           .Add(int64_t{shipment.dispatched_date_only ? 1 : 0})
                           .Add(shipment.id)
                           .Add(tenant_id));
  if (changed != 1) return false;
  SHIPLINE_RETURN_IF_ERROR(TouchOrder(shipment.id, shipment.updated_at, OrderChange::kDetails));
  return true;
}

Status OrderRepository::InsertStatusChange(int64_t shipment_id,
                                           const domain::StatusChange& change) {
  SHIPLINE_SQL_DEFER(
      db_,
      "INSERT INTO status_changes (shipment_id, status, at, actor, note) "
      "VALUES ($1, $2, $3, $4, $5)",
      Params().Add(shipment_id).Add(change.status).Add(change.at).Add(change.by).Add(change.note));
  return Ok();
}

Result<bool> OrderRepository::TransitionShipment(int64_t shipment_id, ShipmentStatus from,
                                                 ShipmentStatus to,
                                                 const domain::StatusChange& change) {
  // The status in the WHERE is the once-only guard: of two concurrent
  // transitions, the second finds the status changed (on PostgreSQL it waits
  // for the row and re-checks the committed version) and changes nothing.
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE shipments SET status = $1, updated_at = $2 "
                       "WHERE id = $3 AND status = $4",
                       Params()
                           .Add(domain::ShipmentStatusName(to))
                           .Add(change.at)
                           .Add(shipment_id)
                           .Add(domain::ShipmentStatusName(from)));
  if (changed == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(shipment_id, change));
  const bool ships = domain::IsShippedStatus(to) && !domain::IsShippedStatus(from);
  if (ships) {
    SHIPLINE_RETURN_IF_ERROR(CountShipped(shipment_id, true));
  }
  SHIPLINE_RETURN_IF_ERROR(
      TouchOrder(shipment_id, change.at, ships ? OrderChange::kShipped : OrderChange::kShipments));
  return true;
}

Result<bool> OrderRepository::ClaimCompletion(int64_t shipment_id, std::string_view token,
                                              int64_t expires_at, int64_t now) {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE shipments SET claim_token = $1, claim_expires_at = $2 "
                       "WHERE id = $3 AND status = 'RELEASED' "
                       "AND (claim_token IS NULL OR claim_expires_at < $4)",
                       Params().Add(token).Add(expires_at).Add(shipment_id).Add(now));
  return changed == 1;
}

Status OrderRepository::ReleaseClaim(int64_t shipment_id, std::string_view token) {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE shipments SET claim_token = NULL, claim_expires_at = NULL "
                       "WHERE id = $1 AND claim_token = $2",
                       Params().Add(shipment_id).Add(token));
  return Ok();
}

Status OrderRepository::ReleaseAllClaims() {
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE shipments SET claim_token = NULL, claim_expires_at = NULL "
                       "WHERE claim_token IS NOT NULL",
                       Params());
  return Ok();
}

Result<bool> OrderRepository::RecordCompletion(app::CompletionRecord& record) {
  // One round trip on PostgreSQL before the commit: the subscriptions the
  // event fans out to, the guarded UPDATE and everything that follows it go
  // out together with the event's INSERT, which waits for its id. The
  // status and claim in the guard's WHERE are the once-only guard (see
  // TransitionShipment); when it changed nothing, what followed it is undone
  // (Db::Guard). Empty values keep what the shipment had.
  SHIPLINE_RETURN_IF_ERROR(events_.PrefetchFanOut(record.tenant_id));
  auto guard = db_.Guard(
      "UPDATE shipments SET status = 'SHIPPED', "
      "tracking_number = coalesce($1, tracking_number), carrier = coalesce($2, carrier), "
      "shipped_at = $3, updated_at = $3, claim_token = NULL, claim_expires_at = NULL, "
      "carrier_code = coalesce($4, carrier_code), tracking_url = coalesce($5, tracking_url), "
      "service = coalesce($6, service), package_count = coalesce($7, package_count), "
      "return_tracking_number = coalesce($8, return_tracking_number), "
      "dispatched_at = coalesce($9, dispatched_at), "
      "internal_comment = coalesce($10, internal_comment) "
      "WHERE id = $11 AND tenant_id = $12 AND status = 'RELEASED' "
      "AND coalesce(claim_token, '') = $13",
      Params()
          .Text(record.tracking_number)
          .Text(record.carrier)
          .Add(record.change.at)
          .Text(record.carrier_code)
          .Text(record.tracking_url)
          .Text(record.service)
          .Add(record.package_count)
          .Text(record.return_tracking_number)
          .Add(record.dispatched_at)
          .Add(record.internal_comment)
          .Add(record.shipment_id)
          .Add(record.tenant_id)
          .Add(record.claim_token));
  if (!guard) return std::move(guard).error();
  if (*guard == 0) return false;  // known at once: nothing written after it
  Status written = WriteCompletion(record);
  // A loser's writes may fail where the winner's stand (its capture's key
  // is taken): the guard's count, which came before them, decides.
  auto shipped = db_.GuardCount();
  if (!shipped) {
    if (!written.ok()) return std::move(written).error();
    return std::move(shipped).error();
  }
  if (*shipped == 0) {
    SHIPLINE_RETURN_IF_ERROR(db_.UndoGuard());
    return false;
  }
  SHIPLINE_RETURN_IF_ERROR(written);
  return true;
}

// What a completion writes once its guard holds: the status change, the
// shipped counts, the order, the capture and the event.
Status OrderRepository::WriteCompletion(app::CompletionRecord& record) {
  SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(record.shipment_id, record.change));
  SHIPLINE_RETURN_IF_ERROR(CountShipped(record.shipment_id, record.ships_bundle_parts));
  SHIPLINE_RETURN_IF_ERROR(TouchOrder(record.shipment_id, record.change.at, OrderChange::kShipped));
  if (record.captured_amount > 0) {
    SHIPLINE_SQL_DEFER(db_,
                       "INSERT INTO captures (shipment_id, amount, currency, reference, "
                       "idempotency_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                       Params()
                           .Add(record.shipment_id)
                           .Add(record.captured_amount)
                           .Add(record.currency)
                           .Add(record.capture_reference)
                           .Add(record.idempotency_key)
                           .Add(record.change.at));
    SHIPLINE_SQL_DEFER(db_,
                       "UPDATE orders SET amount_captured = amount_captured + $1 WHERE id = $2",
                       Params().Add(record.captured_amount).Add(record.order_id));
  }
  return events_.Insert(record.event);
}

}  // namespace shipline::store
