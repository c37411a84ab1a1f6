#pragma once

// The store's part of the operator queries (app/order_queries.hpp): one page
// of a tenant's orders or shipments as the store reads it, and the secrets a
// server keeps in its database.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/order.hpp"
#include "domain/result.hpp"

namespace shipline::app {

// Inclusive bounds on a time, epoch milliseconds; either may be open.
struct TimeRange {
  std::optional<int64_t> from;
  std::optional<int64_t> to;
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// What a list is ordered by, newest first, then by id.
enum class SortTime { kCreated, kUpdated, kShipped };

// The position after which a page starts: rows strictly older than (at, id).
struct Keyset {
  int64_t at = 0;
  int64_t id = 0;
};

// One page as the store reads it. `limit` rows at most, ordered by `sort`
// (descending) and id, older than `after` when set.
struct OrderListQuery {
  int64_t tenant_id = 0;
  std::vector<std::string> states;  // shipping state names, any of them
  std::optional<std::string> store;
  std::optional<std::string> email_key;  // domain::CustomerEmailKey of the email
  std::optional<std::string> number_prefix;
  TimeRange created;
  TimeRange updated;
  SortTime sort = SortTime::kCreated;  // kCreated or kUpdated
  std::optional<Keyset> after;
  int limit = kDefaultPageSize;
};

struct ShipmentListQuery {
  int64_t tenant_id = 0;
  std::vector<std::string> statuses;  // status names, any of them
  std::optional<std::string> carrier;
  std::optional<std::string> tracking;
  std::optional<std::string> order;
  TimeRange shipped;
  TimeRange updated;
  SortTime sort = SortTime::kCreated;
  std::optional<Keyset> after;
  int limit = kDefaultPageSize;
};

// The store's part. Reached through StoreReader::Queries(). Read methods see
// only the query's tenant; failures are kInternal.
class QueryRepository {
 public:
  virtual ~QueryRepository() = default;

  // The page's orders, each with its line items and shipments (with their
  // items; no status history).
  virtual Result<std::vector<domain::Order>> ListOrders(const OrderListQuery& query) = 0;
  // The page's shipments with their items, no status history.
  virtual Result<std::vector<domain::Shipment>> ListShipments(const ShipmentListQuery& query) = 0;

  // The secret named `name`: the stored one, or `candidate`, stored now, when
  // there is none yet (the first of several nodes to store one wins). Only
  // inside Store::Write.
  virtual Result<std::string> ServerSecret(std::string_view name, std::string_view candidate,
                                           int64_t now) = 0;
};

}  // namespace shipline::app
