#pragma once

// Which subscriptions an event fans out to: the rule the store applies when
// it writes an event (WebhookRepository::FanOut), kept here so that it is
// written once, in C++, and tested without a database.

#include <cstdint>
#include <string>
#include <vector>

#include "app/webhooks/webhook_types.hpp"
#include "domain/event.hpp"

namespace shipline::app::webhooks {

// One delivery an event is to get.
struct FanOutDelivery {
  int64_t subscription_id = 0;
  // Set where the subscription takes one delivery per key (the 3PL format
  // notifies once per shipment: "shipment:" + the event's subject); the
  // store inserts nothing when the subscription already has a delivery with
  // the key. Empty: no key.
  std::string once_key;
  // The first attempt is due at the event's time plus the subscription's
  // delay.
  int64_t next_attempt_at = 0;
};

// The deliveries `event` gets among `subscriptions` (the candidates: its
// tenant's subscriptions that are not deleted), in their order. A
// subscription wants the event when it is enabled, the event type is one of
// its types (or it names none), its store is the event's storefront (or it
// names none: an event without a storefront reaches only those), and, for the
// 3PL format, the event is a shipped event.
std::vector<FanOutDelivery> PlanFanOut(const domain::Event& event,
                                       const std::vector<Subscription>& subscriptions);

}  // namespace shipline::app::webhooks
