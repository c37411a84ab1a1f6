#include "app/webhooks/webhook_types.hpp"

namespace shipline::app::webhooks {

std::string_view PayloadFormatName(PayloadFormat format) {
  return format == PayloadFormat::kThreePl ? "3pl" : "native";
}

std::optional<PayloadFormat> ParsePayloadFormat(std::string_view name) {
  if (name == "native") return PayloadFormat::kNative;
  if (name == "3pl") return PayloadFormat::kThreePl;
  return std::nullopt;
}

std::string_view DeliveryStatusName(DeliveryStatus status) {
  switch (status) {
    case DeliveryStatus::kPending:
      return "pending";
    case DeliveryStatus::kDelivered:
      return "delivered";
    case DeliveryStatus::kFailed:
      return "failed";
  }
  return "pending";
}

std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view name) {
  if (name == "pending") return DeliveryStatus::kPending;
  if (name == "delivered") return DeliveryStatus::kDelivered;
  if (name == "failed") return DeliveryStatus::kFailed;
  return std::nullopt;
}

}  // namespace shipline::app::webhooks
