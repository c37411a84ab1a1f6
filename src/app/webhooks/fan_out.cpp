#include "app/webhooks/fan_out.hpp"

#include <algorithm>

namespace shipline::app::webhooks {

namespace {

bool WantsType(const Subscription& subscription, const std::string& type) {
  const auto& types = subscription.event_types;
  return types.empty() || std::find(types.begin(), types.end(), type) != types.end();
}

bool WantsStore(const Subscription& subscription, const std::string& storefront) {
  return subscription.store.empty() || subscription.store == storefront;
}

bool WantsFormat(const Subscription& subscription, const std::string& type) {
  return subscription.format != PayloadFormat::kThreePl || type == domain::kOrderShipmentShipped;
}

}  // namespace

std::vector<FanOutDelivery> PlanFanOut(const domain::Event& event,
                                       const std::vector<Subscription>& subscriptions) {
  std::vector<FanOutDelivery> deliveries;
  for (const auto& subscription : subscriptions) {
    if (!subscription.enabled || !WantsType(subscription, event.type) ||
        !WantsStore(subscription, event.storefront) || !WantsFormat(subscription, event.type)) {
      continue;
    }
    FanOutDelivery delivery;
    delivery.subscription_id = subscription.id;
    if (subscription.format == PayloadFormat::kThreePl)
      delivery.once_key = "shipment:" + event.subject;
    delivery.next_attempt_at = event.created_at + subscription.delay_ms;
    deliveries.push_back(std::move(delivery));
  }
  return deliveries;
}

}  // namespace shipline::app::webhooks
