#include "app/threepl/shipment_notifications.hpp"

#include <algorithm>
#include <map>

#include "app/api_keys.hpp"
#include "app/event_payloads.hpp"
#include "app/log.hpp"
#include "app/webhooks/webhook_repository.hpp"
#include "domain/order_rules.hpp"

namespace shipline::app::threepl {

using domain::ShipmentStatus;

namespace {

constexpr int kRestNumberAttempts = 20;
constexpr int kApplyRounds = 3;

bool IsOpen(ShipmentStatus status) {
  return status == ShipmentStatus::kPending || status == ShipmentStatus::kReleased;
}

bool IsShipped(ShipmentStatus status) {
  return status == ShipmentStatus::kShipped || status == ShipmentStatus::kDelivered;
}

// Pieces per sku.
using Counts = std::map<std::string, int64_t>;

Counts ItemsOf(const domain::Shipment& shipment) {
  Counts counts;
  for (const auto& item : shipment.items) counts[item.sku] += item.quantity;
  return counts;
}

bool SameItem(const domain::ShipmentItem& a, const domain::ShipmentItem& b) {
  return a.line_item_id == b.line_item_id && a.sku == b.sku && a.bundle_sku == b.bundle_sku;
}

bool SameItems(const std::vector<domain::ShipmentItem>& a,
               const std::vector<domain::ShipmentItem>& b) {
  auto contains = [](const std::vector<domain::ShipmentItem>& items,
                     const domain::ShipmentItem& item) {
    return std::any_of(items.begin(), items.end(), [&](const domain::ShipmentItem& other) {
      return SameItem(other, item) && other.quantity == item.quantity;
    });
  };
  return a.size() == b.size() &&
         std::all_of(a.begin(), a.end(), [&](const auto& item) { return contains(b, item); });
}

bool HasTracking(const domain::Shipment& shipment, const std::vector<domain::Package>& packages,
                 const std::string& number) {
  if (number.empty()) return false;
  if (shipment.tracking_number == number) return true;
  return std::any_of(packages.begin(), packages.end(),
                     [&](const domain::Package& p) { return p.tracking_number == number; });
}

}  // namespace

ShipmentNotifications::ShipmentNotifications(Store& store, CompleteShipment& complete, Clock& clock,
                                             metrics::Registry* metrics)
    : store_(store), complete_(complete), clock_(clock) {
  if (metrics == nullptr) return;
  auto outcome = [metrics](const char* name) {
    return &metrics->GetCounter(
        "shipline_threepl_notifications_total",
        "3PL shipment notifications received, by outcome: accepted (applied, or a repeat of one "
        "applied) or rejected (kept for an operator).",
        {{"outcome", name}});
  };
  accepted_ = outcome("accepted");
  rejected_ = outcome("rejected");
}

Result<std::optional<domain::Shipment>> ShipmentNotifications::SplitShipment(
    StoreWriter& tx, const Actor& actor, const domain::Order& order,
    const domain::Shipment& shipment, const FulfilmentSplit& split) {
  // The split was decided on what was read before this transaction: it holds
  // only while the shipment is as it was then.
  auto current = tx.Orders().FindShipment(actor.tenant_id, shipment.shipment_number);
  if (!current) return std::move(current).error();
  if (!*current || (*current)->status != shipment.status ||
      !SameItems((*current)->items, shipment.items)) {
    return std::optional<domain::Shipment>();
  }
  for (const auto& item : shipment.items) {
    domain::ShipmentItem kept = item;
    kept.quantity = 0;
    for (const auto& fulfilled : split.fulfilled) {
      if (SameItem(fulfilled, item)) kept.quantity = fulfilled.quantity;
    }
    if (kept.quantity != item.quantity) {
      SHIPLINE_RETURN_IF_ERROR(tx.ThreePl().ResizeShipmentItem(shipment.id, kept));
    }
  }

  const int64_t now = clock_.NowMillis();
  domain::Shipment rest;
  rest.order_id = order.id;
  rest.status = ShipmentStatus::kReleased;
  rest.items = split.rest;
  rest.service = shipment.service;
  rest.note = shipment.note;
  rest.created_at = rest.updated_at = now;
  rest.history = {{std::string(domain::ShipmentStatusName(rest.status)), now, actor.name,
                   "the rest of " + shipment.shipment_number + " after a partial fulfilment"}};
  bool inserted = false;
  for (int attempt = 0; !inserted && attempt < kRestNumberAttempts; ++attempt) {
    rest.shipment_number = RestShipmentNumber(shipment.shipment_number, attempt);
    if (rest.shipment_number.empty()) break;
    bool taken = std::any_of(
        order.shipments.begin(), order.shipments.end(),
        [&](const domain::Shipment& s) { return s.shipment_number == rest.shipment_number; });
    if (taken) continue;
    Status written = tx.Orders().InsertShipment(actor.tenant_id, rest);
    if (!written.ok() && written.error().code != ErrorCode::kAlreadyExists) return written.error();
    inserted = written.ok();
  }
  if (!inserted) {
    return Error::Conflict("no free shipment number for the rest of " + shipment.shipment_number);
  }
  domain::Event event =
      ShipmentEvent(domain::kShipmentCreated, order, rest,
                    ShipmentCreatedPayload(order, rest, shipment.shipment_number), now);
  event.traceparent = actor.traceparent;
  SHIPLINE_RETURN_IF_ERROR(tx.Events().Insert(event));
  return std::optional<domain::Shipment>(std::move(rest));
}

Result<NotificationResult> ShipmentNotifications::Apply(
    const Actor& actor, const ShipmentNotificationCommand& command) {
  // A concurrent notification may split the shipment between this one's read
  // and its write; the next round reads the split and applies to it.
  for (int round = 0;; ++round) {
    bool raced = false;
    auto applied = ApplyOnce(actor, command, raced);
    if (!applied || !raced) return applied;
    if (round + 1 == kApplyRounds) {
      return Error::Internal("3PL notification raced " + std::to_string(kApplyRounds) +
                             " times with others on one shipment");
    }
  }
}

Result<NotificationResult> ShipmentNotifications::ApplyOnce(
    const Actor& actor, const ShipmentNotificationCommand& command, bool& raced) {
  const int64_t tenant_id = actor.tenant_id;
  NotificationResult result;
  result.order_number = command.order_number;
  result.shipment_number = command.shipment_number;
  auto reject = [&result](Error error) {
    result.outcome = NotificationOutcome::kRejected;
    result.rejection = std::move(error);
    return result;
  };

  std::optional<domain::Order> order;
  std::vector<std::vector<domain::Package>> packages;  // per shipment, in order
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.Orders().Find(tenant_id, command.order_number);
    if (!found) return std::move(found).error();
    order = std::move(*found);
    if (!order) return Ok();
    for (const auto& shipment : order->shipments) {
      auto listed = reader.ThreePl().ListPackages(shipment.id);
      if (!listed) return std::move(listed).error();
      packages.push_back(std::move(*listed));
    }
    return Ok();
  }));
  if (!order) return reject(Error::NotFound("Order not found: " + command.order_number));

  // What the order holds per sku: plain items and bundles by their own sku,
  // bundle components by theirs (pieces over every bundle ordered).
  Counts ordered;
  for (const auto& line : order->line_items) {
    ordered[line.sku] += line.quantity;
    for (const auto& part : line.components) ordered[part.sku] += part.quantity * line.quantity;
  }
  Counts notified;
  for (size_t i = 0; i < command.items.size(); ++i) {
    const auto& item = command.items[i];
    if (!ordered.contains(item.sku)) {
      std::string field = "items[" + std::to_string(i) + "].sku";
      return reject(Error::Invalid(
          "sku " + item.sku + " is not part of order " + command.order_number, field));
    }
    notified[item.sku] += item.quantity;
  }

  // The shipment: named, or the one that already carries a notified tracking
  // number, or the only open one, or the open one holding exactly these items.
  const std::vector<domain::Shipment>& shipments = order->shipments;
  int target = -1;
  if (!command.shipment_number.empty()) {
    for (size_t i = 0; i < shipments.size(); ++i) {
      if (shipments[i].shipment_number == command.shipment_number) target = static_cast<int>(i);
    }
    if (target < 0) {
      return reject(Error::NotFound("Shipment not found in order " + command.order_number + ": " +
                                    command.shipment_number));
    }
  }
  for (size_t i = 0; target < 0 && i < shipments.size(); ++i) {
    for (const auto& package : command.packages) {
      if (HasTracking(shipments[i], packages[i], package.tracking_number)) {
        target = static_cast<int>(i);
      }
    }
  }
  if (target < 0) {
    std::vector<int> open;
    std::vector<int> shipped;
    for (size_t i = 0; i < shipments.size(); ++i) {
      if (IsOpen(shipments[i].status)) open.push_back(static_cast<int>(i));
      if (IsShipped(shipments[i].status)) shipped.push_back(static_cast<int>(i));
    }
    if (open.empty()) {
      if (shipped.empty()) {
        return reject(
            Error::Conflict("Order " + command.order_number + " has no shipment left to complete"));
      }
      if (shipped.size() > 1) {
        // Every shipment left already and the notification names none of
        // them: a repeat. Nothing changes.
        result.outcome = NotificationOutcome::kAlreadyApplied;
        return result;
      }
      target = shipped.front();  // the order's one shipment: a repeat, or later packages
    } else if (open.size() == 1) {
      target = open.front();
    } else {
      std::vector<int> matching;
      for (int i : open) {
        if (!notified.empty() && ItemsOf(shipments[static_cast<size_t>(i)]) == notified) {
          matching.push_back(i);
        }
      }
      if (matching.size() != 1) {
        return reject(Error::Precondition("Order " + command.order_number + " has " +
                                          std::to_string(open.size()) +
                                          " open shipments; name the shipment in shipment_number"));
      }
      target = matching.front();
    }
  }
  const domain::Shipment& shipment = shipments[static_cast<size_t>(target)];
  result.shipment_number = shipment.shipment_number;

  Counts shipped_elsewhere;
  for (const auto& other : shipments) {
    if (other.id == shipment.id || !IsShipped(other.status)) continue;
    for (const auto& item : other.items) shipped_elsewhere[item.sku] += item.quantity;
  }
  for (const auto& line : order->line_items) {
    if (!domain::IsBundle(line)) continue;
    domain::Order others = *order;
    std::erase_if(others.shipments, [&](const domain::Shipment& s) { return s.id == shipment.id; });
    shipped_elsewhere[line.sku] += domain::FulfilledQuantity(others, line);
  }
  for (const auto& [sku, quantity] : notified) {
    int64_t left = ordered[sku] - shipped_elsewhere[sku];
    if (quantity > left) {
      return reject(Error::Invalid("quantity beyond the order for sku " + sku + ": " +
                                       std::to_string(quantity) + " fulfilled, " +
                                       std::to_string(left) + " left to ship",
                                   "items"));
    }
  }

  if (shipment.status == ShipmentStatus::kCancelled) {
    return reject(Error::Conflict("Shipment is cancelled: " + shipment.shipment_number));
  }

  // Less than the shipment holds left the warehouse: only that is completed,
  // and the rest stays behind in a new shipment.
  std::optional<FulfilmentSplit> split;
  if (IsOpen(shipment.status) && !command.items.empty()) {
    auto divided = SplitByFulfilment(*order, shipment, command.items);
    if (!divided) return reject(std::move(divided).error());
    if (!divided->rest.empty()) split = std::move(*divided);
  }

  int added = 0;
  if (!command.packages.empty() || split || !command.report.Empty()) {
    SHIPLINE_RETURN_IF_ERROR(store_.Write([&](StoreWriter& tx) -> Status {
      if (split) {
        auto rest = SplitShipment(tx, actor, *order, shipment, *split);
        if (!rest) return std::move(rest).error();
        if (!*rest) {
          raced = true;  // changes nothing: the caller reads again
          return Ok();
        }
        result.rest_shipment_number = (*rest)->shipment_number;
      }
      SHIPLINE_RETURN_IF_ERROR(tx.ThreePl().SaveReport(shipment.id, command.report));
      auto inserted = tx.ThreePl().InsertPackages(shipment.id, command.packages);
      if (!inserted) return std::move(inserted).error();
      added = *inserted;
      return Ok();
    }));
    if (raced) return result;
  }
  result.packages_added = added;
  if (IsShipped(shipment.status)) {
    result.outcome =
        added > 0 ? NotificationOutcome::kApplied : NotificationOutcome::kAlreadyApplied;
    return result;
  }

  CompleteShipmentCommand completion;
  completion.shipment_number = shipment.shipment_number;
  completion.order_number = order->order_number;
  if (!command.packages.empty()) {
    const domain::Package& first = command.packages.front();
    completion.tracking_number = first.tracking_number;
    completion.carrier = first.carrier;
    completion.service = first.service;
    completion.tracking_url = first.tracking_url;
    completion.package_count = static_cast<int64_t>(command.packages.size());
  }
  if (!command.carrier.empty()) completion.carrier = command.carrier;
  if (!command.service.empty()) completion.service = command.service;
  completion.dispatched_at = command.shipped_at;
  completion.release_pending = true;
  auto completed = complete_.Run(actor, completion);
  if (!completed) {
    const Error& error = completed.error();
    if (error.code == ErrorCode::kInternal) return error;
    if (error.code == ErrorCode::kConflict) {
      // Most likely a concurrent repeat of this notification won the race.
      std::optional<domain::Shipment> now_shipment;
      SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
        auto found = reader.Orders().FindShipment(tenant_id, shipment.shipment_number);
        if (!found) return std::move(found).error();
        now_shipment = std::move(*found);
        return Ok();
      }));
      if (now_shipment && IsShipped(now_shipment->status)) {
        result.outcome = NotificationOutcome::kAlreadyApplied;
        return result;
      }
    }
    return reject(error);
  }
  result.outcome = NotificationOutcome::kApplied;
  return result;
}

Result<NotificationResult> ShipmentNotifications::Keep(InboundNotification& notification,
                                                       NotificationResult result) {
  notification.shipment_number = result.shipment_number;
  notification.updated_at = clock_.NowMillis();
  if (result.rejection) {
    notification.status = NotificationStatus::kRejected;
    notification.error_code = ErrorCodeName(result.rejection->code);
    notification.reason = result.rejection->message;
  } else {
    notification.status = NotificationStatus::kApplied;
    notification.error_code.clear();
    notification.reason.clear();
  }
  SHIPLINE_RETURN_IF_ERROR(
      store_.Write([&](StoreWriter& tx) { return tx.ThreePl().RecordNotification(notification); }));
  result.notification_id = notification.id;
  return result;
}

Result<NotificationResult> ShipmentNotifications::Receive(
    const Connection& connection, std::string_view body,
    const Result<ShipmentNotificationCommand>& parsed, const std::string& request_id,
    const std::string& traceparent) {
  int64_t now = clock_.NowMillis();
  InboundNotification notification;
  notification.tenant_id = connection.tenant_id;
  notification.connection_id = connection.id;
  notification.body = std::string(body);
  notification.body_hash = HashApiKey(body);
  notification.received_at = now;
  notification.updated_at = now;
  if (!parsed) {
    NotificationResult result;
    result.outcome = NotificationOutcome::kRejected;
    result.rejection = parsed.error();
    metrics::Add(rejected_);
    return Keep(notification, std::move(result));
  }
  notification.order_number = parsed->order_number;
  Actor actor{connection.tenant_id, "3pl:" + connection.name, request_id};
  actor.traceparent = traceparent;
  auto applied = Apply(actor, *parsed);
  if (!applied) return std::move(applied).error();
  metrics::Add(applied->rejection ? rejected_ : accepted_);
  if (applied->outcome == NotificationOutcome::kAlreadyApplied) return applied;
  LogInfo("3pl shipment notification",
          LogFields()
              .Add("request_id", request_id)
              .Add("connection", connection.name)
              .Add("order", applied->order_number)
              .Add("shipment", applied->shipment_number)
              .Add("outcome", applied->rejection ? "rejected" : "applied")
              .Add("reason", applied->rejection ? applied->rejection->message : ""));
  return Keep(notification, std::move(*applied));
}

Result<NotificationResult> ShipmentNotifications::Replay(const Actor& actor, int64_t id,
                                                         const NotificationParser& parse) {
  auto kept = Get(actor, id);
  if (!kept) return std::move(kept).error();
  InboundNotification notification = std::move(*kept);
  if (notification.status == NotificationStatus::kApplied) {
    return Error::Precondition("Notification " + std::to_string(id) + " was already applied");
  }
  auto parsed = parse(notification.body);
  if (!parsed) {
    NotificationResult result;
    result.outcome = NotificationOutcome::kRejected;
    result.order_number = notification.order_number;
    result.rejection = parsed.error();
    return Keep(notification, std::move(result));
  }
  auto applied = Apply(actor, *parsed);
  if (!applied) return std::move(applied).error();
  // A kept notification that finds its shipment already shipped is settled.
  return Keep(notification, std::move(*applied));
}

Result<std::vector<InboundNotification>> ShipmentNotifications::List(
    const Actor& actor, std::optional<NotificationStatus> status, int64_t before_id, int limit) {
  std::vector<InboundNotification> out;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto found = reader.ThreePl().ListNotifications(actor.tenant_id, status, before_id,
                                                    std::clamp(limit, 1, kMaxPage));
    if (!found) return std::move(found).error();
    out = std::move(*found);
    return Ok();
  }));
  return out;
}

Result<InboundNotification> ShipmentNotifications::Get(const Actor& actor, int64_t id) {
  std::optional<InboundNotification> found;
  SHIPLINE_RETURN_IF_ERROR(store_.Read([&](StoreReader& reader) -> Status {
    auto row = reader.ThreePl().FindNotification(actor.tenant_id, id);
    if (!row) return std::move(row).error();
    found = std::move(*row);
    return Ok();
  }));
  if (!found) return Error::NotFound("3PL notification not found: " + std::to_string(id));
  return std::move(*found);
}

}  // namespace shipline::app::threepl
