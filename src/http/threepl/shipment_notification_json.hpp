#pragma once

// The 3PL shipment notification (seed 002) both ways: the payload shipline
// sends to subscriptions in the "3pl" format, and the payload a warehouse
// posts to shipline. The only place that knows this contract's field names;
// docs/webhooks.md lists them.

#include <string>
#include <string_view>

#include "app/threepl/shipment_notifications.hpp"
#include "app/webhooks/delivery_body.hpp"
#include "domain/carrier.hpp"
#include "domain/result.hpp"

namespace shipline::http::threepl {

// Formats outbound notifications; carriers are named as the seed's list
// spells them ("CanadaPost", "DHL Express"), unknown carriers as given.
class ShipmentNotificationJson final : public app::webhooks::ShipmentNotificationFormatter {
 public:
  explicit ShipmentNotificationJson(domain::CarrierRegistry carriers)
      : carriers_(std::move(carriers)) {}

  std::string Format(const app::webhooks::ShipmentSnapshot& snapshot) const override;

 private:
  std::string CarrierName(std::string_view carrier) const;

  domain::CarrierRegistry carriers_;
};

// Reads an inbound notification. kInvalidArgument naming the field (e.g.
// "packages[1].tracking_number") for a body that is not the seed's shape.
Result<app::threepl::ShipmentNotificationCommand> ParseShipmentNotification(std::string_view body);

}  // namespace shipline::http::threepl
