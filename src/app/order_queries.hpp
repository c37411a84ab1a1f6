#pragma once

// Operator queries: a tenant's orders and shipments in pages, newest first,
// filtered, addressed by keyset cursors.
//
// A page is the rows strictly older than the previous page's last row in the
// list's order (its sort time, then id, both descending), so a page costs the
// same at any depth and rows added meanwhile never shift a page: new rows
// appear before the first page, never inside the walk. A row whose sort time
// changes while a client pages (a list by last change) moves to the front and
// is not seen again in that walk.
//
// A cursor is opaque to clients: the last row's key, signed (HMAC-SHA256)
// with a secret the store keeps (one per database, so every node of a shared
// PostgreSQL database accepts the others' cursors) together with the tenant
// and the list's filters. A cursor that was altered, forged, or is used with
// other filters or by another tenant fails the check.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/query_repository.hpp"
#include "app/store.hpp"
#include "domain/order.hpp"
#include "domain/order_rules.hpp"
#include "domain/result.hpp"
#include "domain/shipment_status.hpp"

namespace shipline::app {

struct OrderFilter {
  std::vector<domain::ShippingState> states;  // any of them; empty for every state
  std::optional<std::string> store;
  std::optional<std::string> email;          // the customer's, matched ignoring ASCII case
  std::optional<std::string> number_prefix;  // the order number starts with it
  TimeRange created;
  TimeRange updated;  // given: the list is ordered by last change instead of creation
};

struct ShipmentFilter {
  std::vector<domain::ShipmentStatus> statuses;  // any of them; empty for every status
  std::optional<std::string> carrier;            // the carrier as shown, exactly
  std::optional<std::string> tracking;           // the tracking number, exactly
  std::optional<std::string> order;              // the order number, exactly
  TimeRange shipped;  // given: ordered by shipping time (unshipped ones left out)
  TimeRange updated;  // given (and shipped not): ordered by last change
};

struct PageRequest {
  std::optional<int64_t> limit;  // 1 to kMaxPageSize; kDefaultPageSize when absent
  std::string cursor;            // the `next` of the previous page; empty for the first
};

template <typename T>
struct Page {
  std::vector<T> rows;
  std::optional<std::string> next;  // nullopt on the last page
};

class OrderQueries {
 public:
  OrderQueries(Store& store, Clock& clock, IdSource& ids)
      : store_(store), clock_(clock), ids_(ids) {}

  // kInvalidArgument naming "limit" (outside 1..500), "cursor" (not one this
  // server signed for this tenant and these filters), or the time range's
  // parameter when its start is after its end.
  Result<Page<domain::Order>> ListOrders(const Actor& actor, const OrderFilter& filter,
                                         const PageRequest& page);
  Result<Page<domain::Shipment>> ListShipments(const Actor& actor, const ShipmentFilter& filter,
                                               const PageRequest& page);

  // Reads (or creates) the cursor secret now, at start-up, so that lists
  // need no write later: on a full disk writes are refused, lists go on.
  // Lists create it on first use when this was not called or failed.
  Status Prepare();

 private:
  // The cursor secret, read (or created) once per process.
  Result<std::string> Secret();

  Store& store_;
  Clock& clock_;
  IdSource& ids_;
  std::mutex secret_mutex_;
  std::string secret_;  // empty until read
};

}  // namespace shipline::app
