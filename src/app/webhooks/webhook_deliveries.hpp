#pragma once

// Use cases of webhook deliveries: list them (per subscription or per event,
// each with every attempt), replay one or every failed one since a time, and
// send a test event. Replays keep the delivery's webhook-id and body, so a
// receiver that already has the message can tell.

#include <cstdint>
#include <optional>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"
#include "app/webhooks/webhook_types.hpp"

namespace shipline::app::webhooks {

class WebhookDeliveries {
 public:
  static constexpr int kMaxPage = 100;

  WebhookDeliveries(Store& store, Clock& clock, IdSource& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // Newest first, at most `limit` (capped at kMaxPage), ids below `before_id`
  // when it is not 0. kNotFound when the subscription does not exist.
  Result<std::vector<Delivery>> ForSubscription(const Actor& actor, int64_t subscription_id,
                                                std::optional<DeliveryStatus> status,
                                                int64_t before_id, int limit);
  // The deliveries of one event to every subscription (empty when none).
  Result<std::vector<Delivery>> ForEvent(const Actor& actor, int64_t event_id, int64_t before_id,
                                         int limit);
  // One delivery with its attempts and body. kNotFound.
  Result<Delivery> Get(const Actor& actor, int64_t delivery_id);

  // Sends the delivery again now, with a fresh round of retries.
  // kNotFound; kFailedPrecondition when its subscription is disabled.
  Result<Delivery> Replay(const Actor& actor, int64_t delivery_id);
  // Replays every failed delivery of the subscription created at or after
  // `since` (epoch milliseconds); returns how many. kFailedPrecondition when
  // the subscription is disabled.
  Result<int64_t> ReplayFailedSince(const Actor& actor, int64_t subscription_id, int64_t since);
  // Queues a test event for the subscription, due now. kFailedPrecondition
  // when it is disabled.
  Result<Delivery> SendTest(const Actor& actor, int64_t subscription_id);

 private:
  Store& store_;
  Clock& clock_;
  IdSource& ids_;
};

}  // namespace shipline::app::webhooks
