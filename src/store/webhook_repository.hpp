#pragma once

// The webhook repository (see app/webhooks/webhook_repository.hpp for the
// contract), written once for both engines on the sql::Db of the transaction
// that owns it: subscriptions and secrets (webhook_subscriptions.cpp),
// deliveries and attempts (webhook_deliveries.cpp).
//
// Several nodes may take due deliveries from one table: ClaimDelivery moves a
// delivery's due time past its lease with a conditional UPDATE on a row that
// the node locks if no other node holds it (Db::SkipLocked), so one node
// sends each attempt and the others skip the row instead of waiting for it.
// Inside a write, the reads that precede a read-modify-write (a
// subscription, a delivery) lock their row (Db::RowLock).

#include "app/clock.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "store/secret_columns.hpp"
#include "store/sql/db.hpp"

namespace shipline::store {

class WebhookRepository final : public app::webhooks::WebhookRepository {
 public:
  WebhookRepository(sql::Db& db, const SecretColumns& secrets) : db_(db), secrets_(secrets) {}

  Status InsertSubscription(app::webhooks::Subscription& subscription) override;
  Result<std::optional<app::webhooks::Subscription>> FindSubscription(int64_t tenant_id,
                                                                      int64_t id) override;
  Result<std::vector<app::webhooks::Subscription>> ListSubscriptions(int64_t tenant_id) override;
  // Starts ListSubscriptions(tenant_id) (Db::Prefetch).
  Status PrefetchSubscriptions(int64_t tenant_id);
  Status UpdateSubscription(const app::webhooks::Subscription& subscription) override;
  Result<bool> DeleteSubscription(int64_t tenant_id, int64_t id, int64_t now) override;
  Status DisableSubscription(int64_t subscription_id, std::string_view reason,
                             int64_t now) override;
  Status SetFailingSince(int64_t subscription_id, std::optional<int64_t> since) override;
  Status InsertSecret(int64_t subscription_id, std::string_view secret, int64_t now) override;
  Status ExpireSecrets(int64_t subscription_id, int64_t expires_at) override;
  Result<std::vector<app::webhooks::SigningSecret>> LiveSecrets(int64_t subscription_id,
                                                                int64_t now) override;

  Status FanOut(const domain::Event& event) override;
  Status InsertDelivery(app::webhooks::Delivery& delivery) override;
  Result<std::vector<app::webhooks::DueDelivery>> DueDeliveries(int64_t now, int limit) override;
  Result<std::optional<int64_t>> NextDueAt() override;
  Result<bool> ClaimDelivery(int64_t delivery_id, int64_t seen_next_attempt_at, int64_t lease_until,
                             const std::string* body) override;
  Result<bool> RecordAttempt(const app::webhooks::Attempt& attempt,
                             const app::webhooks::DeliveryUpdate& update) override;
  Status ReleaseDelivery(int64_t delivery_id, int64_t at) override;
  Result<std::vector<app::webhooks::Delivery>> ListDeliveries(
      const app::webhooks::DeliveryQuery& query) override;
  Result<std::optional<app::webhooks::Delivery>> FindDelivery(int64_t tenant_id,
                                                              int64_t id) override;
  Result<bool> RequeueDelivery(int64_t tenant_id, int64_t id, int64_t now) override;
  Result<int64_t> RequeueFailed(int64_t tenant_id, int64_t subscription_id, int64_t since,
                                int64_t now) override;

 private:
  Status LoadAttempts(app::webhooks::Delivery& delivery);
  Status FailPending(int64_t subscription_id, std::string_view reason, int64_t now);

  // Opens the Basic-auth password of `subscription` in place.
  Status OpenPassword(app::webhooks::Subscription& subscription) const;

  sql::Db& db_;
  const SecretColumns& secrets_;
  // The message ids of fanned-out deliveries (the webhook-id header): random,
  // and the same on every attempt and replay.
  app::RandomIdSource message_ids_;
};

}  // namespace shipline::store
