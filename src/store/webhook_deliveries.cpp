// Webhook deliveries and attempts: the fan-out of an event to its
// subscriptions, taking due deliveries (several nodes may share the table),
// recording attempts, listings and replays.

#include "app/webhooks/fan_out.hpp"
#include "store/webhook_repository.hpp"
#include "store/webhook_rows.hpp"

namespace shipline::store {

namespace wh = app::webhooks;
using sql::Params;

namespace {

const std::string kDueDeliveries =
    std::string("SELECT ") + kDeliveryColumns + ", " + kSubscriptionColumns +
    ", (SELECT e.traceparent FROM events e WHERE e.id = d.event_id)"
    " FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id "
    "WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND s.enabled = TRUE "
    "AND s.deleted_at IS NULL ORDER BY d.next_attempt_at LIMIT $2";

// $3: a status or NULL for every status; $4: the id to list below, 0 for none.
const std::string kDeliveryFilters =
    " AND (CAST($3 AS TEXT) IS NULL OR d.status = $3) "
    "AND (CAST($4 AS BIGINT) = 0 OR d.id < $4) ORDER BY d.id DESC LIMIT $5";
const std::string kDeliveriesOfSubscription =
    std::string("SELECT ") + kDeliveryColumns +
    " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.subscription_id = $2" +
    kDeliveryFilters;
const std::string kDeliveriesOfEvent = std::string("SELECT ") + kDeliveryColumns +
                                       " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND "
                                       "d.event_id = $2" +
                                       kDeliveryFilters;
const std::string kFindDelivery = std::string("SELECT ") + kDeliveryColumns +
                                  " FROM webhook_deliveries d WHERE d.tenant_id = $1 AND d.id = $2";

// The claim's conditions are read in a subquery, which takes the row's lock
// where the engine has row locks (Db::SkipLocked).
const std::string kClaimDelivery =
    "UPDATE webhook_deliveries SET next_attempt_at = $1, body = coalesce(body, CAST($2 AS TEXT)) "
    "WHERE id = (SELECT id FROM webhook_deliveries WHERE id = $3 AND status = 'pending' "
    "AND next_attempt_at = $4";

}  // namespace

Status WebhookRepository::FanOut(const domain::Event& event) {
  // The store fetches the tenant's subscriptions and inserts the deliveries
  // that the rule (app::webhooks::PlanFanOut) picks. A delivery with a once
  // key the subscription already has is not inserted: the unique index on
  // (subscription_id, once_key) is the once-only guard, also against another
  // node fanning out an event about the same shipment.
  auto candidates = ListSubscriptions(event.tenant_id);
  if (!candidates) return std::move(candidates).error();
  for (const auto& planned : wh::PlanFanOut(event, *candidates)) {
    SHIPLINE_SQL_DEFER(db_,
                       "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, "
                       "event_type, message_id, once_key, status, attempts, next_attempt_at, "
                       "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, "
                       "$7, $8, $8) ON CONFLICT (subscription_id, once_key) DO NOTHING",
                       Params()
                           .Add(event.tenant_id)
                           .Add(planned.subscription_id)
                           .Add(event.id)
                           .Add(event.type)
                           .Add("msg_" + message_ids_.NewToken(16))
                           .Text(planned.once_key)
                           .Add(planned.next_attempt_at)
                           .Add(event.created_at));
  }
  return Ok();
}

Status WebhookRepository::InsertDelivery(wh::Delivery& d) {
  SHIPLINE_SQL_INSERT(
      inserted, db_,
      "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, "
      "event_type, message_id, status, attempts, next_attempt_at, body, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, $9, $10) ",
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
  if (!inserted) return Error::Internal("delivery insert inserted no row");
  d.id = *inserted;
  db_.WakeConsumersAfterCommit();
  return Ok();
}

Result<std::vector<wh::DueDelivery>> WebhookRepository::DueDeliveries(int64_t now, int limit) {
  SHIPLINE_SQL_QUERY(rows, db_, kDueDeliveries, Params().Add(now).Add(limit));
  auto due = ReadAll(rows, [](const sql::Rows& row) {
    return wh::DueDelivery{
        ReadDelivery(row), ReadSubscription(row, kDeliveryColumnCount),
        row.OptionalText(kDeliveryColumnCount + kSubscriptionColumnCount).value_or("")};
  });
  if (!due) return due;
  for (auto& d : *due) SHIPLINE_RETURN_IF_ERROR(OpenPassword(d.subscription));
  return due;
}

Result<std::optional<int64_t>> WebhookRepository::NextDueAt() {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT min(next_attempt_at) FROM webhook_deliveries "
                     "WHERE status = 'pending'",
                     Params());
  SHIPLINE_SQL_NEXT(found, rows);
  if (!found) return std::optional<int64_t>();
  return rows.OptionalInt(0);
}

Result<bool> WebhookRepository::ClaimDelivery(int64_t delivery_id, int64_t seen_next_attempt_at,
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
  SHIPLINE_SQL_EXECUTE(claimed, db_, kClaimDelivery + db_.SkipLocked() + ")", params);
  return claimed == 1;
}

Result<bool> WebhookRepository::RecordAttempt(const wh::Attempt& attempt,
                                              const wh::DeliveryUpdate& update) {
  // The attempt is recorded even when the delivery moved on meanwhile (a
  // replay, a new claim): it happened, and the log shows every request a
  // receiver got. The delivery changes only if it did not move on.
  SHIPLINE_SQL_EXECUTE(inserted, db_,
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
  SHIPLINE_SQL_EXECUTE(changed, db_,
                       "UPDATE webhook_deliveries SET status = $1, attempts = attempts + 1, "
                       "next_attempt_at = $2, last_status = $3, last_error = $4, updated_at = $5, "
                       "completed_at = $6 WHERE id = $7 AND status = 'pending' "
                       "AND next_attempt_at = $8",
                       Params()
                           .Add(wh::DeliveryStatusName(update.status))
                           .Add(done ? std::nullopt : update.next_attempt_at)
                           .Add(update.last_status)
                           .Add(update.last_error)
                           .Add(update.now)
                           .Add(done ? std::optional<int64_t>(update.now) : std::nullopt)
                           .Add(attempt.delivery_id)
                           .Add(update.claimed_until));
  return changed == 1;
}

Status WebhookRepository::ReleaseDelivery(int64_t delivery_id, int64_t at) {
  SHIPLINE_SQL_EXECUTE(released, db_,
                       "UPDATE webhook_deliveries SET next_attempt_at = $1 "
                       "WHERE id = $2 AND status = 'pending'",
                       Params().Add(at).Add(delivery_id));
  return Ok();
}

Status WebhookRepository::LoadAttempts(wh::Delivery& delivery) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT id, delivery_id, attempted_at, status_code, latency_ms, "
                     "response_excerpt, error FROM webhook_attempts WHERE delivery_id = $1 "
                     "ORDER BY id",
                     Params().Add(delivery.id));
  auto attempts = ReadAll(rows, [](const sql::Rows& row) {
    return wh::Attempt{row.Int(0), row.Int(1),  row.Int(2), static_cast<int>(row.Int(3)),
                       row.Int(4), row.Text(5), row.Text(6)};
  });
  if (!attempts) return std::move(attempts).error();
  delivery.attempt_log = std::move(*attempts);
  return Ok();
}

Result<std::vector<wh::Delivery>> WebhookRepository::ListDeliveries(const wh::DeliveryQuery& q) {
  Params params;
  params.Add(q.tenant_id).Add(q.event_id ? *q.event_id : q.subscription_id.value_or(0));
  if (q.status) {
    params.Add(wh::DeliveryStatusName(*q.status));
  } else {
    params.Null();
  }
  params.Add(q.before_id).Add(q.limit);
  SHIPLINE_SQL_QUERY(rows, db_, q.event_id ? kDeliveriesOfEvent : kDeliveriesOfSubscription,
                     params);
  auto out = ReadAll(rows, ReadDelivery);
  if (!out) return out;
  for (auto& delivery : *out) SHIPLINE_RETURN_IF_ERROR(LoadAttempts(delivery));
  return out;
}

Result<std::optional<wh::Delivery>> WebhookRepository::FindDelivery(int64_t tenant_id, int64_t id) {
  std::optional<wh::Delivery> found;
  {
    SHIPLINE_SQL_QUERY(row, db_, kFindDelivery + db_.RowLock("d"), Params().Add(tenant_id).Add(id));
    SHIPLINE_SQL_NEXT(exists, row);
    if (!exists) return found;
    found = ReadDelivery(row);
  }
  SHIPLINE_RETURN_IF_ERROR(LoadAttempts(*found));
  return found;
}

Result<bool> WebhookRepository::RequeueDelivery(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_SQL_EXECUTE(requeued, db_,
                       "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                       "next_attempt_at = $1, completed_at = NULL, updated_at = $1 "
                       "WHERE tenant_id = $2 AND id = $3",
                       Params().Add(now).Add(tenant_id).Add(id));
  if (requeued == 1) db_.WakeConsumersAfterCommit();
  return requeued == 1;
}

Result<int64_t> WebhookRepository::RequeueFailed(int64_t tenant_id, int64_t subscription_id,
                                                 int64_t since, int64_t now) {
  SHIPLINE_SQL_EXECUTE(requeued, db_,
                       "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                       "next_attempt_at = $1, completed_at = NULL, updated_at = $1 "
                       "WHERE tenant_id = $2 AND subscription_id = $3 AND status = 'failed' "
                       "AND created_at >= $4",
                       Params().Add(now).Add(tenant_id).Add(subscription_id).Add(since));
  if (requeued > 0) db_.WakeConsumersAfterCommit();
  return requeued;
}

}  // namespace shipline::store
