#pragma once

// The native API of outbound webhooks under /api/v1: subscriptions
// (/webhooks), their deliveries with every attempt, replays and test events.
// Errors use the native shape {"error", "code", "field"}.

#include "app/webhooks/webhook_deliveries.hpp"
#include "app/webhooks/webhook_subscriptions.hpp"
#include "http/router.hpp"

namespace shipline::http::native {

void AddWebhookRoutes(Router& router, app::webhooks::WebhookSubscriptions& subscriptions,
                      app::webhooks::WebhookDeliveries& deliveries);

}  // namespace shipline::http::native
