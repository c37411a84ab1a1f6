#pragma once

// The inbound 3PL integration: the shipment-notification receiver (HTTP
// Basic credentials of a 3PL connection, the seed 002 payload) and the native
// routes with which a tenant manages connections and reads and replays the
// notifications that could not be applied.

#include "app/idempotency_keys.hpp"
#include "app/threepl/shipment_notifications.hpp"
#include "app/threepl/threepl_connections.hpp"
#include "http/router.hpp"

namespace shipline::http::threepl {

inline constexpr const char* kNotificationPath = "/api/v1/integrations/3pl/shipment-notification";

// The inbound notification authenticates its 3PL connection itself, then
// answers under the request's Idempotency-Key with `idempotency` (may be null).
void AddThreePlRoutes(Router& router, app::threepl::ThreePlConnections& connections,
                      app::threepl::ShipmentNotifications& notifications,
                      app::IdempotencyKeys* idempotency = nullptr);

}  // namespace shipline::http::threepl
