#pragma once

// The store's part for the inbound 3PL integration: connections (the
// credentials a 3PL uses), the notifications it sent, and the packages they
// reported for a shipment. Reached through StoreReader::ThreePl() inside
// Store::Read or Store::Write; Insert*, Revoke* and Record* only inside
// Store::Write. Failures are kInternal with the database's message in the
// detail, unless a method says otherwise. Lives as long as its transaction,
// on that transaction's thread.

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "app/threepl/threepl_types.hpp"
#include "domain/order.hpp"
#include "domain/package.hpp"
#include "domain/result.hpp"

namespace shipline::app::threepl {

class ThreePlRepository {
 public:
  virtual ~ThreePlRepository() = default;

  // kAlreadyExists when the username is taken.
  virtual Status InsertConnection(Connection& connection) = 0;
  // A connection by username over all tenants, revoked ones included.
  virtual Result<std::optional<Connection>> FindConnection(std::string_view username) = 0;
  virtual Result<std::vector<Connection>> ListConnections(int64_t tenant_id) = 0;
  virtual Result<bool> RevokeConnection(int64_t tenant_id, int64_t id, int64_t now) = 0;
  // Replaces connection `id`'s password hash when it is still `old_hash` (a
  // concurrent upgrade already did it otherwise, which is fine).
  virtual Status ReplacePasswordHash(int64_t id, std::string_view old_hash,
                                     std::string_view new_hash) = 0;

  // Stores a notification. With an id, updates that row's status, answer,
  // reason and shipment. Without one, a rejected notification whose body was
  // already rejected for this tenant bumps that row (so a 3PL retrying for
  // days adds one row, not thousands); anything else is a new row. Fills in
  // the id either way.
  virtual Status RecordNotification(InboundNotification& notification) = 0;
  virtual Result<std::optional<InboundNotification>> FindNotification(int64_t tenant_id,
                                                                      int64_t id) = 0;
  // Newest first, ids below `before_id` (0: from the newest).
  virtual Result<std::vector<InboundNotification>> ListNotifications(
      int64_t tenant_id, std::optional<NotificationStatus> status, int64_t before_id,
      int limit) = 0;

  // -- packages ------------------------------------------------------------

  // Adds packages to a shipment, skipping tracking numbers it already has.
  // Returns how many were added.
  virtual Result<int> InsertPackages(int64_t shipment_id,
                                     const std::vector<domain::Package>& packages) = 0;
  // The shipment's packages in the order they were added.
  virtual Result<std::vector<domain::Package>> ListPackages(int64_t shipment_id) = 0;

  // What the 3PL reported of the shipment: replaces the ship-from and pallets
  // when `report` has them, and the serial numbers of each sku it names.
  virtual Status SaveReport(int64_t shipment_id, const ShipmentReport& report) = 0;
  // What was reported; an empty report when nothing was.
  virtual Result<ShipmentReport> FindReport(int64_t shipment_id) = 0;

  // -- partial fulfilment ----------------------------------------------------

  // Sets the quantity of the shipment's item for (item.line_item_id, the
  // component item.sku when item.bundle_sku is set) to item.quantity; 0
  // removes the item. For a shipment that is not SHIPPED (its units are not
  // in the order's shipped counts), inside Store::Write.
  virtual Status ResizeShipmentItem(int64_t shipment_id, const domain::ShipmentItem& item) = 0;
};

}  // namespace shipline::app::threepl
