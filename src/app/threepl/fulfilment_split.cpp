#include "app/threepl/fulfilment_split.hpp"

#include <algorithm>
#include <charconv>

#include "domain/order_rules.hpp"

namespace shipline::app::threepl {

namespace {

const domain::LineItem* LineOf(const domain::Order& order, int64_t line_item_id) {
  for (const auto& line : order.line_items) {
    if (line.id == line_item_id) return &line;
  }
  return nullptr;
}

// Counts what a notification takes of a shipment's items, in pieces.
class Taking {
 public:
  explicit Taking(const domain::Shipment& shipment)
      : shipment_(shipment), taken_(shipment.items.size(), 0) {}

  // The shipment's items that `matches` accepts, in the shipment's order.
  template <typename Match>
  std::vector<size_t> Find(Match matches) const {
    std::vector<size_t> found;
    for (size_t k = 0; k < shipment_.items.size(); ++k) {
      if (matches(shipment_.items[k])) found.push_back(k);
    }
    return found;
  }

  // Takes `pieces` from `candidates`, filling each before the next. An
  // error naming `field` when they hold fewer.
  Status Take(const std::vector<size_t>& candidates, int64_t pieces, const std::string& sku,
              const std::string& field) {
    int64_t left = pieces;
    int64_t held = 0;
    for (size_t k : candidates) {
      int64_t room = shipment_.items[k].quantity - taken_[k];
      held += room;
      int64_t take = std::min(room, left);
      taken_[k] += take;
      left -= take;
    }
    if (left > 0) {
      return Error::Invalid("quantity beyond the shipment for sku " + sku + ": " +
                                std::to_string(pieces) + " fulfilled, " + std::to_string(held) +
                                " left in shipment " + shipment_.shipment_number,
                            field);
    }
    return Ok();
  }

  FulfilmentSplit Split() const {
    FulfilmentSplit split;
    for (size_t k = 0; k < shipment_.items.size(); ++k) {
      domain::ShipmentItem item = shipment_.items[k];
      if (taken_[k] > 0) {
        item.quantity = taken_[k];
        split.fulfilled.push_back(item);
      }
      if (shipment_.items[k].quantity > taken_[k]) {
        item.quantity = shipment_.items[k].quantity - taken_[k];
        split.rest.push_back(item);
      }
    }
    return split;
  }

 private:
  const domain::Shipment& shipment_;
  std::vector<int64_t> taken_;
};

Error NotHeld(const domain::Shipment& shipment, const std::string& sku, const std::string& field) {
  return Error::Invalid("sku " + sku + " is not in shipment " + shipment.shipment_number, field);
}

}  // namespace

Result<FulfilmentSplit> SplitByFulfilment(const domain::Order& order,
                                          const domain::Shipment& shipment,
                                          const std::vector<NotifiedItem>& items) {
  Taking taking(shipment);
  for (size_t i = 0; i < items.size(); ++i) {
    const NotifiedItem& item = items[i];
    const std::string path = "items[" + std::to_string(i) + "]";
    const std::string quantity_field = path + ".fulfilled_quantity";
    // A line that fulfils nothing takes nothing, whether or not this
    // shipment holds it (after a split, the rest's lines come back as 0).
    bool takes_nothing =
        item.quantity == 0 && std::all_of(item.parts.begin(), item.parts.end(),
                                          [](const NotifiedPart& p) { return p.quantity == 0; });
    if (takes_nothing) continue;

    auto plain = taking.Find(
        [&](const domain::ShipmentItem& s) { return s.bundle_sku.empty() && s.sku == item.sku; });
    if (!plain.empty()) {
      SHIPLINE_RETURN_IF_ERROR(taking.Take(plain, item.quantity, item.sku, quantity_field));
      continue;
    }
    auto bundle =
        taking.Find([&](const domain::ShipmentItem& s) { return s.bundle_sku == item.sku; });
    if (!bundle.empty()) {
      const domain::LineItem* line = LineOf(order, shipment.items[bundle.front()].line_item_id);
      if (line == nullptr) return Error::Internal("shipment item without its line item");
      for (const auto& part : item.parts) {
        bool known =
            std::any_of(line->components.begin(), line->components.end(),
                        [&](const domain::BundleComponent& c) { return c.sku == part.sku; });
        if (!known) return NotHeld(shipment, part.sku, path + ".order_parts." + part.sku);
      }
      for (const auto& component : line->components) {
        int64_t pieces = item.quantity * component.quantity;
        std::string field = quantity_field;
        if (!item.parts.empty()) {
          pieces = 0;
          for (const auto& part : item.parts) {
            if (part.sku == component.sku) pieces += part.quantity;
          }
          field = path + ".order_parts." + component.sku;
        }
        auto held = taking.Find([&](const domain::ShipmentItem& s) {
          return s.line_item_id == line->id && s.sku == component.sku;
        });
        SHIPLINE_RETURN_IF_ERROR(taking.Take(held, pieces, component.sku, field));
      }
      continue;
    }
    auto component = taking.Find([&](const domain::ShipmentItem& s) { return s.sku == item.sku; });
    if (component.empty()) return NotHeld(shipment, item.sku, path + ".sku");
    SHIPLINE_RETURN_IF_ERROR(taking.Take(component, item.quantity, item.sku, quantity_field));
  }
  FulfilmentSplit split = taking.Split();
  if (split.fulfilled.empty()) {
    return Error::Invalid(
        "the notification fulfils nothing of shipment " + shipment.shipment_number, "items");
  }
  return split;
}

std::string RestShipmentNumber(std::string_view number, int attempt) {
  std::string_view base = number;
  int64_t next = 2;
  size_t dash = number.rfind('-');
  if (dash != std::string_view::npos && dash + 1 < number.size()) {
    std::string_view digits = number.substr(dash + 1);
    int64_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec == std::errc() && end == digits.data() + digits.size() && value < 1'000'000'000) {
      base = number.substr(0, dash);
      next = value + 1;
    }
  }
  std::string candidate = std::string(base) + "-" + std::to_string(next + attempt);
  return domain::IsValidReference(candidate) ? candidate : std::string();
}

}  // namespace shipline::app::threepl
