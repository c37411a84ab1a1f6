#include "http/routes.hpp"

#include "http/console/console_routes.hpp"
#include "http/ep/completion_codec.hpp"
#include "http/marketplace/shipments_codec.hpp"
#include "http/native/api_keys_codec.hpp"
#include "http/native/delivery_network_codec.hpp"
#include "http/native/orders_codec.hpp"
#include "http/native/queries_codec.hpp"
#include "http/native/shipments_codec.hpp"
#include "http/native/storefronts_codec.hpp"
#include "http/native/tracking_codec.hpp"
#include "http/native/webhooks_codec.hpp"
#include "http/openapi_routes.hpp"
#include "http/order_api/shipment_codec.hpp"
#include "http/readiness.hpp"
#include "http/shipping_orders/shipping_orders_codec.hpp"
#include "http/threepl/threepl_routes.hpp"

namespace shipline::http {

void AddAllRoutes(Router& router, const Services& services) {
  router.AnswerWritesOnce(services.idempotency_keys);
  if (services.complete != nullptr) ep::AddRoutes(router, *services.complete);
  if (services.orders != nullptr) native::AddOrderRoutes(router, *services.orders);
  if (services.queries != nullptr) native::AddQueryRoutes(router, *services.queries);
  native::AddTrackingRoutes(router);
  if (services.storefronts != nullptr) native::AddStorefrontRoutes(router, *services.storefronts);
  if (services.create_shipment != nullptr && services.update_tracking != nullptr) {
    native::AddShipmentRoutes(router, *services.create_shipment, *services.update_tracking);
    if (services.orders != nullptr) {
      marketplace::AddRoutes(router, *services.orders, *services.create_shipment,
                             *services.update_tracking);
    }
  }
  if (services.complete != nullptr) order_api::AddRoutes(router, *services.complete);
  if (services.webhook_subscriptions != nullptr && services.webhook_deliveries != nullptr) {
    native::AddWebhookRoutes(router, *services.webhook_subscriptions, *services.webhook_deliveries);
  }
  if (services.threepl_connections != nullptr && services.threepl_notifications != nullptr) {
    threepl::AddThreePlRoutes(router, *services.threepl_connections,
                              *services.threepl_notifications, services.idempotency_keys);
  }
  if (services.shipping_orders != nullptr) {
    shipping_orders::AddRoutes(router, *services.shipping_orders);
    if (services.shipping_orders_limiter != nullptr) {
      router.Limit(shipping_orders::kPrefix, services.shipping_orders_limiter);
    }
    if (services.delivery_network != nullptr) {
      native::AddDeliveryNetworkRoutes(router, *services.delivery_network,
                                       *services.shipping_orders);
    }
  }
  if (services.api_keys != nullptr) native::AddApiKeyRoutes(router, *services.api_keys);
  if (services.store != nullptr) AddReadinessRoute(router, *services.store);
  AddOpenApiRoutes(router);
  AddConsoleRoutes(router);
}

}  // namespace shipline::http
