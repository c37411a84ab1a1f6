#include "app/webhooks/webhook_deliveries.hpp"

#include <algorithm>

#include "app/webhooks/delivery_body.hpp"
#include "app/webhooks/webhook_repository.hpp"

namespace shipline::app::webhooks {

namespace {

Error SubscriptionNotFound(int64_t id) {
  return Error::NotFound("Webhook subscription not found: " + std::to_string(id));
}

Error DeliveryNotFound(int64_t id) {
  return Error::NotFound("Webhook delivery not found: " + std::to_string(id));
}

// The subscription, which must exist and be enabled.
Result<Subscription> EnabledSubscription(WebhookRepository& repo, int64_t tenant_id, int64_t id) {
  auto row = repo.FindSubscription(tenant_id, id);
  if (!row) return std::move(row).error();
  if (!*row) return SubscriptionNotFound(id);
  if (!(*row)->enabled) {
    return Error::Precondition("the subscription is disabled (" + (*row)->disabled_reason +
                               "); enable it first");
  }
  return std::move(**row);
}

int Page(int limit) { return std::clamp(limit, 1, WebhookDeliveries::kMaxPage); }

}  // namespace

Result<std::vector<Delivery>> WebhookDeliveries::ForSubscription(
    const Actor& actor, int64_t subscription_id, std::optional<DeliveryStatus> status,
    int64_t before_id, int limit) {
  std::vector<Delivery> out;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto subscription = reader.Webhooks().FindSubscription(actor.tenant_id, subscription_id);
    if (!subscription) return std::move(subscription).error();
    if (!*subscription) return SubscriptionNotFound(subscription_id);
    DeliveryQuery query;
    query.tenant_id = actor.tenant_id;
    query.subscription_id = subscription_id;
    query.status = status;
    query.before_id = before_id;
    query.limit = Page(limit);
    auto found = reader.Webhooks().ListDeliveries(query);
    if (!found) return std::move(found).error();
    out = std::move(*found);
    return Ok();
  }));
  return out;
}

Result<std::vector<Delivery>> WebhookDeliveries::ForEvent(const Actor& actor, int64_t event_id,
                                                          int64_t before_id, int limit) {
  std::vector<Delivery> out;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    DeliveryQuery query;
    query.tenant_id = actor.tenant_id;
    query.event_id = event_id;
    query.before_id = before_id;
    query.limit = Page(limit);
    auto found = reader.Webhooks().ListDeliveries(query);
    if (!found) return std::move(found).error();
    out = std::move(*found);
    return Ok();
  }));
  return out;
}

Result<Delivery> WebhookDeliveries::Get(const Actor& actor, int64_t delivery_id) {
  std::optional<Delivery> found;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto row = reader.Webhooks().FindDelivery(actor.tenant_id, delivery_id);
    if (!row) return std::move(row).error();
    found = std::move(*row);
    return Ok();
  }));
  if (!found) return DeliveryNotFound(delivery_id);
  return std::move(*found);
}

Result<Delivery> WebhookDeliveries::Replay(const Actor& actor, int64_t delivery_id) {
  int64_t now = clock_.NowMillis();
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    WebhookRepository& repo = tx.Webhooks();
    auto delivery = repo.FindDelivery(actor.tenant_id, delivery_id);
    if (!delivery) return std::move(delivery).error();
    if (!*delivery) return DeliveryNotFound(delivery_id);
    auto subscription = EnabledSubscription(repo, actor.tenant_id, (*delivery)->subscription_id);
    if (!subscription) return std::move(subscription).error();
    auto requeued = repo.RequeueDelivery(actor.tenant_id, delivery_id, now);
    if (!requeued) return std::move(requeued).error();
    return Ok();
  }));
  return Get(actor, delivery_id);
}

Result<int64_t> WebhookDeliveries::ReplayFailedSince(const Actor& actor, int64_t subscription_id,
                                                     int64_t since) {
  int64_t now = clock_.NowMillis();
  int64_t count = 0;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto subscription = EnabledSubscription(tx.Webhooks(), actor.tenant_id, subscription_id);
    if (!subscription) return std::move(subscription).error();
    auto requeued = tx.Webhooks().RequeueFailed(actor.tenant_id, subscription_id, since, now);
    if (!requeued) return std::move(requeued).error();
    count = *requeued;
    return Ok();
  }));
  return count;
}

Result<Delivery> WebhookDeliveries::SendTest(const Actor& actor, int64_t subscription_id) {
  int64_t now = clock_.NowMillis();
  Delivery delivery;
  delivery.tenant_id = actor.tenant_id;
  delivery.subscription_id = subscription_id;
  delivery.event_type = std::string(kTestEventType);
  delivery.message_id = "msg_" + ids_.NewToken(16);
  delivery.status = DeliveryStatus::kPending;
  delivery.next_attempt_at = now;
  delivery.body = TestEventBody(subscription_id, now);
  delivery.created_at = now;
  delivery.updated_at = now;
  SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
    auto subscription = EnabledSubscription(tx.Webhooks(), actor.tenant_id, subscription_id);
    if (!subscription) return std::move(subscription).error();
    return tx.Webhooks().InsertDelivery(delivery);
  }));
  return delivery;
}

}  // namespace shipline::app::webhooks
