#include "store/event_repository.hpp"

namespace shipline::store {

using sql::Params;

namespace {
const std::string kEventColumns =
    "SELECT id, tenant_id, type, topic, subject, payload, created_at, storefront, order_id, "
    "shipment_id, send_email, traceparent FROM events ";

// Ids are stored as NULL where the value is 0 (none).
std::optional<int64_t> OptionalId(int64_t id) {
  if (id == 0) return std::nullopt;
  return id;
}

// Reads the rows of a query on kEventColumns.
Result<std::vector<domain::Event>> ReadEvents(sql::Db& db, const std::string& sql,
                                              const Params& params) {
  SHIPLINE_SQL_QUERY(rows, db, sql, params);
  std::vector<domain::Event> events;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    domain::Event& event = events.emplace_back();
    event.id = rows.Int(0);
    event.tenant_id = rows.Int(1);
    event.type = rows.Text(2);
    event.topic = rows.Text(3);
    event.subject = rows.Text(4);
    event.payload = rows.Text(5);
    event.created_at = rows.Int(6);
    event.storefront = rows.Text(7);
    event.order_id = rows.OptionalInt(8).value_or(0);
    event.shipment_id = rows.OptionalInt(9).value_or(0);
    event.send_email = rows.Bool(10);
    event.traceparent = rows.OptionalText(11).value_or("");
  }
  return events;
}

}  // namespace

Result<std::vector<domain::Event>> EventRepository::List(std::optional<int64_t> tenant_id,
                                                         int64_t after_id, int limit) {
  static const std::string kAll = kEventColumns + "WHERE id > $1 ORDER BY id LIMIT $2";
  static const std::string kTenant =
      kEventColumns + "WHERE id > $1 AND tenant_id = $3 ORDER BY id LIMIT $2";
  Params params;
  params.Add(after_id).Add(static_cast<int64_t>(limit));
  if (tenant_id) params.Add(*tenant_id);
  return ReadEvents(db_, tenant_id ? kTenant : kAll, params);
}

Result<std::vector<domain::Event>> EventRepository::ListForOrder(int64_t tenant_id,
                                                                 int64_t order_id, int limit) {
  static const std::string kSql =
      kEventColumns + "WHERE order_id = $1 AND tenant_id = $2 ORDER BY id LIMIT $3";
  return ReadEvents(db_, kSql,
                    Params().Add(order_id).Add(tenant_id).Add(static_cast<int64_t>(limit)));
}

Result<std::vector<app::EmailRecord>> EventRepository::EmailsForOrder(int64_t tenant_id,
                                                                      int64_t order_id) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT m.event_id, m.tenant_id, m.recipient, m.subject, m.transport, "
                     "m.sent_at, m.failure FROM emails m JOIN events e ON e.id = m.event_id "
                     "WHERE e.order_id = $1 AND e.tenant_id = $2 ORDER BY m.event_id",
                     Params().Add(order_id).Add(tenant_id));
  std::vector<app::EmailRecord> emails;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    app::EmailRecord& email = emails.emplace_back();
    email.event_id = rows.Int(0);
    email.tenant_id = rows.Int(1);
    email.recipient = rows.Text(2);
    email.subject = rows.Text(3);
    email.transport = rows.Text(4);
    email.sent_at = rows.Int(5);
    email.failure = rows.OptionalText(6).value_or("");
  }
  return emails;
}

Result<int64_t> EventRepository::Position(std::string_view consumer) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT position FROM consumer_positions WHERE consumer = $1",
                     Params().Add(consumer));
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Int(0) : int64_t{0};
}

namespace {

Result<app::ConsumerBacklog> ReadBacklog(sql::Db& db, const std::string& sql,
                                         const Params& params) {
  SHIPLINE_SQL_QUERY(rows, db, sql, params);
  SHIPLINE_SQL_NEXT(found, rows);
  app::ConsumerBacklog backlog;
  if (found) {
    backlog.behind = rows.Int(0);
    backlog.oldest_created_at = rows.OptionalInt(1);
  }
  return backlog;
}

}  // namespace

Result<app::ConsumerBacklog> EventRepository::Backlog(std::string_view consumer, int64_t cap) {
  // The first `cap` events after the position, by the primary key.
  static const std::string kSql =
      "SELECT count(*), min(created_at) FROM (SELECT created_at FROM events WHERE id > "
      "(SELECT coalesce(max(position), 0) FROM consumer_positions WHERE consumer = $1) "
      "ORDER BY id LIMIT $2) AS backlog";
  return ReadBacklog(db_, kSql, Params().Add(consumer).Add(cap));
}

Result<app::ConsumerBacklog> EventRepository::WebhookBacklog(int64_t cap) {
  // Pending deliveries through their partial index (webhook_deliveries_due).
  static const std::string kSql =
      "SELECT count(*), min(created_at) FROM (SELECT created_at FROM webhook_deliveries "
      "WHERE status = 'pending' LIMIT $1) AS backlog";
  return ReadBacklog(db_, kSql, Params().Add(cap));
}

Result<std::vector<app::ConsumerPosition>> EventRepository::Positions() {
  SHIPLINE_SQL_QUERY(
      rows, db_, "SELECT consumer, position FROM consumer_positions ORDER BY consumer LIMIT 100",
      Params());
  std::vector<app::ConsumerPosition> positions;
  for (;;) {
    SHIPLINE_SQL_NEXT(more, rows);
    if (!more) break;
    positions.push_back({rows.Text(0), rows.Int(1)});
  }
  return positions;
}

Result<int64_t> EventRepository::NewestEventId(int64_t tenant_id, int64_t at_most) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT coalesce(max(id), 0) FROM events WHERE tenant_id = $1 AND id <= $2",
                     Params().Add(tenant_id).Add(at_most));
  SHIPLINE_SQL_NEXT(found, rows);
  return found ? rows.Int(0) : int64_t{0};
}

Result<app::ConsumerBacklog> EventRepository::TenantBacklog(int64_t tenant_id, int64_t after_id,
                                                            int64_t cap) {
  static const std::string kSql =
      "SELECT count(*), min(created_at) FROM (SELECT created_at FROM events WHERE tenant_id = $1 "
      "AND id > $2 ORDER BY id LIMIT $3) AS backlog";
  return ReadBacklog(db_, kSql, Params().Add(tenant_id).Add(after_id).Add(cap));
}

Result<app::ConsumerBacklog> EventRepository::TenantWebhookBacklog(int64_t tenant_id, int64_t cap) {
  static const std::string kSql =
      "SELECT count(*), min(created_at) FROM (SELECT created_at FROM webhook_deliveries "
      "WHERE status = 'pending' AND tenant_id = $1 LIMIT $2) AS backlog";
  return ReadBacklog(db_, kSql, Params().Add(tenant_id).Add(cap));
}

Result<bool> EventRepository::EmailSent(int64_t event_id) {
  SHIPLINE_SQL_QUERY(rows, db_, "SELECT 1 FROM emails WHERE event_id = $1", Params().Add(event_id));
  return rows.Next();
}

Status EventRepository::Insert(domain::Event& event) {
  SHIPLINE_RETURN_IF_ERROR(db_.OrderEvents());
  db_.WakeConsumersAfterCommit();
  SHIPLINE_SQL_INSERT(inserted, db_,
                      "INSERT INTO events (tenant_id, type, topic, subject, payload, created_at, "
                      "storefront, order_id, shipment_id, send_email, traceparent) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                      Params()
                          .Add(event.tenant_id)
                          .Add(event.type)
                          .Add(event.topic)
                          .Add(event.subject)
                          .Add(event.payload)
                          .Add(event.created_at)
                          .Text(event.storefront)
                          .Add(OptionalId(event.order_id))
                          .Add(OptionalId(event.shipment_id))
                          .Bool(event.send_email)
                          .Text(event.traceparent));
  if (!inserted) return Error::Internal("event insert inserted no row");
  event.id = *inserted;
  // Webhook deliveries are written with their event, so none is lost
  // between the commit and the send.
  return webhooks_.FanOut(event);
}

Status EventRepository::PrefetchFanOut(int64_t tenant_id) {
  return webhooks_.PrefetchSubscriptions(tenant_id);
}

Status EventRepository::SetPosition(std::string_view consumer, int64_t position) {
  SHIPLINE_SQL_EXECUTE(saved, db_,
                       "INSERT INTO consumer_positions (consumer, position) VALUES ($1, $2) "
                       "ON CONFLICT (consumer) DO UPDATE SET position = excluded.position",
                       Params().Add(consumer).Add(position));
  return Ok();
}

Result<bool> EventRepository::Lease(std::string_view consumer, std::string_view owner,
                                    int64_t expires_at, int64_t now) {
  if (db_.single_process()) return true;
  // A conditional UPDATE: a node that finds another's live lease in its
  // snapshot neither changes nor locks the row (the holder updates it all the
  // time); nodes racing for a free lease wait for the row and re-check the
  // condition on the committed version, so one wins.
  SHIPLINE_SQL_EXECUTE(taken, db_,
                       "UPDATE consumer_positions SET lease_owner = $2, lease_expires_at = $3 "
                       "WHERE consumer = $1 AND (lease_owner IS NULL OR lease_owner = $2 "
                       "OR lease_expires_at <= $4)",
                       Params().Add(consumer).Add(owner).Add(expires_at).Add(now));
  if (taken == 1) return true;
  // No row yet (a consumer's first start): create it with the lease.
  SHIPLINE_SQL_EXECUTE(created, db_,
                       "INSERT INTO consumer_positions (consumer, position, lease_owner, "
                       "lease_expires_at) VALUES ($1, 0, $2, $3) "
                       "ON CONFLICT (consumer) DO NOTHING",
                       Params().Add(consumer).Add(owner).Add(expires_at));
  return created == 1;
}

Status EventRepository::RecordEmail(const app::EmailRecord& email) {
  SHIPLINE_SQL_EXECUTE(recorded, db_,
                       "INSERT INTO emails (event_id, tenant_id, recipient, subject, transport, "
                       "sent_at, failure) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                       "ON CONFLICT (event_id) DO NOTHING",
                       Params()
                           .Add(email.event_id)
                           .Add(email.tenant_id)
                           .Add(email.recipient)
                           .Add(email.subject)
                           .Add(email.transport)
                           .Add(email.sent_at)
                           .Text(email.failure));
  return Ok();
}

}  // namespace shipline::store
