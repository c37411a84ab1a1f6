// Webhook subscriptions and their signing secrets on PostgreSQL. The
// deliveries are in pg_webhook_deliveries.cpp, the 3PL side and packages in
// pg_threepl_repository.cpp.

#include "store/postgres/pg_webhook_repository.hpp"

#include "store/postgres/pg_webhook_rows.hpp"

namespace shipline::store::postgres {

namespace wh = app::webhooks;

namespace {

const std::string kFindSubscription = std::string("SELECT ") + kSubscriptionColumns +
                                      " FROM webhook_subscriptions s "
                                      "WHERE s.tenant_id = $1 AND s.id = $2 "
                                      "AND s.deleted_at IS NULL";
const std::string kListSubscriptions = std::string("SELECT ") + kSubscriptionColumns +
                                       " FROM webhook_subscriptions s "
                                       "WHERE s.tenant_id = $1 AND s.deleted_at IS NULL "
                                       "ORDER BY s.id";

}  // namespace

Status PgWebhookRepository::InsertSubscription(wh::Subscription& s) {
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO webhook_subscriptions (tenant_id, url, store, event_types, "
                    "format, basic_username, basic_password, signing, delay_ms, enabled, "
                    "disabled_reason, disabled_at, failing_since, description, created_at, "
                    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                    "$14, $15, $16) RETURNING id",
                    Params()
                        .Add(s.tenant_id)
                        .Add(s.url)
                        .Text(s.store)
                        .Add(JoinTypes(s.event_types))
                        .Add(wh::PayloadFormatName(s.format))
                        .Text(s.basic_username)
                        .Text(s.basic_password)
                        .Bool(s.signing)
                        .Add(s.delay_ms)
                        .Bool(s.enabled)
                        .Text(s.disabled_reason)
                        .Add(s.disabled_at)
                        .Add(s.failing_since)
                        .Add(s.description)
                        .Add(s.created_at)
                        .Add(s.updated_at));
  s.id = inserted.Int(0, 0);
  return Ok();
}

Result<std::optional<wh::Subscription>> PgWebhookRepository::FindSubscription(int64_t tenant_id,
                                                                              int64_t id) {
  // Inside a write, the row stays locked: the worker reads a subscription's
  // failure streak and writes it back, and so may another node.
  SHIPLINE_PG_QUERY(rows, writable_ ? kFindSubscription + " FOR NO KEY UPDATE" : kFindSubscription,
                    Params().Add(tenant_id).Add(id));
  if (rows.empty()) return std::optional<wh::Subscription>();
  return std::optional<wh::Subscription>(ReadSubscription(rows, 0, 0));
}

Result<std::vector<wh::Subscription>> PgWebhookRepository::ListSubscriptions(int64_t tenant_id) {
  SHIPLINE_PG_QUERY(rows, kListSubscriptions, Params().Add(tenant_id));
  std::vector<wh::Subscription> out;
  for (int r = 0; r < rows.size(); ++r) out.push_back(ReadSubscription(rows, r, 0));
  return out;
}

Status PgWebhookRepository::UpdateSubscription(const wh::Subscription& s) {
  SHIPLINE_PG_QUERY(updated,
                    "UPDATE webhook_subscriptions SET url = $1, store = $2, event_types = $3, "
                    "format = $4, basic_username = $5, basic_password = $6, signing = $7, "
                    "delay_ms = $8, enabled = $9, disabled_reason = $10, disabled_at = $11, "
                    "failing_since = $12, description = $13, updated_at = $14 "
                    "WHERE tenant_id = $15 AND id = $16 AND deleted_at IS NULL",
                    Params()
                        .Add(s.url)
                        .Text(s.store)
                        .Add(JoinTypes(s.event_types))
                        .Add(wh::PayloadFormatName(s.format))
                        .Text(s.basic_username)
                        .Text(s.basic_password)
                        .Bool(s.signing)
                        .Add(s.delay_ms)
                        .Bool(s.enabled)
                        .Text(s.disabled_reason)
                        .Add(s.disabled_at)
                        .Add(s.failing_since)
                        .Add(s.description)
                        .Add(s.updated_at)
                        .Add(s.tenant_id)
                        .Add(s.id));
  return Ok();
}

Status PgWebhookRepository::FailPending(int64_t subscription_id, std::string_view reason,
                                        int64_t now) {
  SHIPLINE_PG_QUERY(failed,
                    "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
                    "last_error = $1, completed_at = $2, updated_at = $2 "
                    "WHERE subscription_id = $3 AND status = 'pending'",
                    Params().Add(reason).Add(now).Add(subscription_id));
  return Ok();
}

Result<bool> PgWebhookRepository::DeleteSubscription(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_PG_QUERY(removed,
                    "UPDATE webhook_subscriptions SET deleted_at = $1, enabled = false, "
                    "updated_at = $1 WHERE tenant_id = $2 AND id = $3 AND deleted_at IS NULL",
                    Params().Add(now).Add(tenant_id).Add(id));
  if (removed.Affected() == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(FailPending(id, "subscription deleted", now));
  return true;
}

Status PgWebhookRepository::DisableSubscription(int64_t subscription_id, std::string_view reason,
                                                int64_t now) {
  SHIPLINE_PG_QUERY(disabled,
                    "UPDATE webhook_subscriptions SET enabled = false, disabled_reason = $1, "
                    "disabled_at = $2, updated_at = $2 WHERE id = $3",
                    Params().Add(reason).Add(now).Add(subscription_id));
  return FailPending(subscription_id, "subscription disabled: " + std::string(reason), now);
}

Status PgWebhookRepository::SetFailingSince(int64_t subscription_id, std::optional<int64_t> since) {
  SHIPLINE_PG_QUERY(updated, "UPDATE webhook_subscriptions SET failing_since = $1 WHERE id = $2",
                    Params().Add(since).Add(subscription_id));
  return Ok();
}

Status PgWebhookRepository::InsertSecret(int64_t subscription_id, std::string_view secret,
                                         int64_t now) {
  SHIPLINE_PG_QUERY(inserted,
                    "INSERT INTO webhook_secrets (subscription_id, secret, created_at) "
                    "VALUES ($1, $2, $3)",
                    Params().Add(subscription_id).Add(secret).Add(now));
  return Ok();
}

Status PgWebhookRepository::ExpireSecrets(int64_t subscription_id, int64_t expires_at) {
  SHIPLINE_PG_QUERY(updated,
                    "UPDATE webhook_secrets SET expires_at = $1 WHERE subscription_id = $2 "
                    "AND (expires_at IS NULL OR expires_at > $1)",
                    Params().Add(expires_at).Add(subscription_id));
  return Ok();
}

Result<std::vector<wh::SigningSecret>> PgWebhookRepository::LiveSecrets(int64_t subscription_id,
                                                                        int64_t now) {
  SHIPLINE_PG_QUERY(rows,
                    "SELECT id, secret, created_at, expires_at FROM webhook_secrets "
                    "WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > $2) "
                    "ORDER BY id DESC",
                    Params().Add(subscription_id).Add(now));
  std::vector<wh::SigningSecret> out;
  for (int r = 0; r < rows.size(); ++r) {
    out.push_back({rows.Int(r, 0), rows.Text(r, 1), rows.Int(r, 2), rows.OptionalInt(r, 3)});
  }
  return out;
}

}  // namespace shipline::store::postgres
