#pragma once

// The events a shipping order writes, each in the transaction of the change it
// describes, for the webhook and broker consumers.

#include <string>
#include <string_view>

#include "domain/event.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::app {

inline constexpr std::string_view kShippingOrderStatusChanged = "shipping-order-status-changed";
inline constexpr std::string_view kShippingOrderUpdated = "shipping-order-updated";
inline constexpr std::string_view kShippingOrdersTopic = "VirtualTopic.shipline.shipping-orders";

// shipping-order-status-changed: the order's ids, location, provider and
// tracking, the previous and new status with the change's time, actor, note,
// sub-status and reason.
domain::Event StatusChangedEvent(const domain::ShippingOrder& order,
                                 domain::ShippingOrderStatus from,
                                 const domain::ShippingStatusChange& change);

// shipping-order-updated: the order's ids and status after an edit.
domain::Event OrderUpdatedEvent(const domain::ShippingOrder& order, const std::string& by);

}  // namespace shipline::app
