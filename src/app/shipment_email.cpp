#include "app/shipment_email.hpp"

namespace shipline::app {

MailMessage ShipmentEmail(const domain::Order& order, const domain::Shipment& shipment,
                          const domain::Event& event, const std::string& from) {
  MailMessage message;
  message.message_id = "shipline-event-" + std::to_string(event.id) + "@" +
                       (from.find('@') != std::string::npos ? from.substr(from.find('@') + 1)
                                                            : std::string("shipline.local"));
  message.from = from;
  message.to = order.customer.email;
  message.to_name = order.customer.name;
  message.date = event.created_at;
  const bool update = event.type == domain::kShipmentTrackingUpdated;
  message.subject = update ? "Tracking update for your order " + order.order_number
                           : "Your order " + order.order_number + " has shipped";

  std::string text;
  text +=
      "Hello" + (order.customer.name.empty() ? std::string() : " " + order.customer.name) + ",\n\n";
  if (update) {
    text += "The tracking of shipment " + shipment.shipment_number + " of your order " +
            order.order_number + " has changed.\n\n";
  } else {
    text += "Good news: shipment " + shipment.shipment_number + " of your order " +
            order.order_number + " is on its way.\n\n";
  }
  if (!shipment.carrier.empty()) {
    text += "Carrier: " + shipment.carrier +
            (shipment.service.empty() ? std::string() : " (" + shipment.service + ")") + "\n";
  }
  if (!shipment.tracking_number.empty()) {
    text += "Tracking number: " + shipment.tracking_number + "\n";
  }
  if (!shipment.tracking_url.empty()) text += "Track it: " + shipment.tracking_url + "\n";
  if (!shipment.note.empty()) text += "Note: " + shipment.note + "\n";
  text += "\nItems in this shipment:\n";
  for (const auto& item : shipment.items) {
    std::string title;
    for (const auto& line : order.line_items) {
      if (line.id == item.line_item_id) title = line.title;
    }
    if (!item.bundle_sku.empty())
      title += (title.empty() ? "part of " : ", part of ") + item.bundle_sku;
    text += "  " + std::to_string(item.quantity) + " x " + item.sku +
            (title.empty() ? std::string() : " - " + title) + "\n";
  }
  const auto& a = order.shipping_address;
  if (!a.line1.empty()) {
    text += "\nShipping to:\n  " + a.name + "\n  " + a.line1 + "\n";
    if (!a.line2.empty()) text += "  " + a.line2 + "\n";
    text += "  " + a.postal_code + " " + a.city + "\n  " + a.country + "\n";
  }
  text += "\nThank you for your order.\n";
  message.text = std::move(text);
  return message;
}

}  // namespace shipline::app
