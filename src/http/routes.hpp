#pragma once

// Every route shipline serves, in one place: the composition root registers
// them for serving and the OpenAPI test registers them to check the document.
// Each contract's codec adds its own routes; a service left null here means
// its routes are not registered.

#include "app/api_keys.hpp"
#include "app/complete_shipment.hpp"
#include "app/create_shipment.hpp"
#include "app/idempotency_keys.hpp"
#include "app/order_queries.hpp"
#include "app/orders.hpp"
#include "app/shipping_orders/delivery_network.hpp"
#include "app/shipping_orders/shipping_orders.hpp"
#include "app/storefronts.hpp"
#include "app/threepl/shipment_notifications.hpp"
#include "app/threepl/threepl_connections.hpp"
#include "app/update_tracking.hpp"
#include "app/webhooks/webhook_deliveries.hpp"
#include "app/webhooks/webhook_subscriptions.hpp"
#include "http/router.hpp"

namespace shipline::http {

struct Services {
  // The store itself, for the readiness check (GET /readyz).
  app::Store* store = nullptr;
  // The tenant's API keys (native, admin).
  app::ApiKeys* api_keys = nullptr;
  app::CompleteShipment* complete = nullptr;
  app::Orders* orders = nullptr;
  // The operator queries: lists of orders and shipments (native).
  app::OrderQueries* queries = nullptr;
  // Store settings (native); shipments added and tracking updated after the
  // order exists (native, and with orders the marketplace contract).
  app::Storefronts* storefronts = nullptr;
  app::CreateShipment* create_shipment = nullptr;
  app::UpdateTracking* update_tracking = nullptr;
  // Webhooks (native) and the inbound 3PL integration.
  app::webhooks::WebhookSubscriptions* webhook_subscriptions = nullptr;
  app::webhooks::WebhookDeliveries* webhook_deliveries = nullptr;
  app::threepl::ThreePlConnections* threepl_connections = nullptr;
  app::threepl::ShipmentNotifications* threepl_notifications = nullptr;
  // Shipping orders (the Shipping Order API) and the delivery network
  // (native); the limiter, when set, applies to the Shipping Order API.
  app::ShippingOrders* shipping_orders = nullptr;
  app::DeliveryNetwork* delivery_network = nullptr;
  RateLimiter* shipping_orders_limiter = nullptr;
  // Idempotency keys on every write (http/idempotency.hpp); none when null.
  app::IdempotencyKeys* idempotency_keys = nullptr;
};

void AddAllRoutes(Router& router, const Services& services);

}  // namespace shipline::http
