#pragma once

// Listing shipping orders in pages. Pages follow (lastUpdatedAt, id)
// ascending and are addressed by opaque keyset tokens, never by offset, so a
// page holds the same orders however many are added meanwhile; an order
// changed while a client pages moves behind the cursor and shows up again with
// its new state instead of being skipped.

#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/clock.hpp"
#include "app/store.hpp"
#include "domain/result.hpp"
#include "domain/shipping_order.hpp"

namespace shipline::app {

struct ListRequest {
  std::vector<std::string> external_ids;
  std::vector<std::string> location_ids;
  std::vector<domain::ShippingOrderStatus> statuses;
  std::optional<std::string> group_id;
  std::optional<domain::TimeWindow> last_updated;
  std::optional<domain::TimeWindow> created;
  std::optional<int64_t> pickup_from;     // requires delivery_until
  std::optional<int64_t> delivery_until;  // requires pickup_from
  std::optional<int64_t> limit;           // 1 to 1000; 1000 when absent
  std::string token;                      // a next or previous token of an earlier page
};

struct ListPage {
  std::vector<domain::ShippingOrder> orders;
  std::optional<std::string> next;      // null when nothing follows
  std::optional<std::string> previous;  // null when nothing precedes
};

inline constexpr int kMaxListLimit = 1000;
inline constexpr size_t kMaxListIds = 100;
inline constexpr int64_t kDefaultWindowMillis = 24LL * 3600 * 1000;
inline constexpr int64_t kMaxUpdatedRangeMillis = 30LL * 24 * 3600 * 1000;

// Without a time window and without orderExternalIds, lastUpdatedAt covers
// the last 24 hours. A lastUpdatedAt range longer than 30 days (an open end
// counts until now), more than 100 ids, a limit outside 1..1000, pickupTime
// without deliveryTime (or the reverse) and a damaged token are kInvalidValue.
Result<ListPage> ListShippingOrders(Store& store, Clock& clock, const Actor& actor,
                                    const ListRequest& request);

}  // namespace shipline::app
