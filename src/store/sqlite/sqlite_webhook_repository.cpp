#include "store/sqlite/sqlite_webhook_repository.hpp"

namespace shipline::store::sqlite {

namespace wh = app::webhooks;

// Evaluates a Result<Statement> expression into a named statement or returns
// its error.
#define SHIPLINE_WH_PREPARE(name, sql)                             \
  auto name##_prepared = db_.Prepare(sql);                         \
  if (!name##_prepared) return std::move(name##_prepared).error(); \
  Statement& name = *name##_prepared

namespace {

// -- subscriptions ----------------------------------------------------------

constexpr const char* kSubscriptionColumns =
    "SELECT id, tenant_id, url, store, event_types, format, basic_username, basic_password, "
    "signing, delay_ms, enabled, disabled_reason, disabled_at, failing_since, description, "
    "created_at, updated_at FROM webhook_subscriptions ";

const std::string kFindSubscription =
    std::string(kSubscriptionColumns) + "WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL";
const std::string kListSubscriptions =
    std::string(kSubscriptionColumns) + "WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id";

std::string JoinTypes(const std::vector<std::string>& types) {
  std::string joined;
  for (const auto& type : types) {
    if (!joined.empty()) joined.push_back(',');
    joined += type;
  }
  return joined;
}

std::vector<std::string> SplitTypes(const std::string& joined) {
  std::vector<std::string> types;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) types.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return types;
}

// Reads the subscription columns starting at `first`.
wh::Subscription ReadSubscription(const Statement& row, int first) {
  wh::Subscription s;
  s.id = row.Int(first + 0);
  s.tenant_id = row.Int(first + 1);
  s.url = row.Text(first + 2);
  s.store = row.Text(first + 3);
  s.event_types = SplitTypes(row.Text(first + 4));
  s.format = wh::ParsePayloadFormat(row.Text(first + 5)).value_or(wh::PayloadFormat::kNative);
  s.basic_username = row.Text(first + 6);
  s.basic_password = row.Text(first + 7);
  s.signing = row.Int(first + 8) != 0;
  s.delay_ms = row.Int(first + 9);
  s.enabled = row.Int(first + 10) != 0;
  s.disabled_reason = row.Text(first + 11);
  s.disabled_at = row.OptionalInt(first + 12);
  s.failing_since = row.OptionalInt(first + 13);
  s.description = row.Text(first + 14);
  s.created_at = row.Int(first + 15);
  s.updated_at = row.Int(first + 16);
  return s;
}

// -- deliveries -------------------------------------------------------------

constexpr const char* kDeliveryColumns =
    "d.id, d.tenant_id, d.subscription_id, d.event_id, d.event_type, d.message_id, d.status, "
    "d.attempts, d.next_attempt_at, d.body, d.last_status, d.last_error, d.created_at, "
    "d.updated_at, d.completed_at";
constexpr int kDeliveryColumnCount = 15;

wh::Delivery ReadDelivery(const Statement& row) {
  wh::Delivery d;
  d.id = row.Int(0);
  d.tenant_id = row.Int(1);
  d.subscription_id = row.Int(2);
  d.event_id = row.OptionalInt(3);
  d.event_type = row.Text(4);
  d.message_id = row.Text(5);
  d.status = wh::ParseDeliveryStatus(row.Text(6)).value_or(wh::DeliveryStatus::kPending);
  d.attempts = static_cast<int>(row.Int(7));
  d.next_attempt_at = row.OptionalInt(8);
  d.body = row.Text(9);
  d.last_status = static_cast<int>(row.Int(10));
  d.last_error = row.Text(11);
  d.created_at = row.Int(12);
  d.updated_at = row.Int(13);
  d.completed_at = row.OptionalInt(14);
  return d;
}

const std::string kDueDeliveries =
    std::string("SELECT ") + kDeliveryColumns + ", s.id, s.tenant_id, s.url, s.store, " +
    "s.event_types, s.format, s.basic_username, s.basic_password, s.signing, s.delay_ms, " +
    "s.enabled, s.disabled_reason, s.disabled_at, s.failing_since, s.description, " +
    "s.created_at, s.updated_at FROM webhook_deliveries d " +
    "JOIN webhook_subscriptions s ON s.id = d.subscription_id " +
    "WHERE d.status = 'pending' AND d.next_attempt_at <= ?1 AND s.enabled = 1 " +
    "AND s.deleted_at IS NULL ORDER BY d.next_attempt_at LIMIT ?2";

const std::string kDeliveriesOfSubscription =
    std::string("SELECT ") + kDeliveryColumns + " FROM webhook_deliveries d " +
    "WHERE d.tenant_id = ?1 AND d.subscription_id = ?2 AND (?3 IS NULL OR d.status = ?3) " +
    "AND (?4 = 0 OR d.id < ?4) ORDER BY d.id DESC LIMIT ?5";
const std::string kDeliveriesOfEvent =
    std::string("SELECT ") + kDeliveryColumns + " FROM webhook_deliveries d " +
    "WHERE d.tenant_id = ?1 AND d.event_id = ?2 AND (?3 IS NULL OR d.status = ?3) " +
    "AND (?4 = 0 OR d.id < ?4) ORDER BY d.id DESC LIMIT ?5";
const std::string kFindDelivery = std::string("SELECT ") + kDeliveryColumns +
                                  " FROM webhook_deliveries d WHERE d.tenant_id = ? AND d.id = ?";

}  // namespace

// -- subscriptions ------------------------------------------------------------

Status SqliteWebhookRepository::InsertSubscription(wh::Subscription& s) {
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO webhook_subscriptions (tenant_id, url, store, event_types, "
                      "format, basic_username, basic_password, signing, delay_ms, enabled, "
                      "disabled_reason, disabled_at, failing_since, description, created_at, "
                      "updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  insert.Bind(1, s.tenant_id).Bind(2, s.url).BindText(3, s.store).Bind(4, JoinTypes(s.event_types));
  insert.Bind(5, wh::PayloadFormatName(s.format)).BindText(6, s.basic_username);
  insert.BindText(7, s.basic_password).Bind(8, int64_t{s.signing ? 1 : 0}).Bind(9, s.delay_ms);
  insert.Bind(10, int64_t{s.enabled ? 1 : 0}).BindText(11, s.disabled_reason);
  insert.Bind(12, s.disabled_at).Bind(13, s.failing_since).Bind(14, s.description);
  insert.Bind(15, s.created_at).Bind(16, s.updated_at);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());
  s.id = db_.LastInsertId();
  return Ok();
}

Result<std::optional<wh::Subscription>> SqliteWebhookRepository::FindSubscription(int64_t tenant_id,
                                                                                  int64_t id) {
  SHIPLINE_WH_PREPARE(query, kFindSubscription.c_str());
  query.Bind(1, tenant_id).Bind(2, id);
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<wh::Subscription>();
  return std::optional<wh::Subscription>(ReadSubscription(query, 0));
}

Result<std::vector<wh::Subscription>> SqliteWebhookRepository::ListSubscriptions(
    int64_t tenant_id) {
  SHIPLINE_WH_PREPARE(query, kListSubscriptions.c_str());
  query.Bind(1, tenant_id);
  std::vector<wh::Subscription> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back(ReadSubscription(query, 0));
  }
}

Status SqliteWebhookRepository::UpdateSubscription(const wh::Subscription& s) {
  SHIPLINE_WH_PREPARE(update,
                      "UPDATE webhook_subscriptions SET url = ?, store = ?, event_types = ?, "
                      "format = ?, basic_username = ?, basic_password = ?, signing = ?, "
                      "delay_ms = ?, enabled = ?, disabled_reason = ?, disabled_at = ?, "
                      "failing_since = ?, description = ?, updated_at = ? "
                      "WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
  update.Bind(1, s.url).BindText(2, s.store).Bind(3, JoinTypes(s.event_types));
  update.Bind(4, wh::PayloadFormatName(s.format)).BindText(5, s.basic_username);
  update.BindText(6, s.basic_password).Bind(7, int64_t{s.signing ? 1 : 0}).Bind(8, s.delay_ms);
  update.Bind(9, int64_t{s.enabled ? 1 : 0}).BindText(10, s.disabled_reason);
  update.Bind(11, s.disabled_at).Bind(12, s.failing_since).Bind(13, s.description);
  update.Bind(14, s.updated_at).Bind(15, s.tenant_id).Bind(16, s.id);
  return update.Run();
}

Status SqliteWebhookRepository::FailPending(int64_t subscription_id, std::string_view reason,
                                            int64_t now) {
  SHIPLINE_WH_PREPARE(fail,
                      "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
                      "last_error = ?, completed_at = ?, updated_at = ? "
                      "WHERE subscription_id = ? AND status = 'pending'");
  fail.Bind(1, reason).Bind(2, now).Bind(3, now).Bind(4, subscription_id);
  return fail.Run();
}

Result<bool> SqliteWebhookRepository::DeleteSubscription(int64_t tenant_id, int64_t id,
                                                         int64_t now) {
  SHIPLINE_WH_PREPARE(remove,
                      "UPDATE webhook_subscriptions SET deleted_at = ?, enabled = 0, "
                      "updated_at = ? WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
  remove.Bind(1, now).Bind(2, now).Bind(3, tenant_id).Bind(4, id);
  SHIPLINE_RETURN_IF_ERROR(remove.Run());
  if (db_.Changes() == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(FailPending(id, "subscription deleted", now));
  return true;
}

Status SqliteWebhookRepository::DisableSubscription(int64_t subscription_id,
                                                    std::string_view reason, int64_t now) {
  SHIPLINE_WH_PREPARE(disable,
                      "UPDATE webhook_subscriptions SET enabled = 0, disabled_reason = ?, "
                      "disabled_at = ?, updated_at = ? WHERE id = ?");
  disable.Bind(1, reason).Bind(2, now).Bind(3, now).Bind(4, subscription_id);
  SHIPLINE_RETURN_IF_ERROR(disable.Run());
  return FailPending(subscription_id, "subscription disabled: " + std::string(reason), now);
}

Status SqliteWebhookRepository::SetFailingSince(int64_t subscription_id,
                                                std::optional<int64_t> since) {
  SHIPLINE_WH_PREPARE(update, "UPDATE webhook_subscriptions SET failing_since = ? WHERE id = ?");
  update.Bind(1, since).Bind(2, subscription_id);
  return update.Run();
}

Status SqliteWebhookRepository::InsertSecret(int64_t subscription_id, std::string_view secret,
                                             int64_t now) {
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO webhook_secrets (subscription_id, secret, created_at) "
                      "VALUES (?, ?, ?)");
  insert.Bind(1, subscription_id).Bind(2, secret).Bind(3, now);
  return insert.Run();
}

Status SqliteWebhookRepository::ExpireSecrets(int64_t subscription_id, int64_t expires_at) {
  SHIPLINE_WH_PREPARE(update,
                      "UPDATE webhook_secrets SET expires_at = ?1 WHERE subscription_id = ?2 "
                      "AND (expires_at IS NULL OR expires_at > ?1)");
  update.Bind(1, expires_at).Bind(2, subscription_id);
  return update.Run();
}

Result<std::vector<wh::SigningSecret>> SqliteWebhookRepository::LiveSecrets(int64_t subscription_id,
                                                                            int64_t now) {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT id, secret, created_at, expires_at FROM webhook_secrets "
                      "WHERE subscription_id = ? AND (expires_at IS NULL OR expires_at > ?) "
                      "ORDER BY id DESC");
  query.Bind(1, subscription_id).Bind(2, now);
  std::vector<wh::SigningSecret> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back({query.Int(0), query.Text(1), query.Int(2), query.OptionalInt(3)});
  }
}

// -- deliveries ----------------------------------------------------------------

Status SqliteWebhookRepository::FanOut(const domain::Event& event) {
  // One statement for every subscription of the tenant. The store filter
  // reads the payload's "store" member (payloads are shipline's own JSON; a
  // payload that is not JSON matches only subscriptions without a store).
  SHIPLINE_WH_PREPARE(
      fan_out,
      "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, event_type, "
      "message_id, once_key, status, attempts, next_attempt_at, created_at, updated_at) "
      "SELECT s.tenant_id, s.id, ?1, ?2, 'msg_' || lower(hex(randomblob(16))), "
      "CASE WHEN s.format = '3pl' THEN 'shipment:' || ?3 END, 'pending', 0, "
      "?4 + s.delay_ms, ?4, ?4 FROM webhook_subscriptions s "
      "WHERE s.tenant_id = ?5 AND s.enabled = 1 AND s.deleted_at IS NULL "
      "AND (s.event_types = '' OR instr(',' || s.event_types || ',', ',' || ?2 || ',') > 0) "
      "AND (s.store IS NULL OR s.store = "
      "CASE WHEN json_valid(?6) THEN json_extract(?6, '$.store') END) "
      "AND (s.format <> '3pl' OR ?2 = 'order-shipment-shipped') "
      "ON CONFLICT (subscription_id, once_key) DO NOTHING");
  fan_out.Bind(1, event.id).Bind(2, event.type).Bind(3, event.subject).Bind(4, event.created_at);
  fan_out.Bind(5, event.tenant_id).Bind(6, event.payload);
  return fan_out.Run();
}

Status SqliteWebhookRepository::InsertDelivery(wh::Delivery& d) {
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO webhook_deliveries (tenant_id, subscription_id, event_id, "
                      "event_type, message_id, status, attempts, next_attempt_at, body, "
                      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)");
  insert.Bind(1, d.tenant_id).Bind(2, d.subscription_id).Bind(3, d.event_id);
  insert.Bind(4, d.event_type).Bind(5, d.message_id).Bind(6, wh::DeliveryStatusName(d.status));
  insert.Bind(7, d.next_attempt_at).BindText(8, d.body).Bind(9, d.created_at);
  insert.Bind(10, d.updated_at);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());
  d.id = db_.LastInsertId();
  return Ok();
}

Result<std::vector<wh::DueDelivery>> SqliteWebhookRepository::DueDeliveries(int64_t now,
                                                                            int limit) {
  SHIPLINE_WH_PREPARE(query, kDueDeliveries.c_str());
  query.Bind(1, now).Bind(2, static_cast<int64_t>(limit));
  std::vector<wh::DueDelivery> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return out;
    out.push_back({ReadDelivery(query), ReadSubscription(query, kDeliveryColumnCount)});
  }
}

Result<std::optional<int64_t>> SqliteWebhookRepository::NextDueAt() {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT min(next_attempt_at) FROM webhook_deliveries "
                      "WHERE status = 'pending'");
  auto row = query.Step();
  if (!row) return std::move(row).error();
  if (!*row) return std::optional<int64_t>();
  return query.OptionalInt(0);
}

Result<bool> SqliteWebhookRepository::ClaimDelivery(int64_t delivery_id,
                                                    int64_t seen_next_attempt_at,
                                                    int64_t lease_until, const std::string* body) {
  SHIPLINE_WH_PREPARE(claim,
                      "UPDATE webhook_deliveries SET next_attempt_at = ?, "
                      "body = coalesce(body, ?) WHERE id = ? AND status = 'pending' "
                      "AND next_attempt_at = ?");
  claim.Bind(1, lease_until);
  if (body != nullptr) {
    claim.Bind(2, *body);
  } else {
    claim.BindNull(2);
  }
  claim.Bind(3, delivery_id).Bind(4, seen_next_attempt_at);
  SHIPLINE_RETURN_IF_ERROR(claim.Run());
  return db_.Changes() == 1;
}

Result<bool> SqliteWebhookRepository::RecordAttempt(const wh::Attempt& attempt,
                                                    const wh::DeliveryUpdate& update) {
  // The attempt is recorded even when the delivery moved on meanwhile: it
  // happened, and the log shows every request a receiver got.
  SHIPLINE_WH_PREPARE(insert,
                      "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, "
                      "latency_ms, response_excerpt, error) VALUES (?, ?, ?, ?, ?, ?)");
  insert.Bind(1, attempt.delivery_id).Bind(2, attempt.attempted_at);
  insert.Bind(3, int64_t{attempt.status_code}).Bind(4, attempt.latency_ms);
  insert.Bind(5, attempt.response_excerpt).Bind(6, attempt.error);
  SHIPLINE_RETURN_IF_ERROR(insert.Run());

  bool done = update.status != wh::DeliveryStatus::kPending;
  SHIPLINE_WH_PREPARE(change,
                      "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, "
                      "next_attempt_at = ?, last_status = ?, last_error = ?, updated_at = ?, "
                      "completed_at = ? WHERE id = ? AND status = 'pending'");
  change.Bind(1, wh::DeliveryStatusName(update.status));
  change.Bind(2, done ? std::nullopt : update.next_attempt_at);
  change.Bind(3, int64_t{update.last_status}).Bind(4, update.last_error).Bind(5, update.now);
  change.Bind(6, done ? std::optional<int64_t>(update.now) : std::nullopt);
  change.Bind(7, attempt.delivery_id);
  SHIPLINE_RETURN_IF_ERROR(change.Run());
  return db_.Changes() == 1;
}

Status SqliteWebhookRepository::ReleaseDelivery(int64_t delivery_id, int64_t at) {
  SHIPLINE_WH_PREPARE(release,
                      "UPDATE webhook_deliveries SET next_attempt_at = ? "
                      "WHERE id = ? AND status = 'pending'");
  release.Bind(1, at).Bind(2, delivery_id);
  return release.Run();
}

Status SqliteWebhookRepository::LoadAttempts(wh::Delivery& delivery) {
  SHIPLINE_WH_PREPARE(query,
                      "SELECT id, delivery_id, attempted_at, status_code, latency_ms, "
                      "response_excerpt, error FROM webhook_attempts WHERE delivery_id = ? "
                      "ORDER BY id");
  query.Bind(1, delivery.id);
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return Ok();
    delivery.attempt_log.push_back({query.Int(0), query.Int(1), query.Int(2),
                                    static_cast<int>(query.Int(3)), query.Int(4), query.Text(5),
                                    query.Text(6)});
  }
}

Result<std::vector<wh::Delivery>> SqliteWebhookRepository::ListDeliveries(
    const wh::DeliveryQuery& q) {
  auto prepared = q.event_id ? db_.Prepare(kDeliveriesOfEvent.c_str())
                             : db_.Prepare(kDeliveriesOfSubscription.c_str());
  if (!prepared) return std::move(prepared).error();
  Statement& query = *prepared;
  query.Bind(1, q.tenant_id);
  query.Bind(2, q.event_id ? *q.event_id : q.subscription_id.value_or(0));
  if (q.status) {
    query.Bind(3, wh::DeliveryStatusName(*q.status));
  } else {
    query.BindNull(3);
  }
  query.Bind(4, q.before_id).Bind(5, static_cast<int64_t>(q.limit));
  std::vector<wh::Delivery> out;
  for (;;) {
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) break;
    out.push_back(ReadDelivery(query));
  }
  for (auto& delivery : out) SHIPLINE_RETURN_IF_ERROR(LoadAttempts(delivery));
  return out;
}

Result<std::optional<wh::Delivery>> SqliteWebhookRepository::FindDelivery(int64_t tenant_id,
                                                                          int64_t id) {
  std::optional<wh::Delivery> found;
  {
    SHIPLINE_WH_PREPARE(query, kFindDelivery.c_str());
    query.Bind(1, tenant_id).Bind(2, id);
    auto row = query.Step();
    if (!row) return std::move(row).error();
    if (!*row) return found;
    found = ReadDelivery(query);
  }
  SHIPLINE_RETURN_IF_ERROR(LoadAttempts(*found));
  return found;
}

Result<bool> SqliteWebhookRepository::RequeueDelivery(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_WH_PREPARE(requeue,
                      "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                      "next_attempt_at = ?1, completed_at = NULL, updated_at = ?1 "
                      "WHERE tenant_id = ?2 AND id = ?3");
  requeue.Bind(1, now).Bind(2, tenant_id).Bind(3, id);
  SHIPLINE_RETURN_IF_ERROR(requeue.Run());
  return db_.Changes() == 1;
}

Result<int64_t> SqliteWebhookRepository::RequeueFailed(int64_t tenant_id, int64_t subscription_id,
                                                       int64_t since, int64_t now) {
  SHIPLINE_WH_PREPARE(requeue,
                      "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, "
                      "next_attempt_at = ?1, completed_at = NULL, updated_at = ?1 "
                      "WHERE tenant_id = ?2 AND subscription_id = ?3 AND status = 'failed' "
                      "AND created_at >= ?4");
  requeue.Bind(1, now).Bind(2, tenant_id).Bind(3, subscription_id).Bind(4, since);
  SHIPLINE_RETURN_IF_ERROR(requeue.Run());
  return static_cast<int64_t>(db_.Changes());
}

}  // namespace shipline::store::sqlite
