#include "store/sqlite/sqlite_tx.hpp"

namespace shipline::store::sqlite {

using domain::ShipmentStatus;

// Evaluates a Result<Statement> expression into a named statement or returns
// its error.
#define SHIPLINE_PREPARE(name, sql)                                \
  auto name##_prepared = db_.Prepare(sql);                         \
  if (!name##_prepared) return std::move(name##_prepared).error(); \
  Statement& name = *name##_prepared

namespace {

constexpr const char* kOrderColumns =
    "SELECT id, tenant_id, order_number, store, currency, customer_name, customer_email, "
    "ship_name, ship_line1, ship_line2, ship_city, ship_region, ship_postal_code, ship_country, "
    "ship_phone, payment_provider, payment_reference, amount_authorized, amount_captured, "
    "created_at FROM orders ";

const std::string kOrderByNumber =
    std::string(kOrderColumns) + "WHERE tenant_id = ? AND order_number = ?";
const std::string kOrderById = std::string(kOrderColumns) + "WHERE tenant_id = ? AND id = ?";

ShipmentStatus StatusFromText(const std::string& text) {
  return domain::ParseShipmentStatus(text).value_or(ShipmentStatus::kPending);
}

void ReadShipmentRow(const Statement& row, domain::Shipment& shipment) {
  shipment.id = row.Int(0);
  shipment.order_id = row.Int(1);
  shipment.shipment_number = row.Text(2);
  shipment.status = StatusFromText(row.Text(3));
  shipment.carrier = row.Text(4);
  shipment.tracking_number = row.Text(5);
  shipment.shipped_at = row.OptionalInt(6);
  shipment.created_at = row.Int(7);
  shipment.updated_at = row.Int(8);
  shipment.order_number = row.Text(9);
  shipment.carrier_code = row.Text(10);
  shipment.service = row.Text(11);
  shipment.package_count = row.Int(12);
  shipment.tracking_url = row.Text(13);
  shipment.return_tracking_number = row.Text(14);
  shipment.internal_comment = row.Text(15);
  shipment.note = row.Text(16);
  shipment.dispatched_at = row.OptionalInt(17);
}

constexpr const char* kShipmentColumns =
    "SELECT s.id, s.order_id, s.shipment_number, s.status, s.carrier, s.tracking_number, "
    "s.shipped_at, s.created_at, s.updated_at, o.order_number, s.carrier_code, s.service, "
    "s.package_count, s.tracking_url, s.return_tracking_number, s.internal_comment, s.note, "
    "s.dispatched_at FROM shipments s JOIN orders o ON o.id = s.order_id ";

const std::string kShipmentByNumber =
    std::string(kShipmentColumns) + "WHERE s.tenant_id = ? AND s.shipment_number = ?";
const std::string kShipmentsOfOrder =
    std::string(kShipmentColumns) + "WHERE s.order_id = ? ORDER BY s.id";

}  // namespace

Result<std::optional<app::ApiKeyRecord>> SqliteTx::FindApiKey(std::string_view key_hash) {
  SHIPLINE_PREPARE(
      query, "SELECT id, tenant_id, name FROM api_keys WHERE key_hash = ? AND revoked_at IS NULL");
  query.Bind(1, key_hash);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<app::ApiKeyRecord>();
  return std::optional<app::ApiKeyRecord>(
      app::ApiKeyRecord{query.Int(0), query.Int(1), query.Text(2)});
}

Result<int64_t> SqliteTx::TenantCount() {
  SHIPLINE_PREPARE(query, "SELECT count(*) FROM tenants");
  auto row = query.Step();
  if (!row) return std::move(row).error();
  return query.Int(0);
}

Result<std::optional<domain::Order>> SqliteTx::LoadOrder(Statement& query) {
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<domain::Order>();
  domain::Order order;
  order.id = query.Int(0);
  order.tenant_id = query.Int(1);
  order.order_number = query.Text(2);
  order.store = query.Text(3);
  order.currency = query.Text(4);
  order.customer = {query.Text(5), query.Text(6)};
  order.shipping_address = {query.Text(7),  query.Text(8),  query.Text(9),  query.Text(10),
                            query.Text(11), query.Text(12), query.Text(13), query.Text(14)};
  order.payment = {query.Text(15), query.Text(16), query.Int(17), query.Int(18)};
  order.created_at = query.Int(19);

  SHIPLINE_PREPARE(lines,
                   "SELECT id, sku, title, quantity, unit_price FROM line_items "
                   "WHERE order_id = ? ORDER BY position");
  lines.Bind(1, order.id);
  for (;;) {
    auto next = lines.Step();
    if (!next) return std::move(next).error();
    if (!*next) break;
    order.line_items.push_back(
        {lines.Int(0), lines.Text(1), lines.Text(2), lines.Int(3), lines.Int(4)});
  }
  SHIPLINE_RETURN_IF_ERROR(LoadLineComponents(order));

  SHIPLINE_PREPARE(shipments, kShipmentsOfOrder.c_str());
  shipments.Bind(1, order.id);
  for (;;) {
    auto next = shipments.Step();
    if (!next) return std::move(next).error();
    if (!*next) break;
    ReadShipmentRow(shipments, order.shipments.emplace_back());
  }
  for (auto& shipment : order.shipments) {
    SHIPLINE_RETURN_IF_ERROR(LoadShipmentItems(shipment));
    SHIPLINE_RETURN_IF_ERROR(LoadShipmentHistory(shipment));
  }
  return std::optional<domain::Order>(std::move(order));
}

Result<std::optional<domain::Order>> SqliteTx::FindOrder(int64_t tenant_id,
                                                         std::string_view order_number) {
  SHIPLINE_PREPARE(query, kOrderByNumber.c_str());
  query.Bind(1, tenant_id).Bind(2, order_number);
  return LoadOrder(query);
}

Result<std::optional<domain::Order>> SqliteTx::FindOrderById(int64_t tenant_id, int64_t order_id) {
  SHIPLINE_PREPARE(query, kOrderById.c_str());
  query.Bind(1, tenant_id).Bind(2, order_id);
  return LoadOrder(query);
}

Status SqliteTx::LoadLineComponents(domain::Order& order) {
  SHIPLINE_PREPARE(components,
                   "SELECT c.line_item_id, c.sku, c.quantity FROM line_item_components c "
                   "JOIN line_items li ON li.id = c.line_item_id "
                   "WHERE li.order_id = ? ORDER BY c.line_item_id, c.position");
  components.Bind(1, order.id);
  for (;;) {
    auto next = components.Step();
    if (!next) return std::move(next).error();
    if (!*next) return Ok();
    for (auto& line : order.line_items) {
      if (line.id == components.Int(0)) {
        line.components.push_back({components.Text(1), components.Int(2)});
      }
    }
  }
}

Status SqliteTx::LoadShipmentItems(domain::Shipment& shipment) {
  SHIPLINE_PREPARE(items,
                   "SELECT si.line_item_id, li.sku, si.quantity, si.component_sku "
                   "FROM shipment_items si JOIN line_items li ON li.id = si.line_item_id "
                   "WHERE si.shipment_id = ? ORDER BY li.position, si.rowid");
  items.Bind(1, shipment.id);
  for (;;) {
    auto next = items.Step();
    if (!next) return std::move(next).error();
    if (!*next) return Ok();
    domain::ShipmentItem item;
    item.line_item_id = items.Int(0);
    item.quantity = items.Int(2);
    std::string component = items.Text(3);
    if (component.empty()) {
      item.sku = items.Text(1);
    } else {
      item.sku = std::move(component);
      item.bundle_sku = items.Text(1);
    }
    shipment.items.push_back(std::move(item));
  }
}

Status SqliteTx::LoadShipmentHistory(domain::Shipment& shipment) {
  SHIPLINE_PREPARE(history,
                   "SELECT status, at, actor, note FROM status_changes "
                   "WHERE shipment_id = ? ORDER BY id");
  history.Bind(1, shipment.id);
  for (;;) {
    auto next = history.Step();
    if (!next) return std::move(next).error();
    if (!*next) return Ok();
    shipment.history.push_back({history.Text(0), history.Int(1), history.Text(2), history.Text(3)});
  }
}

Result<std::optional<domain::Shipment>> SqliteTx::FindShipment(int64_t tenant_id,
                                                               std::string_view shipment_number) {
  SHIPLINE_PREPARE(query, kShipmentByNumber.c_str());
  query.Bind(1, tenant_id).Bind(2, shipment_number);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<domain::Shipment>();
  domain::Shipment shipment;
  ReadShipmentRow(query, shipment);
  SHIPLINE_RETURN_IF_ERROR(LoadShipmentItems(shipment));

  SHIPLINE_RETURN_IF_ERROR(LoadShipmentHistory(shipment));
  return std::optional<domain::Shipment>(std::move(shipment));
}

Result<std::vector<domain::Event>> SqliteTx::ListEvents(std::optional<int64_t> tenant_id,
                                                        int64_t after_id, int limit) {
  auto prepared = tenant_id ? db_.Prepare(
                                  "SELECT id, tenant_id, type, topic, subject, payload, created_at "
                                  "FROM events WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?")
                            : db_.Prepare(
                                  "SELECT id, tenant_id, type, topic, subject, payload, created_at "
                                  "FROM events WHERE ?1 IS NULL AND id > ? ORDER BY id LIMIT ?");
  if (!prepared) return std::move(prepared).error();
  Statement& query = *prepared;
  query.Bind(1, tenant_id).Bind(2, after_id).Bind(3, static_cast<int64_t>(limit));
  std::vector<domain::Event> events;
  for (;;) {
    auto next = query.Step();
    if (!next) return std::move(next).error();
    if (!*next) return events;
    events.push_back({query.Int(0), query.Int(1), query.Text(2), query.Text(3), query.Text(4),
                      query.Text(5), query.Int(6)});
  }
}

Result<int64_t> SqliteTx::ConsumerPosition(std::string_view consumer) {
  SHIPLINE_PREPARE(query, "SELECT position FROM consumer_positions WHERE consumer = ?");
  query.Bind(1, consumer);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  return *row ? query.Int(0) : int64_t{0};
}

Result<bool> SqliteTx::EmailSent(int64_t event_id) {
  SHIPLINE_PREPARE(query, "SELECT 1 FROM emails WHERE event_id = ?");
  query.Bind(1, event_id);
  return query.Step();
}

Result<int64_t> SqliteTx::EnsureTenant(std::string_view name, int64_t now) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO tenants (name, created_at) VALUES (?, ?) "
                   "ON CONFLICT (name) DO NOTHING");
  insert.Bind(1, name).Bind(2, now);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());
  SHIPLINE_PREPARE(query, "SELECT id FROM tenants WHERE name = ?");
  query.Bind(1, name);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return Error::Internal("tenant vanished after insert");
  return query.Int(0);
}

Status SqliteTx::InsertApiKey(int64_t tenant_id, std::string_view name, std::string_view key_hash,
                              int64_t now) {
  SHIPLINE_PREPARE(
      insert, "INSERT INTO api_keys (tenant_id, name, key_hash, created_at) VALUES (?, ?, ?, ?)");
  insert.Bind(1, tenant_id).Bind(2, name).Bind(3, key_hash).Bind(4, now);
  return insert.Run();
}

Status SqliteTx::InsertOrder(int64_t tenant_id, domain::Order& order) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO orders (tenant_id, order_number, store, currency, customer_name, "
                   "customer_email, ship_name, ship_line1, ship_line2, ship_city, ship_region, "
                   "ship_postal_code, ship_country, ship_phone, payment_provider, "
                   "payment_reference, amount_authorized, amount_captured, created_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  const auto& a = order.shipping_address;
  insert.Bind(1, tenant_id)
      .Bind(2, order.order_number)
      .Bind(3, order.store)
      .Bind(4, order.currency);
  insert.Bind(5, order.customer.name).Bind(6, order.customer.email);
  insert.Bind(7, a.name).Bind(8, a.line1).Bind(9, a.line2).Bind(10, a.city).Bind(11, a.region);
  insert.Bind(12, a.postal_code).Bind(13, a.country).Bind(14, a.phone);
  insert.Bind(15, order.payment.provider).Bind(16, order.payment.reference);
  insert.Bind(17, order.payment.amount_authorized).Bind(18, order.payment.amount_captured);
  insert.Bind(19, order.created_at);
  if (auto done = insert.Run(); !done) {
    if (insert.UniqueViolation()) {
      return Error::Exists("Order already exists: " + order.order_number, "orderNumber");
    }
    return done;
  }
  order.id = db_.LastInsertId();
  order.tenant_id = tenant_id;

  SHIPLINE_PREPARE(line,
                   "INSERT INTO line_items (order_id, position, sku, title, quantity, "
                   "unit_price) VALUES (?, ?, ?, ?, ?, ?)");
  for (size_t i = 0; i < order.line_items.size(); ++i) {
    auto& item = order.line_items[i];
    line.Reset();
    line.Bind(1, order.id).Bind(2, static_cast<int64_t>(i)).Bind(3, item.sku).Bind(4, item.title);
    line.Bind(5, item.quantity).Bind(6, item.unit_price);
    SHIPLINE_RETURN_IF_ERROR(line.Run());
    item.id = db_.LastInsertId();
  }
  SHIPLINE_PREPARE(component_insert,
                   "INSERT INTO line_item_components (line_item_id, position, sku, quantity) "
                   "VALUES (?, ?, ?, ?)");
  for (const auto& item : order.line_items) {
    for (size_t k = 0; k < item.components.size(); ++k) {
      component_insert.Reset();
      component_insert.Bind(1, item.id).Bind(2, static_cast<int64_t>(k));
      component_insert.Bind(3, item.components[k].sku).Bind(4, item.components[k].quantity);
      SHIPLINE_RETURN_IF_ERROR(component_insert.Run());
    }
  }

  for (auto& shipment : order.shipments) {
    shipment.order_id = order.id;
    // Items name their line item by sku until the line items have ids.
    for (auto& item : shipment.items) {
      const std::string& line_sku = item.bundle_sku.empty() ? item.sku : item.bundle_sku;
      for (const auto& line_item : order.line_items) {
        if (line_item.sku == line_sku) item.line_item_id = line_item.id;
      }
    }
    SHIPLINE_RETURN_IF_ERROR(InsertShipment(tenant_id, shipment));
  }
  return Ok();
}

Status SqliteTx::InsertShipment(int64_t tenant_id, domain::Shipment& shipment) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO shipments (tenant_id, order_id, shipment_number, status, carrier, "
                   "tracking_number, created_at, updated_at, carrier_code, service, "
                   "package_count, tracking_url, return_tracking_number, internal_comment, note, "
                   "dispatched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.Bind(1, tenant_id).Bind(2, shipment.order_id).Bind(3, shipment.shipment_number);
  insert.Bind(4, domain::ShipmentStatusName(shipment.status));
  insert.BindText(5, shipment.carrier).BindText(6, shipment.tracking_number);
  insert.Bind(7, shipment.created_at).Bind(8, shipment.updated_at);
  insert.Bind(9, shipment.carrier_code).Bind(10, shipment.service);
  insert.Bind(11, shipment.package_count).Bind(12, shipment.tracking_url);
  insert.Bind(13, shipment.return_tracking_number).Bind(14, shipment.internal_comment);
  insert.Bind(15, shipment.note).Bind(16, shipment.dispatched_at);
  if (auto done = insert.Run(); !done) {
    if (insert.UniqueViolation()) {
      return Error::Exists("Shipment already exists: " + shipment.shipment_number,
                           "shipmentNumber");
    }
    return done;
  }
  shipment.id = db_.LastInsertId();
  SHIPLINE_PREPARE(item_insert,
                   "INSERT INTO shipment_items (shipment_id, line_item_id, component_sku, "
                   "quantity) VALUES (?, ?, ?, ?)");
  for (const auto& item : shipment.items) {
    item_insert.Reset();
    item_insert.Bind(1, shipment.id).Bind(2, item.line_item_id);
    item_insert.Bind(3, item.bundle_sku.empty() ? std::string() : item.sku);
    item_insert.Bind(4, item.quantity);
    SHIPLINE_RETURN_IF_ERROR(item_insert.Run());
  }
  for (const auto& change : shipment.history) {
    SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(shipment.id, change));
  }
  return Ok();
}

Result<bool> SqliteTx::UpdateShipmentDetails(int64_t tenant_id, const domain::Shipment& shipment) {
  SHIPLINE_PREPARE(update,
                   "UPDATE shipments SET carrier = ?, carrier_code = ?, tracking_number = ?, "
                   "tracking_url = ?, service = ?, package_count = ?, return_tracking_number = ?, "
                   "note = ?, dispatched_at = ?, updated_at = ? WHERE id = ? AND tenant_id = ?");
  update.BindText(1, shipment.carrier).Bind(2, shipment.carrier_code);
  update.BindText(3, shipment.tracking_number).Bind(4, shipment.tracking_url);
  update.Bind(5, shipment.service).Bind(6, shipment.package_count);
  update.Bind(7, shipment.return_tracking_number).Bind(8, shipment.note);
  update.Bind(9, shipment.dispatched_at).Bind(10, shipment.updated_at);
  update.Bind(11, shipment.id).Bind(12, tenant_id);
  SHIPLINE_RETURN_IF_ERROR(update.Run());
  return db_.Changes() == 1;
}

Status SqliteTx::InsertStatusChange(int64_t shipment_id, const domain::StatusChange& change) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO status_changes (shipment_id, status, at, actor, note) "
                   "VALUES (?, ?, ?, ?, ?)");
  insert.Bind(1, shipment_id).Bind(2, change.status).Bind(3, change.at).Bind(4, change.by);
  insert.Bind(5, change.note);
  return insert.Run();
}

Result<bool> SqliteTx::TransitionShipment(int64_t shipment_id, ShipmentStatus from,
                                          ShipmentStatus to, const domain::StatusChange& change) {
  SHIPLINE_PREPARE(update,
                   "UPDATE shipments SET status = ?, updated_at = ? WHERE id = ? AND status = ?");
  update.Bind(1, domain::ShipmentStatusName(to)).Bind(2, change.at).Bind(3, shipment_id);
  update.Bind(4, domain::ShipmentStatusName(from));
  SHIPLINE_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(shipment_id, change));
  return true;
}

Result<bool> SqliteTx::ClaimCompletion(int64_t shipment_id, std::string_view token,
                                       int64_t expires_at, int64_t now) {
  SHIPLINE_PREPARE(update,
                   "UPDATE shipments SET claim_token = ?, claim_expires_at = ? "
                   "WHERE id = ? AND status = 'RELEASED' "
                   "AND (claim_token IS NULL OR claim_expires_at < ?)");
  update.Bind(1, token).Bind(2, expires_at).Bind(3, shipment_id).Bind(4, now);
  SHIPLINE_RETURN_IF_ERROR(update.Run());
  return db_.Changes() == 1;
}

Status SqliteTx::ReleaseClaim(int64_t shipment_id, std::string_view token) {
  SHIPLINE_PREPARE(update,
                   "UPDATE shipments SET claim_token = NULL, claim_expires_at = NULL "
                   "WHERE id = ? AND claim_token = ?");
  update.Bind(1, shipment_id).Bind(2, token);
  return update.Run();
}

Status SqliteTx::ReleaseAllClaims() {
  SHIPLINE_PREPARE(update,
                   "UPDATE shipments SET claim_token = NULL, claim_expires_at = NULL "
                   "WHERE claim_token IS NOT NULL");
  return update.Run();
}

Result<bool> SqliteTx::RecordCompletion(app::CompletionRecord& record) {
  SHIPLINE_PREPARE(
      update,
      "UPDATE shipments SET status = 'SHIPPED', "
      "tracking_number = coalesce(?, tracking_number), carrier = coalesce(?, carrier), "
      "shipped_at = ?, updated_at = ?, claim_token = NULL, claim_expires_at = NULL, "
      "carrier_code = coalesce(?, carrier_code), tracking_url = coalesce(?, tracking_url), "
      "service = coalesce(?, service), package_count = coalesce(?, package_count), "
      "return_tracking_number = coalesce(?, return_tracking_number), "
      "dispatched_at = coalesce(?, dispatched_at), "
      "internal_comment = CASE WHEN ?11 IS NULL THEN internal_comment "
      "WHEN internal_comment = '' THEN ?11 ELSE internal_comment || char(10) || ?11 END "
      "WHERE id = ? AND tenant_id = ? AND status = 'RELEASED' "
      "AND coalesce(claim_token, '') = ?");
  update.BindText(1, record.tracking_number).BindText(2, record.carrier);
  update.Bind(3, record.change.at).Bind(4, record.change.at);
  update.BindText(5, record.carrier_code).BindText(6, record.tracking_url);
  update.BindText(7, record.service).Bind(8, record.package_count);
  update.BindText(9, record.return_tracking_number).Bind(10, record.dispatched_at);
  update.BindText(11, record.append_internal_comment);
  update.Bind(12, record.shipment_id).Bind(13, record.tenant_id).Bind(14, record.claim_token);
  SHIPLINE_RETURN_IF_ERROR(update.Run());
  if (db_.Changes() == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(InsertStatusChange(record.shipment_id, record.change));
  if (record.captured_amount > 0) {
    SHIPLINE_PREPARE(capture,
                     "INSERT INTO captures (shipment_id, amount, currency, reference, "
                     "idempotency_key, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    capture.Bind(1, record.shipment_id).Bind(2, record.captured_amount).Bind(3, record.currency);
    capture.Bind(4, record.capture_reference).Bind(5, record.idempotency_key);
    capture.Bind(6, record.change.at);
    SHIPLINE_RETURN_IF_ERROR(capture.Run());
    SHIPLINE_PREPARE(paid, "UPDATE orders SET amount_captured = amount_captured + ? WHERE id = ?");
    paid.Bind(1, record.captured_amount).Bind(2, record.order_id);
    SHIPLINE_RETURN_IF_ERROR(paid.Run());
  }
  SHIPLINE_RETURN_IF_ERROR(InsertEvent(record.event));
  return true;
}

Status SqliteTx::InsertEvent(domain::Event& event) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO events (tenant_id, type, topic, subject, payload, "
                   "created_at) VALUES (?, ?, ?, ?, ?, ?)");
  insert.Bind(1, event.tenant_id).Bind(2, event.type).Bind(3, event.topic).Bind(4, event.subject);
  insert.Bind(5, event.payload).Bind(6, event.created_at);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());
  event.id = db_.LastInsertId();
  // Webhook deliveries are written with their event, so none is lost
  // between the commit and the send.
  return webhooks_.FanOut(event);
}

Status SqliteTx::SetConsumerPosition(std::string_view consumer, int64_t position) {
  SHIPLINE_PREPARE(upsert,
                   "INSERT INTO consumer_positions (consumer, position) VALUES (?, ?) "
                   "ON CONFLICT (consumer) DO UPDATE SET position = excluded.position");
  upsert.Bind(1, consumer).Bind(2, position);
  return upsert.Run();
}

Status SqliteTx::RecordEmail(const app::EmailRecord& email) {
  SHIPLINE_PREPARE(insert,
                   "INSERT INTO emails (event_id, tenant_id, recipient, subject, "
                   "transport, sent_at) VALUES (?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT (event_id) DO NOTHING");
  insert.Bind(1, email.event_id).Bind(2, email.tenant_id).Bind(3, email.recipient);
  insert.Bind(4, email.subject).Bind(5, email.transport).Bind(6, email.sent_at);
  return insert.Run();
}

}  // namespace shipline::store::sqlite
