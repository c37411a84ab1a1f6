// Webhook subscriptions and their signing secrets. The deliveries are in
// webhook_deliveries.cpp, the 3PL side and packages in threepl_repository.cpp.

#include "store/column_codecs.hpp"
#include "store/webhook_repository.hpp"
#include "store/webhook_rows.hpp"

namespace shipline::store {

namespace wh = app::webhooks;
using sql::Params;

namespace {

const std::string kFindSubscription = std::string("SELECT ") + kSubscriptionColumns +
                                      " FROM webhook_subscriptions s "
                                      "WHERE s.tenant_id = $1 AND s.id = $2 "
                                      "AND s.deleted_at IS NULL";
const std::string kListSubscriptions = std::string("SELECT ") + kSubscriptionColumns +
                                       " FROM webhook_subscriptions s "
                                       "WHERE s.tenant_id = $1 AND s.deleted_at IS NULL "
                                       "ORDER BY s.id";

// `params` followed by the subscription's mutable fields, url to description,
// in the order both the INSERT and the UPDATE name them, with the password
// as `sealed_password`.
Params WithFields(Params params, const wh::Subscription& s, const std::string& sealed_password) {
  params.Add(s.url)
      .Text(s.store)
      .Add(JoinList(s.event_types, ','))
      .Add(wh::PayloadFormatName(s.format))
      .Text(s.basic_username)
      .Text(sealed_password)
      .Bool(s.signing)
      .Add(s.delay_ms)
      .Bool(s.enabled)
      .Text(s.disabled_reason)
      .Add(s.disabled_at)
      .Add(s.failing_since)
      .Add(s.description);
  return params;
}

}  // namespace

Status WebhookRepository::InsertSubscription(wh::Subscription& s) {
  auto password = secrets_.Seal(kWebhookBasicPassword, s.basic_password);
  if (!password) return std::move(password).error();
  SHIPLINE_SQL_INSERT(
      inserted, db_,
      "INSERT INTO webhook_subscriptions (tenant_id, url, store, event_types, "
      "format, basic_username, basic_password, signing, delay_ms, enabled, "
      "disabled_reason, disabled_at, failing_since, description, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16)",
      WithFields(Params().Add(s.tenant_id), s, *password).Add(s.created_at).Add(s.updated_at));
  if (!inserted) return Error::Internal("subscription insert inserted no row");
  s.id = *inserted;
  return Ok();
}

Result<std::optional<wh::Subscription>> WebhookRepository::FindSubscription(int64_t tenant_id,
                                                                            int64_t id) {
  // Inside a write, the row stays locked: the worker reads a subscription's
  // failure streak and writes it back, and so may another node.
  SHIPLINE_SQL_QUERY(row, db_, kFindSubscription + db_.RowLock("s"),
                     Params().Add(tenant_id).Add(id));
  SHIPLINE_SQL_NEXT(found, row);
  if (!found) return std::optional<wh::Subscription>();
  wh::Subscription s = ReadSubscription(row, 0);
  SHIPLINE_RETURN_IF_ERROR(OpenPassword(s));
  return std::optional<wh::Subscription>(std::move(s));
}

Result<std::vector<wh::Subscription>> WebhookRepository::ListSubscriptions(int64_t tenant_id) {
  SHIPLINE_SQL_QUERY(rows, db_, kListSubscriptions, Params().Add(tenant_id));
  auto all = ReadAll(rows, [](const sql::Rows& row) { return ReadSubscription(row, 0); });
  if (!all) return all;
  for (auto& s : *all) SHIPLINE_RETURN_IF_ERROR(OpenPassword(s));
  return all;
}

Status WebhookRepository::PrefetchSubscriptions(int64_t tenant_id) {
  return db_.Prefetch(kListSubscriptions, Params().Add(tenant_id));
}

Status WebhookRepository::OpenPassword(wh::Subscription& s) const {
  return secrets_.Open(kWebhookBasicPassword, s.basic_password);
}

Status WebhookRepository::UpdateSubscription(const wh::Subscription& s) {
  auto password = secrets_.Seal(kWebhookBasicPassword, s.basic_password);
  if (!password) return std::move(password).error();
  SHIPLINE_SQL_EXECUTE(
      updated, db_,
      "UPDATE webhook_subscriptions SET url = $1, store = $2, event_types = $3, "
      "format = $4, basic_username = $5, basic_password = $6, signing = $7, "
      "delay_ms = $8, enabled = $9, disabled_reason = $10, disabled_at = $11, "
      "failing_since = $12, description = $13, updated_at = $14 "
      "WHERE tenant_id = $15 AND id = $16 AND deleted_at IS NULL",
      WithFields(Params(), s, *password).Add(s.updated_at).Add(s.tenant_id).Add(s.id));
  return Ok();
}

Status WebhookRepository::FailPending(int64_t subscription_id, std::string_view reason,
                                      int64_t now) {
  SHIPLINE_SQL_EXECUTE(failed, db_,
                       "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, "
                       "last_error = $1, completed_at = $2, updated_at = $2 "
                       "WHERE subscription_id = $3 AND status = 'pending'",
                       Params().Add(reason).Add(now).Add(subscription_id));
  return Ok();
}

Result<bool> WebhookRepository::DeleteSubscription(int64_t tenant_id, int64_t id, int64_t now) {
  SHIPLINE_SQL_EXECUTE(removed, db_,
                       "UPDATE webhook_subscriptions SET deleted_at = $1, enabled = FALSE, "
                       "updated_at = $1 WHERE tenant_id = $2 AND id = $3 AND deleted_at IS NULL",
                       Params().Add(now).Add(tenant_id).Add(id));
  if (removed == 0) return false;
  SHIPLINE_RETURN_IF_ERROR(FailPending(id, "subscription deleted", now));
  return true;
}

Status WebhookRepository::DisableSubscription(int64_t subscription_id, std::string_view reason,
                                              int64_t now) {
  SHIPLINE_SQL_EXECUTE(disabled, db_,
                       "UPDATE webhook_subscriptions SET enabled = FALSE, disabled_reason = $1, "
                       "disabled_at = $2, updated_at = $2 WHERE id = $3",
                       Params().Add(reason).Add(now).Add(subscription_id));
  return FailPending(subscription_id, "subscription disabled: " + std::string(reason), now);
}

Status WebhookRepository::SetFailingSince(int64_t subscription_id, std::optional<int64_t> since) {
  SHIPLINE_SQL_EXECUTE(updated, db_,
                       "UPDATE webhook_subscriptions SET failing_since = $1 WHERE id = $2",
                       Params().Add(since).Add(subscription_id));
  return Ok();
}

Status WebhookRepository::InsertSecret(int64_t subscription_id, std::string_view secret,
                                       int64_t now) {
  auto sealed = secrets_.Seal(kWebhookSigningSecret, secret);
  if (!sealed) return std::move(sealed).error();
  SHIPLINE_SQL_EXECUTE(inserted, db_,
                       "INSERT INTO webhook_secrets (subscription_id, secret, created_at) "
                       "VALUES ($1, $2, $3)",
                       Params().Add(subscription_id).Add(*sealed).Add(now));
  return Ok();
}

Status WebhookRepository::ExpireSecrets(int64_t subscription_id, int64_t expires_at) {
  SHIPLINE_SQL_EXECUTE(updated, db_,
                       "UPDATE webhook_secrets SET expires_at = $1 WHERE subscription_id = $2 "
                       "AND (expires_at IS NULL OR expires_at > $1)",
                       Params().Add(expires_at).Add(subscription_id));
  return Ok();
}

Result<std::vector<wh::SigningSecret>> WebhookRepository::LiveSecrets(int64_t subscription_id,
                                                                      int64_t now) {
  SHIPLINE_SQL_QUERY(rows, db_,
                     "SELECT id, secret, created_at, expires_at FROM webhook_secrets "
                     "WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > $2) "
                     "ORDER BY id DESC",
                     Params().Add(subscription_id).Add(now));
  auto secrets = ReadAll(rows, [](const sql::Rows& row) {
    return wh::SigningSecret{row.Int(0), row.Text(1), row.Int(2), row.OptionalInt(3)};
  });
  if (!secrets) return secrets;
  for (auto& s : *secrets) SHIPLINE_RETURN_IF_ERROR(secrets_.Open(kWebhookSigningSecret, s.secret));
  return secrets;
}

}  // namespace shipline::store
