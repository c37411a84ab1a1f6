// Webhook deliveries and attempts on PostgreSQL: the fan-out of an event to
// its subscriptions, taking due deliveries (several nodes share the table),
// recording attempts, listings and replays.

#include <boost/json.hpp>

#include "store/postgres/pg_webhook_repository.hpp"
#include "store/postgres/pg_webhook_rows.hpp"

namespace shipline::store::postgres {

namespace wh = app::webhooks;

namespace {

const std::string kDueDeliveries =
    std::string("SELECT ") + kDeliveryColumns + ", " + kSubscriptionColumns +
    " FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id "
    "WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND s.enabled "
    "AND s.deleted_at IS NULL ORDER BY d.next_attempt_at LIMIT $2";

const std::string kDeliveriesOfSubscription =
    std::string("SELECT ") + kDeliveryColumns +
    " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.subscription_id = $2 "
    "AND ($3::text IS NULL OR d.status = $3::text) AND ($4::bigint = 0 OR d.id < $4::bigint) "
    "ORDER BY d.id DESC LIMIT $5";
const std::string kDeliveriesOfEvent =
    std::string("SELECT ") + kDeliveryColumns +
    " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.event_id = $2 "
    "AND ($3::text IS NULL OR d.status = $3::text) AND ($4::bigint = 0 OR d.id < $4::bigint) "
    "ORDER BY d.id DESC LIMIT $5";
const std::string kFindDelivery = std::string("SELECT ") + kDeliveryColumns +
                                  " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.id = $2";

// The payload's "store" member, which subscriptions for one store filter on;
// nullopt when the payload is not a JSON object with a string there.
std::optional<std::string> PayloadStore(const std::string& payload) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(payload, ec);
  if (ec || !parsed.is_object()) return std::nullopt;
  const boost::json::value* store = parsed.as_object().if_contains("store");
  if (store == nullptr || !store->is_string()) return std::nullopt;
  return std::string(store->as_string());
}

}  // namespace

Status PgWebhookRepository::FanOut(const domain::Event& event) {
  // One statement for every subscription of the tenant; the message id is
  // random and stays the same on every attempt and replay.
  SHIPLINE_PG_QUERY(
      fanned,
      "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, "
      "message_id, once_key, status, attempts, next_attempt_at, created_at, updated_at) "
      "SELECT s.tenant_id, s.id, $1::bigint, $2::text, "
      "'msg_' || replace(gen_random_uuid()::text, '-', ''), "
      "CASE WHEN s.format = '3pl' THEN 'shipment:' || $3::text END, 'pending', 0, "
      "$4::bigint + s.delay_ms, $4, $4 FROM webhook_subscriptions s "
      "WHERE s.tenant_id = $5 AND s.enabled AND s.deleted_at IS NULL "
      "AND (s.event_types = '' "
      "OR position(',' || $2::text || ',' in ',' || s.event_types || ',') > 0) "
      "AND (s.store IS NULL OR s.store = $6::text) "
      "AND (s.format <> '3pl' OR $2::text = 'order-shipment-shipped') "
      "ON CONFLICT (subscription_id, once_key) DO NOTHING",
      Params()
          .Add(event.id)
          .Add(event.type)
          .Add(event.subject)
          .Add(event.created_at)
          .Add(event.tenant_id)
          .Add(PayloadStore(event.payload)));
  return Ok();
}

Status PgWebhookRepository::InsertDelivery(wh::Delivery& d) {
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, "
                    "event_type, message_id, status, attempts, next_attempt_at, body, "
                    "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10) "
                    "RETURNING id",
                    Params()
                        .Add(d.tenant_id)
                        .Add(d.subscription_id)
                        .Add(d.event_id)
                        .Add(d.event_type)
                        .Add(d.message_id)
                        .Add(wh::DeliveryStatusName(d.status))
                        .Add(d.next_attempt_at)
                        .Text(d.body)
                        .Add(d.created_at)
                        .Add(d.updated_at));
  d.id = inserted.Int(0, 0);
  return Ok();
}

Result<std::vector<wh::DueDelivery>> PgWebhookRepository::DueDeliveries(int64_t now, int limit) {
  SHIPLINE_PG_QUERY(rows, kDueDeliveries, Params().Add(now).Add(static_cast<int64_t>(limit)));
  std::vector<wh::DueDelivery> out;
  for (int r = 0; r < rows.size(); ++r) {
    out.push_back({ReadDelivery(rows, r), ReadSubscription(rows, r, kDeliveryColumnCount)});
  }
  return out;
}

Result<std::optional<int64_t>> PgWebhookRepository::NextDueAt() {
  SHIPLINE_PG_QUERY(rows,
                    "SELECT min(next_attempt_at) FROM webhook_deliveries "
                    "WHERE status = 'pending'");
  if (rows.empty()) return std::optional<int64_t>();
  return rows.OptionalInt(0, 0);
}

Result<bool> PgWebhookRepository::ClaimDelivery(int64_t delivery_id, int64_t seen_next_attempt_at,
                                                int64_t lease_until, const std::string* body) {
  // A row another node is claiming right now is skipped, not waited for;
  // the conditions, checked on the row under its lock, let one claim win.
  Params params;
  params.Add(lease_until);
  if (body != nullptr) {
    params.Add(*body);
  } else {
    params.Null();
  }
  params.Add(delivery_id).Add(seen_next_attempt_at);
  SHIPLINE_PG_QUERY(claimed,
                    "UPDATE webhook_deliveries SET next_attempt_at = $1, "
                    "body = coalesce(body, $2::text) WHERE id = (SELECT id FROM "
                    "webhook_deliveries WHERE id = $3 AND status = 'pending' "
                    "AND next_attempt_at = $4 FOR UPDATE SKIP LOCKED)",
                    params);
  return claimed.Affected() == 1;
}

Result<bool> PgWebhookRepository::RecordAttempt(const wh::Attempt& attempt,
                                                const wh::DeliveryUpdate& update) {
  // The attempt is recorded even when the delivery moved on meanwhile: it
  // happened, and the log shows every request a receiver got.
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, "
                    "latency_ms, response_excerpt, error) VALUES ($1, $2, $3, $4, $5, $6)",
                    Params()
                        .Add(attempt.delivery_id)
                        .Add(attempt.attempted_at)
                        .Add(attempt.status_code)
                        .Add(attempt.latency_ms)
                        .Add(attempt.response_excerpt)
                        .Add(attempt.error));
  const bool done = update.status != wh::DeliveryStatus::kPending;
  SHIPLINE_PG_QUERY(changed,
                    "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, "
                    "next_attempt_at = $2, last_status = $3, last_error = $4, updated_at = $5, "
                    "completed_at = $6 WHERE id = $7 AND status = 'pending'",
                    Params()
                        .Add(wh::DeliveryStatusName(update.status))
                        .Add(done ? std::nullopt : update.next_attempt_at)
                        .Add(update.last_status)
                        .Add(update.last_error)
                        .Add(update.now)
                        .Add(done ? std::optional<int64_t>(update.now) : std::nullopt)
                        .Add(attempt.delivery_id));
  return changed.Affected() == 1;
}

Status PgWebhookRepository::ReleaseDelivery(int64_t delivery_id, int64_t at) {
  SHIPLINE_PG_QUERY(released,
                    "UPDATE webhook_deliveries SET next_attempt_at = $1 "
                    "WHERE id = $2 AND status = 'pending'",
                    Params().Add(at).Add(delivery_id));
  return Ok();
}

Status PgWebhookRepository::LoadAttempts(wh::Delivery& delivery) {
  SHIPLINE_PG_QUERY(rows,
                    "SELECT id, delivery_id, attempted_at, status_code, latency_ms, "
                    "response_excerpt, error FROM webhook_attempts WHERE delivery_id = $1 "
                    "ORDER BY id",
                    Params().Add(delivery.id));
  for (int r = 0; r < rows.size(); ++r) {
    delivery.attempt_log.push_back({rows.Int(r, 0), rows.Int(r, 1), rows.Int(r, 2),
                                    static_cast<int>(rows.Int(r, 3)), rows.Int(r, 4),
                                    rows.Text(r, 5), rows.Text(r, 6)});
  }
  return Ok();
}

Result<std::vector<wh::Delivery>> PgWebhookRepository::ListDeliveries(const wh::DeliveryQuery& q) {
  Params params;
  params.Add(q.tenant_id).Add(q.event_id ? *q.event_id : q.subscription_id.value_or(0));
  if (q.status) {
    params.Add(wh::DeliveryStatusName(*q.status));
  } else {
    params.Null();
  }
  params.Add(q.before_id).Add(static_cast<int64_t>(q.limit));
  SHIPLINE_PG_QUERY(rows, q.event_id ? kDeliveriesOfEvent : kDeliveriesOfSubscription, params);
  std::vector<wh::Delivery> out;
  for (int r = 0; r < rows.size(); ++r) out.push_back(ReadDelivery(rows, r));
  for (auto& delivery : out) SHIPLINE_RETURN_IF_ERROR(LoadAttempts(delivery));
  return out;
}

Result<std::optional<wh::Delivery>> PgWebhookRepository::FindDelivery(int64_t tenant_id,
                                                                      int64_t id) {
  SHIPLINE_PG_QUERY(rows, writable_ ? kFindDelivery + " FOR NO KEY UPDATE OF d" : kFindDelivery,
                    Params().Add(tenant_id).Add(id));
  if (rows.empty()) return std::optional<wh::Delivery>();
  std::optional<wh::Delivery> found = ReadDelivery(rows, 0);
  SHIPLINE_RETURN_IF_ERROR(LoadAttempts(*found));
  return found;
}

Result<bool> PgWebhookRepository::RequeueDelivery(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_PG_QUERY(requeued,
                    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                    "next_attempt_at = $1, completed_at = NULL, updated_at = $1 "
                    "WHERE tenant_id = $2 AND id = $3",
                    Params().Add(now).Add(tenant_id).Add(id));
  return requeued.Affected() == 1;
}

Result<int64_t> PgWebhookRepository::RequeueFailed(int64_t tenant_id, int64_t subscription_id,
                                                   int64_t since, int64_t now) {
  SHIPLINE_PG_QUERY(requeued,
                    "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                    "next_attempt_at = $1, completed_at = NULL, updated_at = $1 "
                    "WHERE tenant_id = $2 AND subscription_id = $3 AND status = 'failed' "
                    "AND created_at >= $4",
                    Params().Add(now).Add(tenant_id).Add(subscription_id).Add(since));
  return requeued.Affected();
}

}  // namespace shipline::store::postgres
