#pragma once

// The store's part for webhooks: subscriptions, their signing secrets,
// deliveries and attempts.
//
// Reached through StoreReader::Webhooks() inside Store::Read or Store::Write;
// the write methods (Insert*, Update*, Claim*, ...) may only be called inside
// Store::Write. Every method taking a tenant id sees only that tenant's rows.
// Failures are kInternal with the database's message in the detail, unless a
// method says otherwise. Not thread-safe: it lives as long as its
// transaction, on that transaction's thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/webhooks/webhook_types.hpp"
#include "domain/event.hpp"
#include "domain/result.hpp"

namespace shipline::app::webhooks {

class WebhookRepository {
 public:
  virtual ~WebhookRepository() = default;

  // -- subscriptions -------------------------------------------------------

  // Stores a new subscription and fills in its id.
  virtual Status InsertSubscription(Subscription& subscription) = 0;
  // A subscription that is not deleted, or nullopt.
  virtual Result<std::optional<Subscription>> FindSubscription(int64_t tenant_id, int64_t id) = 0;
  // The tenant's subscriptions that are not deleted, oldest first.
  virtual Result<std::vector<Subscription>> ListSubscriptions(int64_t tenant_id) = 0;
  // Writes every mutable field of `subscription` (found by tenant and id).
  virtual Status UpdateSubscription(const Subscription& subscription) = 0;
  // Marks the subscription deleted and gives up its pending deliveries.
  // Returns false when there is no such subscription.
  virtual Result<bool> DeleteSubscription(int64_t tenant_id, int64_t id, int64_t now) = 0;
  // Disables the subscription with a reason for the tenant to read, and gives
  // up its pending deliveries (they can be replayed once it is enabled again).
  virtual Status DisableSubscription(int64_t subscription_id, std::string_view reason,
                                     int64_t now) = 0;
  // Sets or clears the time of the first failure since the last success.
  virtual Status SetFailingSince(int64_t subscription_id, std::optional<int64_t> since) = 0;

  virtual Status InsertSecret(int64_t subscription_id, std::string_view secret, int64_t now) = 0;
  // Makes every live secret of the subscription expire at `expires_at` at
  // the latest (rotation keeps the old one valid for a grace period).
  virtual Status ExpireSecrets(int64_t subscription_id, int64_t expires_at) = 0;
  // Secrets that have not expired at `now`, newest first.
  virtual Result<std::vector<SigningSecret>> LiveSecrets(int64_t subscription_id, int64_t now) = 0;

  // -- deliveries ----------------------------------------------------------

  // Creates the pending deliveries of `event` that app::webhooks::PlanFanOut
  // decides among its tenant's subscriptions. Called by the event repository
  // inside the transaction that writes the event.
  virtual Status FanOut(const domain::Event& event) = 0;
  // Stores a delivery built elsewhere (a test event) and fills in its id.
  virtual Status InsertDelivery(Delivery& delivery) = 0;

  // Pending deliveries of enabled subscriptions due at `now`, earliest first,
  // with their subscriptions.
  virtual Result<std::vector<DueDelivery>> DueDeliveries(int64_t now, int limit) = 0;
  // When the earliest pending delivery of an enabled subscription is due.
  virtual Result<std::optional<int64_t>> NextDueAt() = 0;
  // Takes a due delivery for one attempt: moves its next attempt to
  // `lease_until` (so no other worker takes it meanwhile) and, when `body` is
  // given and the delivery has none yet, fixes its body. Returns false when
  // the delivery is no longer pending at `seen_next_attempt_at`.
  virtual Result<bool> ClaimDelivery(int64_t delivery_id, int64_t seen_next_attempt_at,
                                     int64_t lease_until, const std::string* body) = 0;
  // Records an attempt and its effect on the delivery (attempts + 1). Returns
  // false, recording nothing, when the delivery is no longer pending (it was
  // given up or replayed meanwhile).
  virtual Result<bool> RecordAttempt(const Attempt& attempt, const DeliveryUpdate& update) = 0;
  // Makes a claimed delivery due again at `at` without counting an attempt.
  virtual Status ReleaseDelivery(int64_t delivery_id, int64_t at) = 0;

  // Deliveries matching the query, newest first, each with its attempts.
  virtual Result<std::vector<Delivery>> ListDeliveries(const DeliveryQuery& query) = 0;
  virtual Result<std::optional<Delivery>> FindDelivery(int64_t tenant_id, int64_t id) = 0;
  // Makes a delivery pending again, due at `now`, with a fresh round of
  // attempts; its webhook-id and body stay. False when there is no such delivery.
  virtual Result<bool> RequeueDelivery(int64_t tenant_id, int64_t id, int64_t now) = 0;
  // Requeues every failed delivery of the subscription created at or after
  // `since`; returns how many.
  virtual Result<int64_t> RequeueFailed(int64_t tenant_id, int64_t subscription_id, int64_t since,
                                        int64_t now) = 0;
};

}  // namespace shipline::app::webhooks
