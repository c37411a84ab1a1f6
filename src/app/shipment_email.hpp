#pragma once

// The customer's shipment confirmation email, composed from the order and the
// shipment as stored (not from the event payload, which is for outside
// consumers).

#include <string>

#include "app/mailer.hpp"
#include "domain/event.hpp"
#include "domain/order.hpp"

namespace shipline::app {

// The message for `event` about `shipment` of `order`. Its Message-ID is
// derived from the event id, so a resent copy is recognisable as the same.
MailMessage ShipmentEmail(const domain::Order& order, const domain::Shipment& shipment,
                          const domain::Event& event, const std::string& from);

}  // namespace shipline::app
